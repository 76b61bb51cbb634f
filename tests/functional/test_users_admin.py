"""Admins create users, change roles, disable accounts; the last admin is protected."""

import re

from sqlalchemy import select

from tests.conftest import PASSWORD, logged_in_client
from vendor_tracker.auth.models import ApiToken, User
from vendor_tracker.auth.services import create_user
from vendor_tracker.extensions import db


def _user(app, email):
    with app.app_context():
        return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def _version(page) -> str:
    return re.search(rb'name="version"[^>]*value="(\d+)"', page.data).group(1).decode()


def _edit(client, app, email, **changes):
    user = _user(app, email)
    page = client.get(f"/admin/users/{user.id}")
    data = {"name": user.name, "role": user.role, "version": _version(page)}
    if user.active:
        data["active"] = "y"
    data.update(changes)
    if changes.get("active") is False:
        data.pop("active")
    return client.post(f"/admin/users/{user.id}", data=data)


def test_admin_lists_users(client, auth):
    auth.login("admin")
    page = client.get("/admin/users")
    assert page.status_code == 200
    for role in ("admin", "manager", "viewer"):
        assert f"{role}@example.com".encode() in page.data


def test_admin_creates_a_user_who_can_sign_in(client, auth, app):
    auth.login("admin")
    answer = client.post(
        "/admin/users/new",
        data={
            "email": "New.Person@Example.com",
            "name": "New",
            "role": "manager",
            "password": "a fine password",
        },
    )
    assert answer.status_code == 302
    created = _user(app, "new.person@example.com")
    assert (created.role, created.active, created.name) == ("manager", True, "New")
    auth.logout()
    answer = client.post(
        "/login", data={"email": "new.person@example.com", "password": "a fine password"}
    )
    assert answer.status_code == 302


def test_duplicate_or_invalid_email_and_unknown_role_are_refused(client, auth, app):
    auth.login("admin")
    cases = [
        ({"email": "VIEWER@example.com", "role": "viewer"}, b"already exists"),
        ({"email": "not-an-email", "role": "viewer"}, b"invalid-feedback"),
        ({"email": "ok@example.com", "role": "superuser"}, b"Not a valid choice"),
    ]
    for data, message in cases:
        answer = client.post("/admin/users/new", data={**data, "password": "a fine password"})
        assert answer.status_code == 200
        assert message in answer.data
    assert _user(app, "ok@example.com") is None


def test_role_change_applies_to_an_open_session(client, auth, app):
    viewer = logged_in_client(app, "viewer")
    assert viewer.get("/admin/users").status_code == 403
    auth.login("admin")
    assert _edit(client, app, "viewer@example.com", role="admin").status_code == 302
    assert _user(app, "viewer@example.com").role == "admin"
    assert viewer.get("/admin/users").status_code == 200


def test_disabling_a_user_ends_sessions_and_tokens(client, auth, app, api):
    headers = api.headers("manager")
    manager = logged_in_client(app, "manager")
    auth.login("admin")
    assert _edit(client, app, "manager@example.com", active=False).status_code == 302
    assert _user(app, "manager@example.com").active is False
    assert manager.get("/").status_code == 302
    fresh = app.test_client()
    assert fresh.get("/api/v1/openapi.json", headers=headers).status_code == 401
    with app.app_context():
        owners = db.session.execute(select(User.email).join(ApiToken)).scalars().all()
    assert "manager@example.com" not in owners


def test_admin_sets_a_new_password(client, auth, app):
    auth.login("admin")
    assert _edit(client, app, "viewer@example.com", password="brand new secret").status_code == 302
    old = app.test_client().post(
        "/login", data={"email": "viewer@example.com", "password": PASSWORD}
    )
    new = app.test_client().post(
        "/login", data={"email": "viewer@example.com", "password": "brand new secret"}
    )
    assert (old.status_code, new.status_code) == (200, 302)


def test_a_new_password_ends_the_users_other_sessions_and_tokens(client, auth, app, api):
    headers = api.headers("viewer")
    viewer = logged_in_client(app, "viewer")
    assert viewer.get("/").status_code == 200
    auth.login("admin")
    assert _edit(client, app, "viewer@example.com", password="brand new secret").status_code == 302
    assert viewer.get("/").status_code == 302  # back to the login page
    assert app.test_client().get("/api/v1/openapi.json", headers=headers).status_code == 401


def test_admin_changing_their_own_password_stays_signed_in(client, auth, app):
    auth.login("admin")
    answer = _edit(client, app, "admin@example.com", password="my new admin secret")
    assert answer.status_code == 302
    assert client.get("/").status_code == 200


def test_last_admin_can_be_neither_demoted_nor_disabled(client, auth, app):
    auth.login("admin")
    for change in ({"role": "manager"}, {"active": False}):
        answer = _edit(client, app, "admin@example.com", **change)
        assert answer.status_code == 200
        assert b"last enabled admin" in answer.data
        admin = _user(app, "admin@example.com")
        assert (admin.role, admin.active) == ("admin", True)


def test_one_of_two_admins_may_be_demoted(client, auth, app):
    with app.app_context():
        create_user("second@example.com", PASSWORD, "admin")
        db.session.commit()
    auth.login("admin")
    assert _edit(client, app, "second@example.com", role="viewer").status_code == 302
    assert _user(app, "second@example.com").role == "viewer"


def test_stale_version_is_refused_and_keeps_the_input(client, auth, app):
    auth.login("admin")
    viewer = _user(app, "viewer@example.com")
    page = client.get(f"/admin/users/{viewer.id}")
    stale = _version(page)
    # Someone else saves first.
    assert _edit(client, app, "viewer@example.com", name="First save").status_code == 302
    answer = client.post(
        f"/admin/users/{viewer.id}",
        data={"name": "Second save", "role": "manager", "active": "y", "version": stale},
    )
    assert answer.status_code == 200
    assert b"changed by someone else" in answer.data
    assert b'value="Second save"' in answer.data
    after = _user(app, "viewer@example.com")
    assert (after.name, after.role) == ("First save", "viewer")


def test_missing_or_garbled_version_is_refused(client, auth, app):
    auth.login("admin")
    viewer = _user(app, "viewer@example.com")
    for version in ("", "abc", "-1"):
        answer = client.post(
            f"/admin/users/{viewer.id}",
            data={"name": "X", "role": "viewer", "active": "y", "version": version},
        )
        assert answer.status_code == 200
    assert _user(app, "viewer@example.com").name == "Viewer"


def test_unknown_user_is_404(client, auth):
    auth.login("admin")
    assert client.get("/admin/users/999999").status_code == 404
