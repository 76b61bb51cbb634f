"""The audit trail: field diffs on record changes, security events, the admin's searchable log."""

from sqlalchemy import select

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.audit.services import history_for, record_security_event
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db


def _events(app, **where):
    with app.app_context():
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEvent, key) == value)
        return db.session.execute(stmt).scalars().all()


def _create(client, email, role="viewer"):
    return client.post(
        "/admin/users/new", data={"email": email, "role": role, "password": "a fine password"}
    )


def test_creating_a_user_records_who_and_the_fields(client, auth, app):
    auth.login("admin")
    _create(client, "audited@example.com", role="manager")
    (event,) = _events(app, action="create", record_type="users")[-1:]
    assert event.actor == "admin@example.com"
    assert event.changes["email"] == [None, "audited@example.com"]
    assert event.changes["role"] == [None, "manager"]
    assert "password_hash" not in event.changes
    assert event.ip_address == "127.0.0.1"


def test_a_create_event_names_the_new_row_and_starts_its_history(client, auth, app):
    auth.login("admin")
    _create(client, "fresh@example.com")
    with app.app_context():
        user = db.session.execute(
            select(User).where(User.email == "fresh@example.com")
        ).scalar_one()
        user_id = user.id
        history = history_for("users", user_id)
    (event,) = _events(app, action="create", record_type="users", record_id=str(user_id))
    assert event.changes["email"] == [None, "fresh@example.com"]
    assert [e.id for e in history] == [event.id]


def test_update_records_only_changed_fields_with_old_and_new(client, auth, app):
    auth.login("admin")
    with app.app_context():
        viewer = db.session.execute(
            select(User).where(User.email == "viewer@example.com")
        ).scalar_one()
        viewer_id, version = viewer.id, viewer.version
    client.post(
        f"/admin/users/{viewer_id}",
        data={"name": "Viewer", "role": "manager", "active": "y", "version": version},
    )
    (event,) = _events(app, action="update", record_id=str(viewer_id))
    assert event.changes == {"role": ["viewer", "manager"]}
    (created,) = _events(app, action="create", record_type="users", record_id=str(viewer_id))
    # The role change is also a security event of its own, by the admin, in the user's history.
    (role_changed,) = _events(app, action="role_changed", record_id=str(viewer_id))
    with app.app_context():
        history = [e.id for e in history_for("users", viewer_id)]
    assert sorted(history, reverse=True) == sorted(
        [event.id, role_changed.id, created.id], reverse=True
    )


def test_a_save_without_changes_records_nothing(client, auth, app):
    auth.login("admin")
    with app.app_context():
        viewer = db.session.execute(
            select(User).where(User.email == "viewer@example.com")
        ).scalar_one()
        viewer_id, version = viewer.id, viewer.version
    client.post(
        f"/admin/users/{viewer_id}",
        data={"name": "Viewer", "role": "viewer", "active": "y", "version": version},
    )
    assert _events(app, action="update", record_id=str(viewer_id)) == []


def test_log_page_is_for_admins_only(client, auth):
    auth.login("manager")
    assert client.get("/admin/audit").status_code == 403
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert b"manager@example.com" in page.data  # the refused visit above is in the log


def test_log_search_and_action_filter(client, auth, app):
    auth.login("admin")
    _create(client, "findme@example.com")
    client.post("/login", data={"email": "ghost@example.com", "password": "wrong password"})
    found = client.get("/admin/audit?q=findme")
    assert b"findme@example.com" in found.data
    assert b"ghost@example.com" not in found.data
    failed = client.get("/admin/audit?action=login_failed")
    assert failed.status_code == 200
    # A signed-in admin posting to /login is sent on without an attempt, so none was recorded.
    assert b"ghost@example.com" not in failed.data
    nothing = client.get("/admin/audit?q=no-such-thing-anywhere")
    assert b"No events match." in nothing.data


def test_log_search_treats_wildcards_and_odd_input_as_text(client, auth):
    auth.login("admin")
    for query in ("%", "_", "'; drop table users; --", "\u00e9\u00e8", "x" * 500):
        assert client.get("/admin/audit", query_string={"q": query}).status_code == 200
    assert client.get("/admin/audit?page=abc").status_code == 200
    assert client.get("/admin/audit?page=99999").status_code == 200


def test_log_is_paginated_newest_first(client, auth, app):
    with app.app_context():
        for n in range(30):
            record_security_event("login_failed", f"bulk{n:02d}@example.com", "wrong credentials")
        db.session.commit()
    auth.login("admin")
    first = client.get("/admin/audit?action=login_failed")
    second = client.get("/admin/audit?action=login_failed&page=2")
    assert b"bulk29@example.com" in first.data and b"bulk00@example.com" not in first.data
    assert b"bulk00@example.com" in second.data and b"bulk29@example.com" not in second.data


def test_log_page_query_count_does_not_grow(client, auth, app, query_counter):
    auth.login("admin")
    with query_counter() as few:
        client.get("/admin/audit")
    with app.app_context():
        for n in range(40):
            record_security_event("login_failed", f"more{n}@example.com", "wrong credentials")
        db.session.commit()
    with query_counter() as many:
        client.get("/admin/audit")
    assert len(many) == len(few)


def test_query_counter_counts_each_statement(app, query_counter):
    """The helper itself: it sees every statement inside the block and none outside."""
    from sqlalchemy import text

    with app.app_context():
        db.session.execute(text("SELECT 1"))  # before the block: not counted
        with query_counter() as statements:
            db.session.execute(text("SELECT 1"))
            db.session.execute(text("SELECT 2"))
        db.session.execute(text("SELECT 3"))  # after the block: not counted
    assert [s.strip() for s in statements] == ["SELECT 1", "SELECT 2"]


def test_query_counter_sees_the_queries_of_a_request(client, auth, query_counter):
    auth.login("admin")
    with query_counter() as statements:
        client.get("/admin/users")
    assert any("FROM users" in s for s in statements)
    assert 1 <= len(statements) <= 6
