"""Security events are entries of their own with the acting user, and internal columns (keys,
digests, hashes, the sign-in time) never appear in the trail."""

from sqlalchemy import select

from tests import factories
from tests.conftest import PASSWORD
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.audit.services import history_for, is_ignored
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db

INTERNAL = {"password_hash", "session_key", "token_digest", "name_key", "last_login_at"}


def _events(app, **where):
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return db.session.execute(stmt).scalars().all()


def _all_changed_fields(app) -> set[str]:
    return {field for event in _events(app) for field in (event.changes or {})}


def _viewer(app):
    with app.app_context():
        user = db.session.execute(
            select(User).where(User.email == "viewer@example.com")
        ).scalar_one()
        return user.id, user.version


def test_a_sign_in_is_one_login_event_not_an_update_by_anonymous(client, auth, app):
    before = len(_events(app))
    auth.login("viewer")
    new = _events(app)[before:]
    assert [(e.action, e.actor) for e in new] == [("login", "viewer@example.com")]
    assert _events(app, action="update", record_type="users") == []


def test_a_failed_sign_in_and_a_sign_out_are_recorded(client, auth, app):
    auth.login("viewer", password="not the password")
    auth.login("viewer")
    auth.logout()
    actions = [(e.action, e.actor) for e in _events(app) if e.record_type is None]
    assert actions[-3:] == [
        ("login_failed", "viewer@example.com"),
        ("login", "viewer@example.com"),
        ("logout", "viewer@example.com"),
    ]


def test_an_admins_password_reset_is_recorded_by_whom_for_whom(client, auth, app):
    auth.login("admin")
    viewer_id, version = _viewer(app)
    client.post(
        f"/admin/users/{viewer_id}",
        data={
            "name": "Viewer",
            "role": "viewer",
            "active": "y",
            "password": "a brand new password",
            "version": version,
        },
    )
    (event,) = _events(app, action="password_set")
    assert event.actor == "admin@example.com"
    assert (event.record_type, event.record_id) == ("users", str(viewer_id))
    assert "viewer@example.com" in event.summary
    with app.app_context():
        assert event.id in [e.id for e in history_for("users", viewer_id)]
    assert not INTERNAL & _all_changed_fields(app)


def test_a_role_change_is_a_security_event_by_the_admin(client, auth, app):
    auth.login("admin")
    viewer_id, version = _viewer(app)
    client.post(
        f"/admin/users/{viewer_id}",
        data={"name": "Viewer", "role": "manager", "active": "y", "version": version},
    )
    (event,) = _events(app, action="role_changed")
    assert event.actor == "admin@example.com"
    assert event.record_id == str(viewer_id)
    assert "from viewer to manager" in event.summary


def test_internal_columns_never_appear_in_the_trail(client, auth, app, api):
    auth.login("admin")
    client.post(
        "/admin/users/new",
        data={"email": "new@example.com", "role": "viewer", "password": "a fine password"},
    )
    api.get("/api/v1/vendors", role="viewer")  # a token issued
    with app.app_context():
        vendor = factories.make_vendor("Acme Outsourcing")
        db.session.commit()
        vendor.name = "Acme Outsourcing Group"
        db.session.commit()
    fields = _all_changed_fields(app)
    assert "name" in fields and "email" in fields  # the trail records real fields
    assert not INTERNAL & fields


def test_the_ignore_list_covers_every_key_digest_and_hash():
    for field in (*INTERNAL, "key_digest", "api_key", "secret_hash"):
        assert is_ignored(field), field
    for field in ("name", "email", "role", "active", "status"):
        assert not is_ignored(field), field


def test_signing_in_with_a_password_does_not_log_the_password(client, app):
    client.post("/login", data={"email": "viewer@example.com", "password": PASSWORD})
    assert all(PASSWORD not in (event.summary or "") for event in _events(app))
