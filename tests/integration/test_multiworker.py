"""The sign-in limit holds across gunicorn workers: two worker processes count the same failures
(in the app's database, the default storage), so the 11th wrong password is refused whichever
worker answers it."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import PASSWORD, seeded_app

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60
REQUEST_SECONDS = 20


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn exited with {server.returncode}")
        try:
            if requests.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass  # not listening yet, or a worker still starting (slow on a busy machine)
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {START_SECONDS} s")


@pytest.fixture
def two_workers(tmp_path):
    """gunicorn with two workers on a SQLite file holding the users; stopped afterwards."""
    with seeded_app(tmp_path):
        pass  # tables, reference data and the three users in tmp_path/test.sqlite3
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"RATELIMIT_STORAGE_URI", "GUNICORN_BIND", "WEB_CONCURRENCY"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'test.sqlite3'}",
        SECRET_KEY="multi-worker-test-secret",
        SESSION_COOKIE_SECURE="0",
        VENDOR_TRACKER_INSTANCE=str(tmp_path / "instance"),
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


def _wrong_password(base: str) -> int:
    """One failed sign-in over a fresh connection (its own cookies and CSRF token)."""
    with requests.Session() as browser:
        page = browser.get(f"{base}/login", timeout=REQUEST_SECONDS)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        answer = browser.post(
            f"{base}/login",
            data={
                "email": "viewer@example.com",
                "password": "not the password",
                "csrf_token": token,
            },
            headers={"Connection": "close"},
            allow_redirects=False,
            timeout=REQUEST_SECONDS,
        )
        return answer.status_code


def test_the_account_limit_is_shared_by_two_workers(two_workers):
    codes = [_wrong_password(two_workers) for _ in range(11)]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    # The right password is refused too until the window ends.
    with requests.Session() as browser:
        page = browser.get(f"{two_workers}/login", timeout=REQUEST_SECONDS)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
        answer = browser.post(
            f"{two_workers}/login",
            data={"email": "viewer@example.com", "password": PASSWORD, "csrf_token": token},
            allow_redirects=False,
            timeout=REQUEST_SECONDS,
        )
    assert answer.status_code == 429
