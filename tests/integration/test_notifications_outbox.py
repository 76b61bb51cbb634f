"""The outbox: notify() in the caller's transaction, once per dedupe key, email choices,
never to the actor, and the time-based scans registered by the domain packages."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import PASSWORD
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.extensions import db
from vendor_tracker.notifications import services
from vendor_tracker.notifications.models import EmailState, Notification, NotificationPreference


@pytest.fixture
def any_app(app, ctx):
    """The app (on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set) in a context."""
    return app


def _ids(*emails):
    return [user_by_email(e).id for e in emails]


def _rows(**where):
    stmt = select(Notification).order_by(Notification.user_id)
    for name, value in where.items():
        stmt = stmt.where(getattr(Notification, name) == value)
    return db.session.execute(stmt).scalars().all()


def _count():
    return db.session.execute(select(func.count(Notification.id))).scalar_one()


def test_notify_adds_one_pending_row_per_recipient_with_the_event(any_app):
    manager, viewer = _ids("manager@example.com", "viewer@example.com")
    added = services.notify(
        "report_submitted",
        [manager, viewer, manager, None],
        "Subject",
        "Body",
        "/x/1",
        vendor_id=7,
        engagement_id=3,
    )
    db.session.commit()
    assert added == 2
    rows = _rows()
    assert [r.user_id for r in rows] == sorted([manager, viewer])
    first = rows[0]
    assert (first.kind, first.subject, first.body, first.link) == (
        "report_submitted",
        "Subject",
        "Body",
        "/x/1",
    )
    assert (first.vendor_id, first.engagement_id, first.read_at) == (7, 3, None)
    assert first.email_state == EmailState.PENDING
    assert first.next_attempt_at is not None and first.attempts == 0


def test_the_actor_is_never_notified_of_their_own_action(any_app):
    manager, admin = _ids("manager@example.com", "admin@example.com")
    assert services.notify("month_verified", [manager, admin], "s", "b", "/", actor_id=manager) == 1
    assert services.notify("month_verified", [manager], "s", "b", "/", actor_id=manager) == 0
    db.session.commit()
    assert [r.user_id for r in _rows()] == [admin]


def test_a_rollback_drops_the_notifications_with_the_change(any_app):
    manager = _ids("manager@example.com")[0]
    services.notify("dispute_opened", [manager], "s", "b", "/")
    db.session.rollback()
    assert _count() == 0


def test_a_dedupe_key_gives_each_person_the_event_once(any_app):
    manager, viewer = _ids("manager@example.com", "viewer@example.com")
    assert services.notify("critical_breach", [manager], "s", "b", "/", dedupe_key="k1") == 1
    db.session.commit()
    # Again (the manager has it, the viewer not yet), and inside the same transaction twice.
    assert (
        services.notify("critical_breach", [manager, viewer], "s", "b", "/", dedupe_key="k1") == 1
    )
    assert (
        services.notify("critical_breach", [manager, viewer], "s", "b", "/", dedupe_key="k1") == 0
    )
    assert services.notify("critical_breach", [manager], "s", "b", "/", dedupe_key="k2") == 1
    db.session.commit()
    assert _count() == 3
    assert len(_rows(dedupe_key="k1")) == 2


def test_email_follows_the_choice_the_activity_and_the_address(any_app):
    manager, viewer, admin = _ids("manager@example.com", "viewer@example.com", "admin@example.com")
    db.session.add(NotificationPreference(user_id=manager, kind="version_reviewed", email=False))
    db.session.add(NotificationPreference(user_id=admin, kind="version_reviewed", email=True))
    user_by_email("viewer@example.com").active = False
    db.session.flush()
    services.notify("version_reviewed", [manager, viewer, admin], "s", "b", "/")
    # The manager switched off only this kind: another kind is still emailed.
    services.notify("month_verified", [manager], "s", "b", "/")
    db.session.commit()
    states = {(r.user_id, r.kind): (r.email_state, r.next_attempt_at) for r in _rows()}
    assert states[(manager, "version_reviewed")] == (EmailState.NOT_WANTED, None)
    assert states[(viewer, "version_reviewed")] == (EmailState.NOT_WANTED, None)
    assert states[(admin, "version_reviewed")][0] == EmailState.PENDING
    assert states[(manager, "month_verified")][0] == EmailState.PENDING


def test_provider_users_are_the_active_providers_of_that_vendor_only(any_app):
    vendor_a, vendor_b = factories.make_vendor("A"), factories.make_vendor("B")
    pat = factories.make_provider(PASSWORD, vendor_a, "pat@a.example")
    sam = factories.make_provider(PASSWORD, vendor_a, "sam@a.example")
    gone = factories.make_provider(PASSWORD, vendor_a, "gone@a.example")
    gone.active = False
    other = factories.make_provider(PASSWORD, vendor_b, "kim@b.example")
    db.session.commit()
    assert services.provider_users(vendor_a.id) == [pat.id, sam.id]
    assert services.provider_users(vendor_b.id) == [other.id]
    assert services.provider_users(None) == []


def test_run_scans_runs_each_registered_scan_and_commits(any_app, monkeypatch):
    manager = _ids("manager@example.com")[0]
    seen = []

    def fake_scan(today):
        seen.append(today)
        return services.notify(
            "engagement_ending", [manager], "s", "b", "/", dedupe_key=f"end:{today:%Y}"
        )

    monkeypatch.setattr(services, "SCANS", [fake_scan])
    assert services.run_scans(date(2026, 12, 1)) == 1
    assert services.run_scans(date(2026, 12, 2)) == 0
    db.session.rollback()
    assert seen == [date(2026, 12, 1), date(2026, 12, 2)] and _count() == 1
