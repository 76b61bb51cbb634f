"""Strict-Transport-Security: off by default; when `HSTS_SECONDS` is set, on https answers only."""

import pytest

from tests.conftest import make_app
from vendor_tracker.config import Config

HTTPS = "https://tracker.example.com"
YEAR = 365 * 24 * 3600


def test_no_hsts_by_default_even_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login", base_url=HTTPS).headers


@pytest.fixture
def hsts_client(tmp_path):
    return make_app(tmp_path, HSTS_SECONDS=YEAR).test_client()


def test_hsts_on_https_answers_when_set(hsts_client):
    for path in ("/login", "/health", "/api/v1/vendors", "/no-such-page", "/static/app.css"):
        answer = hsts_client.get(path, base_url=HTTPS)
        answer.close()
        assert answer.headers["Strict-Transport-Security"] == f"max-age={YEAR}; includeSubDomains"


def test_no_hsts_over_plain_http_even_when_set(hsts_client):
    # Browsers ignore it there (RFC 6797); local http setups stay usable.
    assert "Strict-Transport-Security" not in hsts_client.get("/login").headers


def test_hsts_seconds_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("HSTS_SECONDS", raising=False)
    assert Config.from_environment(str(tmp_path))["HSTS_SECONDS"] == 0
    monkeypatch.setenv("HSTS_SECONDS", "63072000")
    assert Config.from_environment(str(tmp_path))["HSTS_SECONDS"] == 63072000
    monkeypatch.setenv("HSTS_SECONDS", "")
    assert Config.from_environment(str(tmp_path))["HSTS_SECONDS"] == 0
