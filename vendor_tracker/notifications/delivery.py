"""Delivery of the outbox by email: claim due rows, send each once, retry failures later.

Several hosts may run `flask send-notifications` at the same minute. Each run claims a batch in
a short transaction of its own (state 'sending', `claimed_at`, `claimed_by` = host:pid) and only
then talks to the SMTP server, so no row is claimed by two runs:

- PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) RETURNING id`:
  a second run skips the rows the first one holds and takes the next ones.
- SQLite: the same single UPDATE; SQLite lets one writer at a time in, and the UPDATE repeats
  the state condition, so a row already taken is not matched again.

Every later write of a row is guarded by `email_state = 'sending' AND claimed_by = <this run>`,
so a run that lost its claim (a very slow run whose rows were reclaimed) changes nothing.
A row left in 'sending' for STUCK_AFTER (the host died mid-batch) can be claimed again.
"""

import os
import smtplib
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_mail import BadHeaderError
from sqlalchemy import and_, case, or_, select, update

from vendor_tracker.auth.models import User
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.notifications import mail
from vendor_tracker.notifications.models import EmailState, Notification, NotificationPreference

# Minutes to wait after the 1st, 2nd, ... failed attempt (the last value repeats).
BACKOFF_MINUTES = (1, 5, 30, 120, 480)
DEFAULT_MAX_ATTEMPTS = 6
DEFAULT_BATCH_SIZE = 50
MAX_BATCHES_PER_RUN = 20
STUCK_AFTER = timedelta(minutes=15)
# Refusals of one message (its recipient, its content): the rest of the batch goes on. Any other
# SMTP or socket error means the server is unreachable and the rest of the batch waits.
MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, BadHeaderError)


def retry_delay(failed_attempts: int) -> timedelta:
    """How long to wait after `failed_attempts` failures (1 -> 1 min, 2 -> 5 min, 3 -> 30 min,
    4 -> 2 h, 5 and more -> 8 h)."""
    index = min(max(failed_attempts, 1), len(BACKOFF_MINUTES)) - 1
    return timedelta(minutes=BACKOFF_MINUTES[index])


def gives_up(failed_attempts: int, max_attempts: int) -> bool:
    """True when no further attempt is made (the row becomes 'failed')."""
    return failed_attempts >= max(max_attempts, 1)


def claimer_name() -> str:
    """Who claims: this host and process, e.g. 'web-2:4711'."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


@dataclass
class DeliveryReport:
    """What one run did: sent, will retry, given up, no longer wanted (recipient or choice)."""

    sent: int = 0
    retry: int = 0
    failed: int = 0
    not_wanted: int = 0

    def summary(self) -> str:
        """'3 sent, 1 will retry' (given-up and no-longer-wanted rows only when there are any)."""
        parts = [f"{self.sent} sent", f"{self.retry} will retry"]
        if self.failed:
            parts.append(f"{self.failed} failed for good")
        if self.not_wanted:
            parts.append(f"{self.not_wanted} not sent (recipient inactive or email switched off)")
        return ", ".join(parts)


def _claimable(now: datetime):
    """Due pending rows, and rows stuck in 'sending' since before now - STUCK_AFTER."""
    return or_(
        and_(
            Notification.email_state == EmailState.PENDING.value,
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
        ),
        and_(
            Notification.email_state == EmailState.SENDING.value,
            Notification.claimed_at < now - STUCK_AFTER,
        ),
    )


def claim_statement(limit: int, claimer: str, now: datetime):
    """The one statement that claims up to `limit` due rows for `claimer`, returning their ids.

    The candidates are a CTE, evaluated once: as an `IN (subquery)` PostgreSQL may rescan the
    LIMITed subquery for each updated row and then claim more rows than `limit`.
    """
    candidates = (
        select(Notification.id)
        .where(_claimable(now))
        .order_by(Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("claim_candidates")
    )
    # A row taken over from a run that never finished counts that run as a failed attempt.
    abandoned = Notification.email_state == EmailState.SENDING.value
    return (
        update(Notification)
        .where(Notification.id.in_(select(candidates.c.id)), _claimable(now))
        .values(
            email_state=EmailState.SENDING.value,
            claimed_at=now,
            claimed_by=claimer,
            attempts=case((abandoned, Notification.attempts + 1), else_=Notification.attempts),
            last_error=case(
                (abandoned, "Not finished by " + Notification.claimed_by),
                else_=Notification.last_error,
            ),
        )
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )


def claim_batch(limit: int, claimer: str, now: datetime | None = None, session=None) -> list[int]:
    """Claim up to `limit` due rows for `claimer` and commit at once; their ids, oldest first."""
    session = session or db.session
    ids = sorted(session.execute(claim_statement(limit, claimer, now or utcnow())).scalars())
    session.commit()
    return ids


def _finish(notification_id: int, claimer: str, **values) -> None:
    """Write the outcome of one claimed row, only while this run still holds it; commit."""
    db.session.execute(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.email_state == EmailState.SENDING.value,
            Notification.claimed_by == claimer,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


@dataclass(frozen=True, slots=True)
class Claimed:
    """What delivery needs of one claimed row, read once (no lazy loads between the writes)."""

    id: int
    kind: str
    subject: str
    body: str
    link: str
    attempts: int
    user_id: int
    email: str
    wanted: bool  # the recipient is active, has an address, and wants this kind by email


def _max_attempts() -> int:
    return int(current_app.config.get("NOTIFICATION_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def _record_failure(row: Claimed, claimer: str, reason: str, report: DeliveryReport) -> None:
    failed_attempts = row.attempts + 1
    if gives_up(failed_attempts, _max_attempts()):
        state, next_at = EmailState.FAILED.value, None
        report.failed += 1
    else:
        state, next_at = EmailState.PENDING.value, utcnow() + retry_delay(failed_attempts)
        report.retry += 1
    _finish(
        row.id,
        claimer,
        email_state=state,
        attempts=failed_attempts,
        last_error=reason[:500],
        next_attempt_at=next_at,
    )


def _claimed_rows(ids: list[int], claimer: str) -> list[Claimed]:
    """The rows this run holds, with their recipients' addresses and whether email is still
    wanted (the user may have been disabled or switched the kind off since)."""
    found = db.session.execute(
        select(
            Notification.id,
            Notification.kind,
            Notification.subject,
            Notification.body,
            Notification.link,
            Notification.attempts,
            User.id,
            User.email,
            User.active,
        )
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.id.in_(ids),
            Notification.email_state == EmailState.SENDING.value,
            Notification.claimed_by == claimer,
        )
        .order_by(Notification.id)
    ).all()
    switched_off = set(
        db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.kind).where(
                NotificationPreference.user_id.in_({row[6] for row in found}),
                NotificationPreference.email.is_(False),
            )
        ).all()
    )
    db.session.commit()  # end the read: on SQLite each write below then takes the lock afresh
    return [
        Claimed(*row[:8], wanted=bool(row[8] and row[7]) and (row[6], row[1]) not in switched_off)
        for row in found
    ]


def _attempt(mailer: "mail.Mailer", row: Claimed, base: str) -> tuple[str, bool]:
    """Send one row: ('', False) when the server took it, else (reason, server unreachable)."""
    try:
        mailer.send(mail.compose(row, row.email, base))
    except MESSAGE_ERRORS as error:
        return mailer.reason(error), False
    except OSError as error:  # smtplib's errors are OSErrors: refused, timed out, auth, dropped
        return mailer.reason(error), True
    except Exception as error:  # noqa: BLE001 - one bad message must not stop the batch
        return mailer.reason(error), False
    return "", False


def deliver_claimed(
    ids: list[int], claimer: str, mailer: "mail.Mailer", base: str, report: DeliveryReport
) -> bool:
    """Send each claimed row once and record its outcome; False when the server could not be
    reached (the rest of the batch then waits for its next attempt without trying)."""
    server_down = ""
    for row in _claimed_rows(ids, claimer):
        if not row.wanted:
            _finish(row.id, claimer, email_state=EmailState.NOT_WANTED.value, next_attempt_at=None)
            report.not_wanted += 1
        elif gives_up(row.attempts, _max_attempts()):  # taken over after its last attempt
            _finish(row.id, claimer, email_state=EmailState.FAILED.value, next_attempt_at=None)
            report.failed += 1
        elif server_down:
            _record_failure(row, claimer, server_down, report)
        else:
            reason, unreachable = _attempt(mailer, row, base)
            if reason:
                server_down = reason if unreachable else ""
                _record_failure(row, claimer, reason, report)
            else:
                sent = {"email_state": EmailState.SENT.value, "sent_at": utcnow(), "last_error": ""}
                _finish(row.id, claimer, **sent)
                report.sent += 1
    return not server_down


def deliver_pending(
    claimer: str | None = None, make_mailer: Callable[[], "mail.Mailer"] = mail.Mailer
) -> DeliveryReport:
    """Deliver every due row (batch by batch) through SMTP; MailNotConfigured when email is on
    but the sender address or the public address of the app is missing."""
    base = mail.base_url()
    mailer = make_mailer()
    claimer = claimer or claimer_name()
    size = int(current_app.config.get("NOTIFICATION_BATCH_SIZE", DEFAULT_BATCH_SIZE))
    report = DeliveryReport()
    try:
        for _ in range(MAX_BATCHES_PER_RUN):
            ids = claim_batch(size, claimer)
            if not ids:
                break
            if not deliver_claimed(ids, claimer, mailer, base, report):
                break  # the server is unreachable: the next run tries again
    finally:
        mailer.close()
    return report
