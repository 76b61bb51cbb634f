"""The weekly digest: for each active user with an email address, what needs their attention.

A digest is one more notification (kind 'digest', dedupe key `digest:<ISO year>-W<week>`) put
in the outbox through `services.notify`, so it is sent by the same delivery with the same
retries, and at most once per user per ISO week however often the command runs.

It lists the user's unread notifications of the last DIGEST_DAYS days and whatever the packages
above register with `digest_source` (e.g. needs-attention items of their own engagements); each
source must keep to what that user may see (a provider's user: their vendor only).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from vendor_tracker.auth.models import User
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import Notification, NotificationKind
from vendor_tracker.notifications.services import notify

DIGEST_DAYS = 7
MAX_LINES = 15  # per part of the digest; the rest is counted ("and 4 more")
LINK = "/notifications"

# providers(user, today) -> list[InboxItem]: what needs this user's attention, scoped to them.
DIGEST_SOURCES: list[Callable[[Any, date], list[InboxItem]]] = []


def digest_source(provider):
    """Decorator: register a provider of needs-attention items for the weekly digest."""
    if provider not in DIGEST_SOURCES:
        DIGEST_SOURCES.append(provider)
    return provider


def week_key(day: date) -> str:
    """The dedupe key of the digest of `day`'s ISO week, e.g. 'digest:2026-W49'."""
    year, week, _weekday = day.isocalendar()
    return f"digest:{year}-W{week:02d}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass
class Digest:
    """One user's weekly summary: their unread notifications and the items needing them."""

    user_id: int
    email: str
    unread: list[tuple[str, datetime]] = field(default_factory=list)  # (subject, created at)
    items: list[InboxItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.unread and not self.items

    def subject(self, day: date) -> str:
        """'Weekly summary, week 49 of 2026: 3 unread notifications, 2 items need attention'."""
        year, week, _ = day.isocalendar()
        parts = []
        if self.unread:
            parts.append(_plural(len(self.unread), "unread notification"))
        if self.items:
            verb = "needs" if len(self.items) == 1 else "need"
            parts.append(f"{_plural(len(self.items), 'item')} {verb} attention")
        return f"Weekly summary, week {week} of {year}: " + ", ".join(parts)

    def body(self) -> str:
        """Plain text: the subjects of the unread notifications, then the items to act on."""
        lines: list[str] = []
        if self.unread:
            lines.append(f"Unread notifications of the last {DIGEST_DAYS} days:")
            lines += [f"- {subject} ({at:%d %b %Y})" for subject, at in self.unread[:MAX_LINES]]
            lines += _more(len(self.unread))
        if self.items:
            if lines:
                lines.append("")
            lines.append("Needs your attention:")
            lines += [_item_line(item) for item in self.items[:MAX_LINES]]
            lines += _more(len(self.items))
        return "\n".join(lines)


def _more(count: int) -> list[str]:
    return [f"- and {count - MAX_LINES} more"] if count > MAX_LINES else []


def _item_line(item: InboxItem) -> str:
    due = f" (due {item.due:%d %b %Y})" if item.due else ""
    detail = f": {item.detail}" if item.detail else ""
    return f"- {item.title}{detail}{due}"


def _recipients(key: str) -> list[User]:
    """Active users with an email address who have no digest of this week yet."""
    had_it = select(Notification.user_id).where(Notification.dedupe_key == key)
    return list(
        db.session.execute(
            select(User)
            .where(User.active.is_(True), User.email != "", User.id.not_in(had_it))
            .order_by(User.id)
        ).scalars()
    )


def _unread_by_user(since: datetime) -> dict[int, list[tuple[str, datetime]]]:
    rows = db.session.execute(
        select(Notification.user_id, Notification.subject, Notification.created_at)
        .where(
            Notification.read_at.is_(None),
            Notification.created_at >= since,
            Notification.kind != NotificationKind.DIGEST.value,
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    ).all()
    found: dict[int, list[tuple[str, datetime]]] = {}
    for user_id, subject, created_at in rows:
        found.setdefault(user_id, []).append((subject, created_at))
    return found


def build_digests(today: date) -> list[Digest]:
    """The digests due in `today`'s week, one per user with something to report (none for the
    rest); unread notifications count from midnight UTC DIGEST_DAYS days before `today`."""
    since = datetime.combine(today - timedelta(days=DIGEST_DAYS), time.min, tzinfo=UTC)
    unread = _unread_by_user(since)
    digests = []
    for user in _recipients(week_key(today)):
        digest = Digest(user.id, user.email, unread=unread.get(user.id, []))
        for source in DIGEST_SOURCES:
            digest.items.extend(source(user, today))
        if not digest.empty:
            digests.append(digest)
    return digests


def record_digests(digests: list[Digest], today: date) -> int:
    """Put each digest in the outbox (in the current transaction); how many were added."""
    return sum(
        notify(
            NotificationKind.DIGEST.value,
            [digest.user_id],
            digest.subject(today)[:200],
            digest.body(),
            LINK,
            dedupe_key=week_key(today),
        )
        for digest in digests
    )
