"""The weekly digest through the real `flask send-digest` command: who gets one and what it
says, once per user per ISO week, then emailed by `send-notifications` to a real SMTP server.
On SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import PASSWORD
from tests.smtp_server import SmtpServer, use_mail
from vendor_tracker.auth.models import User
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.extensions import db
from vendor_tracker.notifications import digest
from vendor_tracker.notifications.models import Notification, NotificationPreference

TUESDAY = "2026-12-01"  # ISO week 49 of 2026; the digest counts from Tue 24 Nov 00:00 UTC


def at(day, hour=9):
    return datetime(2026, 11 if day > 7 else 12, day, hour, 0, tzinfo=UTC)


def user_id(email):
    return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def note(email, subject, created_at, **values):
    db.session.add(
        Notification(
            user_id=user_id(email),
            kind=values.pop("kind", "report_submitted"),
            subject=subject,
            body="",
            link="/engagements/1",
            created_at=created_at,
            email_state="sent",
            **values,
        )
    )


@pytest.fixture
def outbox(app, ctx):
    """Two providers of two vendors, and notifications read, unread, old and recent."""
    factories.make_provider(PASSWORD, factories.make_vendor("Concentrix"))
    factories.make_provider(
        PASSWORD, factories.make_vendor("Evalueserve"), email="provider-b@example.com"
    )
    note("manager@example.com", "Concentrix submitted Oct 2026", at(30))
    note("manager@example.com", "Evalueserve submitted version 2", at(24, 0))  # first minute
    note("manager@example.com", "Too old: 23 Nov", at(23, 23))
    note("manager@example.com", "Already read", at(29), read_at=at(29, 10))
    note("provider@example.com", "Concentrix: Oct 2026 verified", at(1, 8), kind="month_verified")
    note("provider-b@example.com", "Evalueserve: version 2 reviewed", at(28))
    note("viewer@example.com", "Read by the viewer", at(28), read_at=at(28, 12))
    db.session.commit()


def digests():
    return db.session.execute(
        select(User.email, Notification.subject, Notification.body, Notification.dedupe_key)
        .join(User, User.id == Notification.user_id)
        .where(Notification.kind == "digest")
        .order_by(User.email, Notification.id)
    ).all()


def run(runner, *args):
    result = runner.invoke(args=["send-digest", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_dry_run_prints_who_would_get_what_and_writes_nothing(runner, outbox):
    output = run(runner, "--today", TUESDAY, "--dry-run")

    assert output.splitlines() == [
        "manager@example.com: Weekly summary, week 49 of 2026: 2 unread notifications",
        "provider@example.com: Weekly summary, week 49 of 2026: 1 unread notification",
        "provider-b@example.com: Weekly summary, week 49 of 2026: 1 unread notification",
        "Dry run: 3 digest(s) would be added; nothing changed.",
    ]
    assert digests() == []


def test_each_user_with_something_to_report_gets_one_digest_per_week(runner, outbox):
    output = run(runner, "--today", TUESDAY)

    assert "3 digest(s) added for 2026-W49." in output
    found = {email: (subject, body, key) for email, subject, body, key in digests()}
    assert set(found) == {"manager@example.com", "provider@example.com", "provider-b@example.com"}
    subject, body, key = found["manager@example.com"]
    assert key == "digest:2026-W49"
    assert body.splitlines() == [
        "Unread notifications of the last 7 days:",
        "- Concentrix submitted Oct 2026 (30 Nov 2026)",
        "- Evalueserve submitted version 2 (24 Nov 2026)",
    ]
    # A provider's digest holds their own notifications only, never the other vendor's.
    assert "Evalueserve" not in found["provider@example.com"][1]
    assert "Concentrix" not in found["provider-b@example.com"][1]

    # Run again later in the same ISO week (Sunday): nothing more.
    assert "0 digest(s) added for 2026-W49." in run(runner, "--today", "2026-12-06")
    assert len(digests()) == 3


def test_next_week_counts_only_that_week_and_skips_users_with_nothing_new(runner, outbox):
    run(runner, "--today", TUESDAY)
    note("manager@example.com", "Critical breach Nov 2026", at(7))
    db.session.commit()

    output = run(runner, "--today", "2026-12-08")  # week 50: counts from Tue 1 Dec 00:00

    assert output.splitlines()[0] == (
        "manager@example.com: Weekly summary, week 50 of 2026: 1 unread notification"
    )
    assert "2 digest(s) added for 2026-W50." in output  # provider@'s 1 Dec note is still unread
    assert "provider-b@example.com" not in output  # their 28 Nov note is too old now
    keys = db.session.execute(
        select(Notification.dedupe_key, func.count())
        .where(Notification.kind == "digest")
        .group_by(Notification.dedupe_key)
    ).all()
    assert dict(keys) == {"digest:2026-W49": 3, "digest:2026-W50": 2}


def test_registered_sources_add_items_needing_attention(runner, outbox, monkeypatch):
    def client_items(user, today):
        if user.is_provider:
            return []
        return [InboxItem("overdue_action_item", "Send QBR deck", "Concentrix", "/x", today)]

    monkeypatch.setattr(digest, "DIGEST_SOURCES", [client_items])

    output = run(runner, "--today", TUESDAY)

    assert "viewer@example.com: Weekly summary, week 49 of 2026: 1 item needs attention" in output
    assert "admin@example.com: Weekly summary, week 49 of 2026: 1 item needs attention" in output
    body = {email: body for email, _s, body, _k in digests()}["viewer@example.com"]
    assert body.splitlines() == [
        "Needs your attention:",
        "- Send QBR deck: Concentrix (due 01 Dec 2026)",
    ]


def test_digests_are_emailed_once_by_send_notifications(app, runner, outbox):
    server = SmtpServer()
    server.start()
    try:
        use_mail(app, server.port)
        run(runner, "--today", TUESDAY)
        first = runner.invoke(args=["send-notifications", "--today", TUESDAY])
        second = runner.invoke(args=["send-notifications", "--today", TUESDAY])
    finally:
        server.stop()

    assert "3 sent, 0 will retry" in first.output, first.output
    assert "0 sent, 0 will retry" in second.output
    by_address = {
        e.rcpt_tos[0]: m
        for e, m in zip(server.inbox.envelopes, server.inbox.messages(), strict=True)
    }
    assert set(by_address) == {
        "manager@example.com",
        "provider@example.com",
        "provider-b@example.com",
    }
    message = by_address["manager@example.com"]
    assert message["Subject"] == "Weekly summary, week 49 of 2026: 2 unread notifications"
    text = message.get_body(("plain",)).get_content()
    assert "- Concentrix submitted Oct 2026 (30 Nov 2026)" in text
    assert "https://vendors.example.com/notifications" in text
    assert (
        'href="https://vendors.example.com/notifications"'
        in message.get_body(("html",)).get_content()
    )


def test_a_user_who_switched_digests_off_keeps_it_in_the_app_only(runner, outbox):
    db.session.add(
        NotificationPreference(user_id=user_id("manager@example.com"), kind="digest", email=False)
    )
    db.session.commit()

    run(runner, "--today", TUESDAY)

    state = db.session.execute(
        select(Notification.email_state).where(
            Notification.kind == "digest", Notification.user_id == user_id("manager@example.com")
        )
    ).scalar_one()
    assert state == "not_wanted"
