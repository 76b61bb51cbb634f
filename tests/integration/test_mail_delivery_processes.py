"""Two `flask send-notifications` processes started at the same moment (two hosts, or an
overlapping cron minute) against one database and a real SMTP server: every notification is
emailed exactly once. On SQLite and (with TEST_DATABASE_URL) PostgreSQL."""

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import postgres_url, seeded_app
from tests.integration.conftest import available_backends, reset_postgres
from tests.smtp_server import SmtpServer
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import Notification

ROOT = Path(__file__).resolve().parents[2]
ROWS_PER_USER = 40  # three users: 120 emails, more than two batches of 50 for each run
RUN_SECONDS = 240


@pytest.fixture(params=available_backends())
def database(request, tmp_path):
    """A database URL holding the three users and 120 due notifications."""
    url = postgres_url() if request.param == "postgresql" else None
    if url:
        reset_postgres(url)
    with seeded_app(tmp_path, url) as app, app.app_context():
        now = datetime.now(UTC)
        for user_id in db.session.execute(select(User.id)).scalars():
            db.session.add_all(
                Notification(
                    user_id=user_id,
                    kind="report_submitted",
                    subject=f"Event {n} for user {user_id}",
                    body="",
                    link=f"/engagements/{n}",
                    email_state="pending",
                    next_attempt_at=now,
                )
                for n in range(ROWS_PER_USER)
            )
        db.session.commit()
        yield url or f"sqlite:///{tmp_path / 'test.sqlite3'}", app
    if url:
        reset_postgres(url)


def test_two_processes_at_once_send_each_email_exactly_once(database, tmp_path):
    url, app = database
    server = SmtpServer()
    server.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
    env.update(
        DATABASE_URL=url,
        SECRET_KEY="processes-test-secret",
        VENDOR_TRACKER_INSTANCE=str(tmp_path / "instance"),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(server.port),
        MAIL_USE_TLS="0",
        MAIL_DEFAULT_SENDER="noreply@vendors.example.com",
        BASE_URL="https://vendors.example.com",
    )
    command = [sys.executable, "-m", "flask", "--app", "app", "send-notifications"]
    try:
        runs = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=RUN_SECONDS)[0].decode() for run in runs]
    finally:
        server.stop()

    assert [run.returncode for run in runs] == [0, 0], outputs
    sent = [int(re.search(r"(\d+) sent, 0 will retry", out).group(1)) for out in outputs]
    assert sum(sent) == 3 * ROWS_PER_USER, outputs
    deliveries = Counter(
        (e.rcpt_tos[0], m["Subject"])
        for e, m in zip(server.inbox.envelopes, server.inbox.messages(), strict=True)
    )
    assert len(deliveries) == 3 * ROWS_PER_USER
    assert set(deliveries.values()) == {1}  # nobody got any email twice
    with app.app_context():
        states = dict(
            db.session.execute(
                select(Notification.email_state, func.count()).group_by(Notification.email_state)
            ).all()
        )
        assert states == {"sent": 3 * ROWS_PER_USER}
