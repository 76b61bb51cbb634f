"""The bell, the notifications page, marking read and the email choices, as each kind of user."""

import re

from sqlalchemy import select

from tests import factories
from tests.conftest import PASSWORD, logged_in_client
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.extensions import db
from vendor_tracker.notifications import services
from vendor_tracker.notifications.models import Notification, NotificationPreference


def _add(app, email, count, *, kind="report_submitted", vendor_id=None, subject="Event"):
    with app.app_context():
        user_id = user_by_email(email).id
        for n in range(count):
            services.notify(
                kind,
                [user_id],
                f"{subject} {n + 1}",
                "What happened.",
                "/engagements",
                vendor_id=vendor_id,
            )
        db.session.commit()
        return user_id


def _bell(html: str) -> str:
    found = re.search(r'aria-label="(Notifications, \d+ unread)"', html)
    return found.group(1) if found else ""


def _unread(app, user_id):
    with app.app_context():
        return (
            db.session.execute(
                select(Notification.subject)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
                .order_by(Notification.id)
            )
            .scalars()
            .all()
        )


def test_the_bell_counts_the_users_own_unread_notifications(app):
    _add(app, "manager@example.com", 3)
    _add(app, "viewer@example.com", 1)
    assert _bell(logged_in_client(app, "manager").get("/").get_data(as_text=True)) == (
        "Notifications, 3 unread"
    )
    assert _bell(logged_in_client(app, "admin").get("/").get_data(as_text=True)) == (
        "Notifications, 0 unread"
    )


def test_the_list_is_newest_first_paginated_and_marks_unread(app):
    app.config["ITEMS_PER_PAGE"] = 2
    _add(app, "manager@example.com", 3)
    client = logged_in_client(app, "manager")
    first = client.get("/notifications").get_data(as_text=True)
    assert first.index("Event 3") < first.index("Event 2")
    assert "Event 1" not in first and "page 1 of 2" in first
    assert first.count(">Unread</span>") == 2 and "3 unread" in first
    second = client.get("/notifications?page=2").get_data(as_text=True)
    assert "Event 1" in second and "Event 3" not in second


def test_an_empty_list_says_so(app):
    html = logged_in_client(app, "viewer").get("/notifications").get_data(as_text=True)
    assert "No notifications yet" in html and "Mark all read" not in html


def test_mark_read_marks_only_that_one_and_only_ones_own(app):
    manager = _add(app, "manager@example.com", 2)
    viewer = _add(app, "viewer@example.com", 1)
    with app.app_context():
        first, second = db.session.execute(
            select(Notification.id).where(Notification.user_id == manager).order_by(Notification.id)
        ).scalars()
        viewers = db.session.execute(
            select(Notification.id).where(Notification.user_id == viewer)
        ).scalar_one()
    client = logged_in_client(app, "manager")
    assert client.post(f"/notifications/{first}/read").status_code == 302
    assert _unread(app, manager) == ["Event 2"]
    assert client.post(f"/notifications/{viewers}/read").status_code == 404
    assert _unread(app, viewer) == ["Event 1"]
    assert client.get(f"/notifications/{second}/read").status_code == 405


def test_mark_all_read_marks_every_own_unread_one(app):
    manager = _add(app, "manager@example.com", 3)
    viewer = _add(app, "viewer@example.com", 1)
    answer = logged_in_client(app, "manager").post("/notifications/read-all", follow_redirects=True)
    assert "3 notifications marked read." in answer.get_data(as_text=True)
    assert _unread(app, manager) == [] and _unread(app, viewer) == ["Event 1"]


def test_writes_need_the_csrf_token(app):
    app.config["WTF_CSRF_ENABLED"] = True
    manager = _add(app, "manager@example.com", 1)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/login",
        data={"email": "manager@example.com", "password": PASSWORD, "csrf_token": token},
    )
    assert client.post("/notifications/read-all").status_code == 400
    assert _unread(app, manager) == ["Event 1"]


def _choices(app, user_id):
    with app.app_context():
        return dict(
            db.session.execute(
                select(NotificationPreference.kind, NotificationPreference.email).where(
                    NotificationPreference.user_id == user_id
                )
            ).all()
        )


def _ticked(html: str) -> set[str]:
    return set(re.findall(r'<input checked class="form-check-input" id="(\w+)"', html))


def test_settings_saved_unchanged_store_nothing_and_one_box_changes_one_choice(app):
    client = logged_in_client(app, "manager")
    with app.app_context():
        manager = user_by_email("manager@example.com").id
    page = client.get("/notifications/settings").get_data(as_text=True)
    everything = _ticked(page)
    assert len(everything) == 12 and "critical_breach" in everything
    answer = client.post(
        "/notifications/settings", data=dict.fromkeys(everything, "y"), follow_redirects=True
    )
    assert "Nothing changed" in answer.get_data(as_text=True)
    assert _choices(app, manager) == {}
    without_one = everything - {"month_disputed"}
    answer = client.post(
        "/notifications/settings", data=dict.fromkeys(without_one, "y"), follow_redirects=True
    )
    assert "1 changed" in answer.get_data(as_text=True)
    assert _choices(app, manager) == {"month_disputed": False}
    assert _ticked(client.get("/notifications/settings").get_data(as_text=True)) == without_one
    client.post("/notifications/settings", data=dict.fromkeys(everything, "y"))
    assert _choices(app, manager) == {"month_disputed": True}


def test_a_provider_sees_the_bell_their_own_notifications_and_their_choices(app):
    with app.app_context():
        vendor_a, vendor_b = factories.make_vendor("A"), factories.make_vendor("B")
        factories.make_provider(PASSWORD, vendor_a, "pat@a.example")
        a_id, b_id = vendor_a.id, vendor_b.id
        db.session.commit()
    _add(app, "pat@a.example", 1, kind="month_verified", vendor_id=a_id, subject="Own")
    # A row about another vendor (had the user been moved) stays hidden from the portal.
    _add(app, "pat@a.example", 1, kind="month_verified", vendor_id=b_id, subject="Moved")
    _add(app, "manager@example.com", 1, subject="Client's")
    client = logged_in_client(app, "pat@a.example")
    assert _bell(client.get("/").get_data(as_text=True)) == "Notifications, 1 unread"
    html = client.get("/notifications").get_data(as_text=True)
    assert "Own 1" in html and "Moved" not in html and "Client" not in html
    settings = client.get("/notifications/settings").get_data(as_text=True)
    assert "month_verified" in _ticked(settings) and "report_submitted" not in settings
    assert client.post("/notifications/read-all").status_code == 302
