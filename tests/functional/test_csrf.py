"""With CSRF protection on (as in production), a form post without its token is refused."""

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, seeded_app
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db


@pytest.fixture
def csrf_app(tmp_path):
    with seeded_app(tmp_path, WTF_CSRF_ENABLED=True) as app:
        yield app


def _token(page) -> str:
    found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page.data)
    assert found, "the form carries no CSRF token"
    return found.group(1).decode()


def _user_count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(User)).scalar_one()


def _sign_in(client):
    token = _token(client.get("/login"))
    answer = client.post(
        "/login", data={"email": "admin@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302


def test_login_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    answer = client.post("/login", data={"email": "admin@example.com", "password": PASSWORD})
    assert answer.status_code == 400
    assert client.get("/").status_code == 302  # still signed out


def test_form_post_without_token_is_refused_and_writes_nothing(csrf_app):
    client = csrf_app.test_client()
    _sign_in(client)
    before = _user_count(csrf_app)
    data = {"email": "new@example.com", "role": "viewer", "password": "long enough pw"}
    answer = client.post("/admin/users/new", data=data)
    assert answer.status_code == 400
    assert b"CSRF" in answer.data or b"expired" in answer.data.lower()
    assert _user_count(csrf_app) == before
    answer = client.post("/admin/users/new", data={**data, "csrf_token": "forged"})
    assert answer.status_code == 400
    assert _user_count(csrf_app) == before


def test_form_post_with_token_works(csrf_app):
    client = csrf_app.test_client()
    _sign_in(client)
    token = _token(client.get("/admin/users/new"))
    data = {"email": "new@example.com", "role": "viewer", "password": "long enough pw"}
    answer = client.post("/admin/users/new", data={**data, "csrf_token": token})
    assert answer.status_code == 302
    with csrf_app.app_context():
        assert db.session.execute(select(User).where(User.email == "new@example.com")).scalar_one()


def test_logout_needs_the_token_too(csrf_app):
    client = csrf_app.test_client()
    _sign_in(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # a cross-site form cannot sign the user out


def test_api_uses_bearer_tokens_not_csrf_tokens(csrf_app):
    client = csrf_app.test_client()
    answer = client.post(
        "/api/v1/auth/tokens", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    assert answer.status_code == 201
