"""Sessions end on the server: a copied session cookie stops working after sign-out, after an
admin's "sign out everywhere", after disabling the user and after a new password."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, seeded_app
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.auth.models import User, UserSession
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db


def _signed_in(app, role="viewer"):
    """A client signed in as `role`, and a copy of its session cookie."""
    client = app.test_client()
    answer = client.post("/login", data={"email": f"{role}@example.com", "password": PASSWORD})
    assert answer.status_code == 302
    assert client.get("/").status_code == 200
    return client, client.get_cookie("session").value


def _with_cookie(app, cookie):
    """Another browser holding the copied cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _user_id(app, email):
    with app.app_context():
        return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def _assert_sent_to_login(client):
    answer = client.get("/vendors")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def _events(app, action):
    with app.app_context():
        stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return db.session.execute(stmt).scalars().all()


def test_a_copied_cookie_is_refused_after_sign_out(app):
    client, cookie = _signed_in(app)
    assert _with_cookie(app, cookie).get("/vendors").status_code == 200
    client.post("/logout")
    _assert_sent_to_login(_with_cookie(app, cookie))
    (signed_out,) = _events(app, "logout")
    assert signed_out.actor == "viewer@example.com"


def test_sign_out_ends_only_that_browser(app):
    first, _ = _signed_in(app)
    second, cookie = _signed_in(app)
    first.post("/logout")
    assert second.get("/vendors").status_code == 200
    assert _with_cookie(app, cookie).get("/vendors").status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_user(app):
    _, first_cookie = _signed_in(app)
    _, second_cookie = _signed_in(app)
    manager, manager_cookie = _signed_in(app, "manager")
    admin, _ = _signed_in(app, "admin")
    viewer_id = _user_id(app, "viewer@example.com")
    page = admin.get(f"/admin/users/{viewer_id}")
    assert b"Sign out everywhere" in page.data and page.data.count(b"<tr data-session>") == 2

    answer = admin.post(f"/admin/users/{viewer_id}/sign-out-everywhere")
    assert answer.status_code == 302
    _assert_sent_to_login(_with_cookie(app, first_cookie))
    _assert_sent_to_login(_with_cookie(app, second_cookie))
    assert _with_cookie(app, manager_cookie).get("/vendors").status_code == 200
    assert b"No open sessions." in admin.get(f"/admin/users/{viewer_id}").data
    (ended,) = _events(app, "sessions_ended")
    assert ended.actor == "admin@example.com"
    assert (ended.record_type, ended.record_id) == ("users", str(viewer_id))
    assert "2 session(s)" in ended.summary and "viewer@example.com" in ended.summary


def test_sign_out_everywhere_also_ends_api_tokens(app, api):
    assert api.get("/api/v1/vendors", role="viewer").status_code == 200
    admin, _ = _signed_in(app, "admin")
    admin.post(f"/admin/users/{_user_id(app, 'viewer@example.com')}/sign-out-everywhere")
    assert api.get("/api/v1/vendors", role="viewer").status_code == 401


def test_sign_out_everywhere_is_for_admins_only(app):
    manager, _ = _signed_in(app, "manager")
    _, cookie = _signed_in(app)
    viewer_id = _user_id(app, "viewer@example.com")
    assert manager.post(f"/admin/users/{viewer_id}/sign-out-everywhere").status_code == 403
    assert _with_cookie(app, cookie).get("/vendors").status_code == 200


def test_sign_out_everywhere_needs_the_csrf_token(tmp_path):
    with seeded_app(tmp_path, WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        login = client.get("/login").data
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', login).group(1).decode()
        data = {"email": "admin@example.com", "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
        viewer_id = _user_id(app, "viewer@example.com")
        assert client.post(f"/admin/users/{viewer_id}/sign-out-everywhere").status_code == 400
        page = client.get(f"/admin/users/{viewer_id}").data
        form_token = re.search(
            rb'sign-out-everywhere"[^<]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
            page,
        )
        answer = client.post(
            f"/admin/users/{viewer_id}/sign-out-everywhere",
            data={"csrf_token": form_token.group(1).decode()},
        )
        assert answer.status_code == 302


def test_a_copied_cookie_is_refused_once_the_user_is_disabled(app):
    _, cookie = _signed_in(app)
    admin, _ = _signed_in(app, "admin")
    viewer_id = _user_id(app, "viewer@example.com")
    with app.app_context():
        version = db.session.get(User, viewer_id).version
    admin.post(
        f"/admin/users/{viewer_id}",
        data={"name": "Viewer", "role": "viewer", "version": version},  # "active" unticked
    )
    _assert_sent_to_login(_with_cookie(app, cookie))
    with app.app_context():
        open_rows = db.session.execute(
            select(UserSession).where(
                UserSession.user_id == viewer_id, UserSession.revoked_at.is_(None)
            )
        ).all()
    assert open_rows == []
    (ended,) = _events(app, "sessions_ended")
    assert "user disabled" in ended.summary and ended.actor == "admin@example.com"


def test_a_new_password_ends_the_users_sessions(app):
    _, cookie = _signed_in(app)
    admin, _ = _signed_in(app, "admin")
    viewer_id = _user_id(app, "viewer@example.com")
    with app.app_context():
        version = db.session.get(User, viewer_id).version
    admin.post(
        f"/admin/users/{viewer_id}",
        data={
            "name": "Viewer",
            "role": "viewer",
            "active": "y",
            "password": "a brand new password",
            "version": version,
        },
    )
    _assert_sent_to_login(_with_cookie(app, cookie))
    assert admin.get("/vendors").status_code == 200  # the admin's own session goes on


def test_an_admin_who_sets_their_own_password_stays_signed_in_with_a_new_session(app):
    admin, old_cookie = _signed_in(app, "admin")
    admin_id = _user_id(app, "admin@example.com")
    with app.app_context():
        version = db.session.get(User, admin_id).version
    admin.post(
        f"/admin/users/{admin_id}",
        data={
            "name": "Admin",
            "role": "admin",
            "active": "y",
            "password": "a brand new password",
            "version": version,
        },
    )
    assert admin.get("/vendors").status_code == 200
    _assert_sent_to_login(_with_cookie(app, old_cookie))


def test_a_cookie_without_a_server_side_session_is_refused(app):
    # A cookie signed with the key but naming no session (as every cookie did before).
    client, _ = _signed_in(app)
    with client.session_transaction() as session:
        session.pop("session_id")
    _assert_sent_to_login(client)


def test_an_expired_session_is_refused(app):
    client, _ = _signed_in(app)
    with app.app_context():
        db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    _assert_sent_to_login(client)


@pytest.mark.parametrize("minutes, refreshed", [(1, False), (10, True)])
def test_last_seen_is_written_at_most_every_few_minutes(app, minutes, refreshed):
    client, _ = _signed_in(app)
    earlier = utcnow() - timedelta(minutes=minutes)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=earlier))
        db.session.commit()
    assert client.get("/vendors").status_code == 200
    with app.app_context():
        seen = db.session.execute(select(UserSession.last_seen_at)).scalar_one()
    assert (seen > earlier) is refreshed


def test_the_session_row_keeps_only_a_digest_and_a_client_summary(app):
    client, _ = _signed_in(app)
    with client.session_transaction() as session:
        raw = session["session_id"]
    with app.app_context():
        row = db.session.execute(select(UserSession)).scalar_one()
    assert raw not in row.token_digest and len(row.token_digest) == 64
    assert row.ip_address == "127.0.0.1"
    assert row.expires_at - row.created_at == timedelta(hours=8)
