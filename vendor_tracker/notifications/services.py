"""Writing notifications into the outbox, choosing recipients, the time-based scans, reading.

`notify` adds rows in the caller's transaction (a rollback drops them with the change they
announce). Domain packages decide who is concerned and what to say; this package knows only
users. Time-based events come from scan functions the domain packages register with `scan`.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from vendor_tracker.auth.models import User
from vendor_tracker.auth.rules import Role
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import (
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
)

# Rows per INSERT (SQLite allows 32766 bound values; a row has 14).
BATCH = 500
# Scan functions registered by domain packages: scan(today) -> how many notifications it added.
SCANS: list[Callable[[date], int]] = []


def scan(function: Callable[[date], int]) -> Callable[[date], int]:
    """Decorator: register a time-based scan run by `run_scans` (each sets a dedupe key)."""
    if function not in SCANS:
        SCANS.append(function)
    return function


def run_scans(today: date) -> int:
    """Run every registered scan for `today` and commit; how many notifications were added.

    Each event carries a dedupe key, so running the scans twice adds nothing the second time.
    """
    added = sum(function(today) for function in SCANS)
    db.session.commit()
    return added


def provider_users(vendor_id: int | None) -> list[int]:
    """Ids of the active users acting for `vendor_id` (role provider), in id order."""
    if vendor_id is None:
        return []
    return list(
        db.session.execute(
            select(User.id)
            .where(
                User.vendor_id == vendor_id,
                User.role == Role.PROVIDER.value,
                User.active.is_(True),
            )
            .order_by(User.id)
        ).scalars()
    )


def _email_states(kind: str, user_ids: list[int]) -> dict[int, str]:
    """{user id: email state of a new row} for the users that exist (two queries)."""
    people = db.session.execute(
        select(User.id, User.active, User.email).where(User.id.in_(user_ids))
    ).all()
    switched_off = set(
        db.session.execute(
            select(NotificationPreference.user_id).where(
                NotificationPreference.user_id.in_(user_ids),
                NotificationPreference.kind == kind,
                NotificationPreference.email.is_(False),
            )
        ).scalars()
    )
    return {
        user_id: EmailState.PENDING.value
        if active and email and user_id not in switched_off
        else EmailState.NOT_WANTED.value
        for user_id, active, email in people
    }


def _insert_once(rows: list[dict]):
    """An INSERT that skips rows whose (user, dedupe key) is already stored (even by a
    concurrent transaction), on PostgreSQL and SQLite."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(Notification).values(rows).on_conflict_do_nothing()
    if dialect == "sqlite":
        return sqlite.insert(Notification).values(rows).on_conflict_do_nothing()
    return insert(Notification).values(rows)  # pragma: no cover - the two databases we run


@dataclass(frozen=True)
class Notice:
    """One event to tell some people about: what `notify_all` writes one row per person for."""

    recipients: tuple[int | None, ...]
    subject: str
    body: str
    link: str
    vendor_id: int | None = None
    engagement_id: int | None = None
    dedupe_key: str | None = None


def notify(
    kind: str | NotificationKind,
    recipients: Iterable[int | None],
    subject: str,
    body: str,
    link: str,
    *,
    vendor_id: int | None = None,
    engagement_id: int | None = None,
    dedupe_key: str | None = None,
    actor_id: int | None = None,
) -> int:
    """Add one notification per recipient to the current transaction (never commits); return
    how many were added.

    `actor_id` (who made the change) is never notified of their own action. With `dedupe_key`
    a recipient who already has it gets nothing. Email is pending unless the recipient switched
    this kind off, is inactive or has no address ('not_wanted').
    """
    notice = Notice(tuple(recipients), subject, body, link, vendor_id, engagement_id, dedupe_key)
    return notify_all(kind, [notice], actor_id=actor_id)


def notify_all(
    kind: str | NotificationKind, notices: Iterable[Notice], *, actor_id: int | None = None
) -> int:
    """`notify` for many events of one kind at once (a file of results, a scan): two queries
    for the recipients' choices and one insert per BATCH rows, however many events."""
    kind = NotificationKind(kind).value
    wanted = [
        (user_id, notice)
        for notice in notices
        for user_id in dict.fromkeys(notice.recipients)
        if user_id is not None and user_id != actor_id
    ]
    if not wanted:
        return 0
    states = _email_states(kind, sorted({user_id for user_id, _notice in wanted}))
    now = utcnow()
    rows = [
        {
            "user_id": user_id,
            "kind": kind,
            "subject": notice.subject[:200],
            "body": notice.body,
            "link": notice.link[:500],
            "vendor_id": notice.vendor_id,
            "engagement_id": notice.engagement_id,
            "dedupe_key": notice.dedupe_key[:200] if notice.dedupe_key else None,
            "created_at": now,
            "email_state": states[user_id],
            "attempts": 0,
            "next_attempt_at": now if states[user_id] == EmailState.PENDING.value else None,
            "last_error": "",
            "claimed_by": "",
        }
        for user_id, notice in wanted
        if user_id in states
    ]
    added = 0
    for start in range(0, len(rows), BATCH):
        statement = _insert_once(rows[start : start + BATCH]).returning(Notification.id)
        added += len(db.session.execute(statement).scalars().all())
    return added


# Reading and marking: always the signed-in user's own rows.


def _own(user) -> list:
    """Conditions keeping `user`'s own notifications (a provider's: of their vendor only)."""
    conditions = [Notification.user_id == user.id]
    if getattr(user, "is_provider", False):
        conditions.append(
            (Notification.vendor_id.is_(None)) | (Notification.vendor_id == user.vendor_id)
        )
    return conditions


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread (one query)."""
    return db.session.execute(
        select(func.count(Notification.id)).where(*_own(user), Notification.read_at.is_(None))
    ).scalar_one()


def notifications_query(user):
    """A select of `user`'s notifications, newest first."""
    return (
        select(Notification)
        .where(*_own(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user, notification_id: int) -> bool:
    """Mark one of `user`'s notifications read; False when it is not theirs or not found."""
    notification = db.session.execute(
        select(Notification).where(*_own(user), Notification.id == notification_id)
    ).scalar_one_or_none()
    if notification is None:
        return False
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return True


def mark_all_read(user) -> int:
    """Mark every unread notification of `user` read; how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(*_own(user), Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def email_choices(user_id: int) -> dict[str, bool]:
    """{kind: email on?} for every kind a user can choose (absent row: on)."""
    stored = dict(
        db.session.execute(
            select(NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return {kind.value: stored.get(kind.value, True) for kind in NotificationKind}


def save_email_choices(user_id: int, choices: dict[str, bool]) -> list[str]:
    """Store the choices that differ from what is in effect; the kinds that changed."""
    current = email_choices(user_id)
    rows = {
        p.kind: p
        for p in db.session.execute(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        ).scalars()
    }
    changed = []
    for kind, email in choices.items():
        if kind not in current or current[kind] == bool(email):
            continue
        changed.append(kind)
        if kind in rows:
            rows[kind].email = bool(email)
        else:
            db.session.add(NotificationPreference(user_id=user_id, kind=kind, email=bool(email)))
    db.session.flush()
    return changed
