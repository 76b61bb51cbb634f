"""Signing in and out, throttling, disabled users, tokens, cookies, redirects, audit of logins."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests import factories
from tests.conftest import PASSWORD, make_app, seeded_app
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.auth.models import ApiToken, User
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db


def _events(app, action):
    with app.app_context():
        return (
            db.session.execute(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
            .scalars()
            .all()
        )


def _set_active(app, email, active):
    with app.app_context():
        db.session.execute(update(User).where(User.email == email).values(active=active))
        db.session.commit()


def test_login_then_logout(client, auth):
    answer = auth.login("manager")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    answer = auth.logout()
    assert answer.status_code == 302 and answer.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_logout_over_get_is_not_allowed(client, auth):
    auth.login("manager")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_wrong_password_and_unknown_user_look_the_same(client, auth, app):
    wrong = auth.login("viewer", password="not the password")
    unknown = client.post("/login", data={"email": "nobody@example.com", "password": PASSWORD})
    for answer in (wrong, unknown):
        assert answer.status_code == 200
        assert b"E-mail or password is not right" in answer.data
    assert client.get("/").status_code == 302
    failed = _events(app, "login_failed")
    assert [e.actor for e in failed] == ["viewer@example.com", "nobody@example.com"]


def test_email_is_case_insensitive(client):
    answer = client.post("/login", data={"email": " Viewer@Example.COM ", "password": PASSWORD})
    assert answer.status_code == 302


def test_login_and_refusal_are_audited(client, auth, app):
    auth.login("viewer")
    client.get("/admin/users")
    (login,) = _events(app, "login")
    assert (login.actor, login.ip_address) == ("viewer@example.com", "127.0.0.1")
    (refused,) = _events(app, "permission_denied")
    assert refused.actor == "viewer@example.com"
    assert "admin role needed" in refused.summary


@pytest.fixture
def throttled_app(tmp_path):
    with seeded_app(
        tmp_path, LOGIN_LIMIT_PER_ACCOUNT="3 per minute", LOGIN_LIMIT_PER_ADDRESS="5 per minute"
    ) as app:
        yield app


def _try(client, email, password="wrong password", address="10.0.0.1"):  # noqa: S107
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def test_login_throttled_per_account(throttled_app):
    client = throttled_app.test_client()
    assert [_try(client, "viewer@example.com", address=f"10.0.0.{i}") for i in range(3)] == [
        200
    ] * 3
    # The fourth try is refused even with the right password and from a new address.
    assert _try(client, "viewer@example.com", PASSWORD, address="10.0.0.9") == 429
    assert _try(client, "VIEWER@example.com", PASSWORD, address="10.0.0.9") == 429
    # Another account is not affected.
    assert _try(client, "manager@example.com", PASSWORD, address="10.0.0.9") == 302


def test_login_throttled_per_address(throttled_app):
    client = throttled_app.test_client()
    tries = [_try(client, f"someone{i}@example.com") for i in range(5)]
    assert tries == [200] * 5
    assert _try(client, "viewer@example.com", PASSWORD) == 429
    assert _try(client, "viewer@example.com", PASSWORD, address="10.0.0.2") == 302


def test_successful_logins_do_not_use_up_the_allowance(throttled_app):
    client = throttled_app.test_client()
    for _ in range(6):
        assert _try(client, "viewer@example.com", PASSWORD) == 302
        client.post("/logout")
    assert _try(client, "viewer@example.com", "wrong password") == 200


def test_token_endpoint_is_throttled_with_json_errors(throttled_app):
    client = throttled_app.test_client()
    body = {"email": "viewer@example.com", "password": "wrong password"}
    codes = [client.post("/api/v1/auth/tokens", json=body).status_code for _ in range(3)]
    assert codes == [401] * 3
    answer = client.post("/api/v1/auth/tokens", json={**body, "password": PASSWORD})
    assert answer.status_code == 429
    assert answer.get_json()["error"]["code"] == "too_many_requests"


def test_disabled_user_cannot_sign_in(client, auth, app):
    _set_active(app, "viewer@example.com", False)
    answer = auth.login("viewer")
    assert answer.status_code == 200
    assert client.get("/").status_code == 302
    assert _events(app, "login_failed")[-1].summary == "account disabled"
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    assert token.status_code == 401


def test_disabled_user_loses_session_and_tokens(client, auth, api, app):
    headers = api.headers("viewer")
    auth.login("viewer")
    assert client.get("/").status_code == 200
    _set_active(app, "viewer@example.com", False)
    assert client.get("/").status_code == 302
    answer = client.get("/api/v1/openapi.json", headers=headers)
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"


def test_token_works_until_it_expires(client, api, app):
    headers = api.headers("viewer")
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 200
    with app.app_context():
        db.session.execute(update(ApiToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert client.get("/api/v1/openapi.json", headers=headers).status_code == 401


def test_token_answer_and_storage(client, app):
    answer = client.post(
        "/api/v1/auth/tokens", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    body = answer.get_json()
    assert set(body) == {"token", "expires_at"}
    with app.app_context():
        stored = db.session.execute(select(ApiToken.token_digest)).scalars().all()
    assert body["token"] not in stored  # only a digest is kept
    assert len(stored) == 1 and len(stored[0]) == 64


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer nonsense", "Basic dmlld2VyOnB3", "bearer  "],
)
def test_bad_authorization_headers_are_401(client, header):
    answer = client.get("/api/v1/openapi.json", headers={"Authorization": header})
    assert answer.status_code == 401


def test_session_cookie_flags(tmp_path):
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True)
    with app.app_context():
        factories.make_users(PASSWORD)
        db.session.commit()
    answer = app.test_client().post(
        "/login", data={"email": "viewer@example.com", "password": PASSWORD}
    )
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("session=")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" in cookie
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_session_cookie_not_secure_when_configured_off(client):
    answer = client.post("/login", data={"email": "viewer@example.com", "password": PASSWORD})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_no_open_redirect_after_login(client, target):
    answer = client.post(
        "/login", data={"email": "viewer@example.com", "password": PASSWORD, "next": target}
    )
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"


def test_next_inside_the_site_is_followed(client):
    login_page = client.get("/admin/audit?q=x")
    next_value = login_page.headers["Location"].split("next=", 1)[1]
    assert next_value.startswith("/admin/audit")
    answer = client.post(
        "/login",
        data={"email": "viewer@example.com", "password": PASSWORD, "next": "/admin/audit?q=x"},
    )
    assert answer.headers["Location"] == "/admin/audit?q=x"


def test_signed_in_user_visiting_login_goes_to_dashboard(client, auth):
    auth.login("viewer")
    answer = client.get("/login")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"


@pytest.mark.parametrize(
    ("password", "accepted"),
    [("a" * 7, False), ("a" * 8, True), ("a" * 128, True), ("a" * 129, False), (" " * 10, False)],
)
def test_password_length_rules_on_user_creation(client, auth, app, password, accepted):
    auth.login("admin")
    answer = client.post(
        "/admin/users/new",
        data={"email": "fresh@example.com", "role": "viewer", "password": password},
    )
    assert answer.status_code == (302 if accepted else 200)
    with app.app_context():
        created = db.session.execute(
            select(User).where(User.email == "fresh@example.com")
        ).scalar_one_or_none()
    assert (created is not None) == accepted
    if not accepted:
        assert b"invalid-feedback" in answer.data


def test_long_password_works_for_login(client, auth, app):
    auth.login("admin")
    long_password = "p" * 128
    client.post(
        "/admin/users/new",
        data={"email": "long@example.com", "role": "viewer", "password": long_password},
    )
    auth.logout()
    answer = client.post("/login", data={"email": "long@example.com", "password": long_password})
    assert answer.status_code == 302


def test_passwords_are_hashed_with_a_kdf(app):
    with app.app_context():
        user = db.session.execute(
            select(User).where(User.email == "viewer@example.com")
        ).scalar_one()
        assert user.password_hash.startswith("scrypt:")
        assert PASSWORD not in user.password_hash
        assert user.check_password(PASSWORD) and not user.check_password(PASSWORD + "x")
