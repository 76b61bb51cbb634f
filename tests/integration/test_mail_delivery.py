"""Email delivery of the outbox through a real SMTP server (aiosmtpd on a loopback port), driven
by the real `flask send-notifications` command, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.
"""

import os
import re
import socket
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.conftest import logged_in_client, postgres_url, seeded_app
from tests.integration.conftest import reset_postgres
from tests.smtp_server import SmtpServer, free_port, use_mail
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.notifications import delivery, mail, services
from vendor_tracker.notifications.models import EmailState, Notification, NotificationPreference

BASE = "https://vendors.example.com"
POSTGRES = [postgres_url()] if postgres_url() else []


@pytest.fixture
def smtp():
    """A started SMTP server on a free loopback port; stopped after the test."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def user_id(email):
    return db.session.execute(select(User.id).where(User.email == email)).scalar_one()


def add_notification(email="manager@example.com", **values):
    """An outbox row for the user with that email, due now, committed; its id."""
    fields = {
        "kind": "report_submitted",
        "subject": "Concentrix submitted the results of Oct 2026",
        "body": "Monthly report of Customer care EMEA, Oct 2026: 12 service levels.",
        "link": "/engagements/3/bpo",
        "email_state": EmailState.PENDING.value,
        "next_attempt_at": datetime.now(UTC) - timedelta(seconds=1),
    }
    fields.update(values)
    row = Notification(user_id=user_id(email), **fields)
    db.session.add(row)
    db.session.commit()
    return row.id


def stored(notification_id) -> Notification:
    db.session.expire_all()
    return db.session.get(Notification, notification_id)


def utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes (stored as UTC); PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def send(runner):
    result = runner.invoke(args=["send-notifications"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_pending_notification_is_emailed_once_with_absolute_links(app, ctx, runner, smtp):
    use_mail(app, smtp.port)
    row_id = add_notification()

    assert "1 sent, 0 will retry" in send(runner), stored(row_id).last_error

    assert len(smtp.inbox.envelopes) == 1
    envelope = smtp.inbox.envelopes[0]
    assert envelope.rcpt_tos == ["manager@example.com"]
    assert envelope.mail_from == "noreply@vendors.example.com"
    message = smtp.inbox.messages()[0]
    assert message["Subject"] == "Concentrix submitted the results of Oct 2026"
    assert message["To"] == "manager@example.com"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert f"{BASE}/engagements/3/bpo" in body
        assert f"{BASE}/notifications/settings" in body
        assert "Customer care EMEA, Oct 2026: 12 service levels." in body
    assert 'href="/' not in html  # no relative link in the HTML
    row = stored(row_id)
    assert row.email_state == "sent" and row.sent_at is not None
    assert row.attempts == 0 and row.last_error == ""
    assert row.claimed_by.endswith(f":{os.getpid()}")

    # The next minute's run finds nothing more to send.
    assert "0 sent, 0 will retry" in send(runner)
    assert len(smtp.inbox.envelopes) == 1


def test_server_down_keeps_the_row_pending_then_it_is_sent_once(app, ctx, runner):
    server = SmtpServer()  # nothing listens on the port yet
    use_mail(app, server.port, MAIL_PASSWORD="s3cret-pass", MAIL_USERNAME="mailer")
    row_id = add_notification()
    before = datetime.now(UTC)

    assert "0 sent, 1 will retry" in send(runner)

    row = stored(row_id)
    assert row.email_state == "pending" and row.attempts == 1
    assert "ConnectionRefusedError" in row.last_error
    assert "s3cret-pass" not in row.last_error
    # First retry one minute later.
    assert before + timedelta(seconds=55) <= utc(row.next_attempt_at)
    assert utc(row.next_attempt_at) <= datetime.now(UTC) + timedelta(seconds=61)

    server.start()
    try:
        app.config.update(MAIL_USERNAME=None, MAIL_PASSWORD=None)  # aiosmtpd offers no AUTH
        assert "0 sent, 0 will retry" in send(runner)  # not due yet
        assert server.inbox.envelopes == []

        db.session.execute(
            update(Notification).values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        db.session.commit()
        assert "1 sent, 0 will retry" in send(runner)
        assert "0 sent, 0 will retry" in send(runner)
    finally:
        server.stop()
    assert [e.rcpt_tos for e in server.inbox.envelopes] == [["manager@example.com"]]
    row = stored(row_id)
    assert row.email_state == "sent" and row.attempts == 1


# The test server takes the login over plain SMTP (aiosmtpd warns about that; the app itself
# uses STARTTLS unless MAIL_USE_TLS=0).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_the_smtp_login_is_used_and_a_refused_one_is_retried_without_the_password(app, ctx, runner):
    server = SmtpServer(login=("mailer", "right-pass-123"))
    server.start()
    try:
        use_mail(app, server.port, MAIL_USERNAME="mailer", MAIL_PASSWORD="wrong-pass-456")
        refused = add_notification()
        assert "0 sent, 1 will retry" in send(runner)
        row = stored(refused)
        assert row.last_error.startswith("SMTPAuthenticationError: (535")
        assert "wrong-pass-456" not in row.last_error and "mailer" not in row.last_error

        app.config["MAIL_PASSWORD"] = "right-pass-123"
        accepted = add_notification(subject="Second event")
        assert "1 sent, 0 will retry" in send(runner)  # the first waits for its retry time
    finally:
        server.stop()
    assert [m["Subject"] for m in server.inbox.messages()] == ["Second event"]
    assert stored(accepted).email_state == "sent"
    assert stored(refused).email_state == "pending"


def test_a_server_that_never_answers_times_out(app, ctx, runner, monkeypatch):
    monkeypatch.setattr(mail, "SMTP_TIMEOUT_SECONDS", 1)
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        use_mail(app, silent.getsockname()[1])
        row_id = add_notification()
        second = add_notification(subject="Second event")

        assert "0 sent, 2 will retry" in send(runner)

    first, other = stored(row_id), stored(second)
    assert first.last_error.startswith(("TimeoutError", "SMTPServerDisconnected"))
    # The server is unreachable: the rest of the batch waits with the same reason, untried.
    assert other.last_error == first.last_error and other.attempts == 1


def test_after_the_last_attempt_the_row_fails_for_good(app, ctx, runner):
    use_mail(app, free_port(), NOTIFICATION_MAX_ATTEMPTS=3)
    row_id = add_notification(attempts=2)

    assert "0 sent, 0 will retry, 1 failed for good" in send(runner)

    row = stored(row_id)
    assert row.email_state == "failed" and row.attempts == 3
    assert row.next_attempt_at is None and row.last_error


def test_a_row_taken_over_after_its_last_attempt_fails_without_being_sent(app, ctx, runner, smtp):
    use_mail(app, smtp.port, NOTIFICATION_MAX_ATTEMPTS=3)
    crashed_twice = add_notification(
        email_state="sending",
        attempts=2,
        claimed_by="dead-host:1",
        claimed_at=datetime.now(UTC) - timedelta(minutes=20),
    )

    assert "0 sent, 0 will retry, 1 failed for good" in send(runner)

    row = stored(crashed_twice)
    assert (row.email_state, row.attempts) == ("failed", 3)
    assert row.last_error == "Not finished by dead-host:1"
    assert smtp.inbox.envelopes == []


def test_unwanted_rows_are_never_sent(app, ctx, runner, smtp):
    use_mail(app, smtp.port)
    not_wanted = add_notification(email_state=EmailState.NOT_WANTED.value)
    switched_off_since = add_notification(email="viewer@example.com", kind="month_verified")
    db.session.add(
        NotificationPreference(
            user_id=user_id("viewer@example.com"), kind="month_verified", email=False
        )
    )
    disabled = add_notification(email="admin@example.com")
    db.session.execute(update(User).where(User.email == "admin@example.com").values(active=False))
    db.session.commit()
    wanted = add_notification(email="viewer@example.com", kind="month_disputed")

    output = send(runner)

    assert "1 sent, 0 will retry, 2 not sent" in output
    assert [e.rcpt_tos for e in smtp.inbox.envelopes] == [["viewer@example.com"]]
    assert stored(not_wanted).email_state == "not_wanted"
    assert stored(switched_off_since).email_state == "not_wanted"
    assert stored(disabled).email_state == "not_wanted"
    assert stored(wanted).email_state == "sent"


def test_without_mail_server_nothing_is_sent(app, ctx, runner, smtp):
    use_mail(app, smtp.port)
    app.config["MAIL_SERVER"] = ""
    row_id = add_notification()

    output = send(runner)

    assert "MAIL_SERVER is not set" in output and "shown in the app only" in output
    assert smtp.inbox.envelopes == []
    row = stored(row_id)
    assert row.email_state == "pending" and row.attempts == 0 and row.claimed_by == ""


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"BASE_URL": "", "SERVER_NAME": None}, "Set BASE_URL"),
        ({"MAIL_DEFAULT_SENDER": ""}, "Set MAIL_DEFAULT_SENDER"),
    ],
)
def test_missing_setting_is_refused_before_anything_is_claimed(
    app, ctx, runner, smtp, missing, message
):
    use_mail(app, smtp.port)
    app.config.update(missing)
    row_id = add_notification()

    result = runner.invoke(args=["send-notifications"])

    assert result.exit_code == 1 and message in result.output
    assert smtp.inbox.envelopes == []
    assert stored(row_id).email_state == "pending"


def test_html_body_is_escaped_and_foreign_links_are_not_followed(app, ctx, runner, smtp):
    use_mail(app, smtp.port)
    add_notification(
        subject="Report <b>urgent</b> & late",
        body="<script>alert(1)</script>",
        link="https://evil.example.net/phish",
    )

    send(runner)

    message = smtp.inbox.messages()[0]
    assert message["Subject"] == "Report <b>urgent</b> & late"
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "Report &lt;b&gt;urgent&lt;/b&gt; &amp; late" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "<script>alert(1)</script>" in text  # plain text is not HTML
    assert "evil.example.net" not in html + text
    assert f'href="{BASE}/notifications"' in html


def test_rows_stuck_in_sending_are_claimed_again_after_15_minutes(app, ctx):
    now = datetime.now(UTC)
    stuck = add_notification(
        email_state="sending", claimed_by="dead-host:1", claimed_at=now - timedelta(minutes=16)
    )
    busy = add_notification(
        email_state="sending", claimed_by="live-host:2", claimed_at=now - timedelta(minutes=14)
    )
    later = add_notification(next_attempt_at=now + timedelta(minutes=1))

    assert delivery.claim_batch(10, "this-host:3") == [stuck]
    taken_over = stored(stuck)
    assert (taken_over.claimed_by, taken_over.attempts) == ("this-host:3", 1)
    assert taken_over.last_error == "Not finished by dead-host:1"
    assert stored(busy).claimed_by == "live-host:2"
    assert stored(later).email_state == "pending"
    assert [stored(i).attempts for i in (busy, later)] == [0, 0]


def test_a_claim_takes_at_most_its_batch_oldest_first(app, ctx):
    ids = [add_notification(subject=f"Event {n}") for n in range(5)]

    assert delivery.claim_batch(2, "a:1") == ids[:2]
    assert delivery.claim_batch(2, "b:2") == ids[2:4]
    assert delivery.claim_batch(2, "c:3") == ids[4:]
    assert delivery.claim_batch(2, "d:4") == []


def _claim_until_empty(app, claimer, claimed):
    with app.app_context():
        while ids := delivery.claim_batch(3, claimer):
            assert len(ids) <= 3
            claimed[claimer].extend(ids)
        db.session.remove()


def test_concurrent_claimers_never_claim_the_same_row(app, ctx):
    ids = [add_notification(subject=f"Event {n}") for n in range(24)]
    claimed = {f"host-{n}:1": [] for n in range(4)}
    threads = [
        threading.Thread(target=_claim_until_empty, args=(app, name, claimed)) for name in claimed
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    every_claim = [i for got in claimed.values() for i in got]
    assert sorted(every_claim) == ids  # each row claimed exactly once
    owners = dict(
        db.session.execute(select(Notification.id, Notification.claimed_by)).tuples().all()
    )
    for name, got in claimed.items():
        assert all(owners[i] == name for i in got)


@pytest.mark.parametrize("url", POSTGRES)
def test_postgres_second_claimer_skips_rows_locked_by_the_first(tmp_path, url):
    reset_postgres(url)
    with seeded_app(tmp_path, url) as app, app.app_context():
        ids = [add_notification(subject=f"Event {n}") for n in range(5)]
        outcome = {}

        def second_claimer():
            with app.app_context():
                outcome["ids"] = delivery.claim_batch(10, "second:2")
                db.session.remove()

        with Session(db.engine) as first:
            statement = delivery.claim_statement(2, "first:1", datetime.now(UTC))
            held = sorted(first.execute(statement).scalars())
            # The first claimer's transaction is still open: its two rows stay locked while
            # the second claims; SKIP LOCKED lets it take the others at once instead of waiting.
            thread = threading.Thread(target=second_claimer)
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive(), "the second claimer waited for the first one's lock"
            first.commit()
        assert held == ids[:2]
        assert outcome["ids"] == ids[2:]
    reset_postgres(url)


def test_a_failing_scan_is_reported_and_delivery_still_runs(app, ctx, runner, smtp, monkeypatch):
    use_mail(app, smtp.port)
    add_notification()

    def broken_scan(_today):
        raise RuntimeError("the scan broke")

    monkeypatch.setattr(services, "SCANS", [*services.SCANS, broken_scan])

    result = runner.invoke(args=["send-notifications"])

    assert result.exit_code == 1
    assert "Scans failed, none added: RuntimeError: the scan broke" in result.output
    assert "1 sent, 0 will retry" in result.output
    assert len(smtp.inbox.envelopes) == 1


def test_the_links_of_an_email_open_pages_of_the_app_for_its_recipient(app, ctx, runner, smtp):
    use_mail(app, smtp.port)
    add_notification(link="/notifications")
    send(runner)
    html = smtp.inbox.messages()[0].get_body(("html",)).get_content()
    links = sorted(set(re.findall(r'href="([^"]+)"', html)))
    assert links == [f"{BASE}/notifications", f"{BASE}/notifications/settings"]

    client = logged_in_client(app, "manager")
    for link in links:
        assert client.get(link.removeprefix(BASE)).status_code == 200, link
