"""Record changes to audited models automatically, and security events on request."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db

# Bookkeeping and secrets: never shown in the trail. Sign-ins are security events of their
# own, so the `last_login_at` they set is not recorded as an update of the user.
IGNORED_FIELDS = {
    "created_at",
    "updated_at",
    "version",
    "password_hash",
    "session_key",
    "token_digest",
    "name_key",
    "last_login_at",
}
IGNORED_SUFFIXES = ("_digest", "_hash", "_key")


def is_ignored(field: str) -> bool:
    """True for a column the trail never shows (internal keys, digests, hashes)."""
    return field in IGNORED_FIELDS or field.endswith(IGNORED_SUFFIXES)


def _plain(value: Any) -> Any:
    """Turn a column value into something JSON can hold."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(v) for v in value)
    if isinstance(value, db.Model):
        return str(value)
    return value


def _actor() -> tuple[int | None, str, str | None]:
    if not has_request_context():
        return None, "system", None
    address = request.remote_addr
    user = current_user
    if user and user.is_authenticated:
        return user.id, user.email, address
    return None, "anonymous", address


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if is_ignored(key):
            continue
        history = state.attrs[key].history
        if action == "create":
            value = getattr(obj, key)
            if value is not None and key != "id":
                changes[key] = [None, _plain(value)]
        elif action == "delete":
            changes[key] = [_plain(getattr(obj, key)), None]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if _plain(old) != _plain(new):
                changes[key] = [_plain(old), _plain(new)]
    for key in getattr(obj, "__audit_collections__", ()):
        history = state.attrs[key].history
        if history.has_changes() or action == "create":
            before = list(history.unchanged) + list(history.deleted)
            after = list(history.unchanged) + list(history.added)
            if action == "create" and not after:
                continue
            changes[key] = [_plain(before) if action != "create" else None, _plain(after)]
    return changes


def _record_id(obj: Any) -> str | None:
    """The row's primary key as text.

    Read from the columns, not `inspect(obj).identity`: in `after_flush` a new row has its key
    already but no identity yet, which would leave its own "create" event out of its history.
    """
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    if not key or any(part is None for part in key):
        return None
    return str(key[0]) if len(key) == 1 else ",".join(str(part) for part in key)


def _event_row(obj: Any, action: str) -> dict[str, Any] | None:
    changes = _changes(obj, action)
    if action == "update" and not changes:
        return None
    user_id, actor, address = _actor()
    parent = getattr(obj, "__audit_parent__", None)
    parent_type = parent_id = None
    if parent:
        parent_type, attribute = parent
        value = getattr(obj, attribute, None)
        parent_id = str(value) if value is not None else None
    return {
        "occurred_at": utcnow(),
        "user_id": user_id,
        "actor": actor,
        "action": action,
        "record_type": obj.__tablename__,
        "record_id": _record_id(obj),
        "parent_type": parent_type,
        "parent_id": parent_id,
        "summary": f"{action} {obj.__tablename__} {obj}",
        "changes": changes,
        "ip_address": address,
    }


def _after_flush(session: Session, _context: Any) -> None:
    rows = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(type(obj), "__audited__", False):
                continue
            if action == "update" and not session.is_modified(obj):
                continue
            row = _event_row(obj, action)
            if row:
                rows.append(row)
    if rows:
        session.connection().execute(insert(AuditEvent), rows)


def register_audit_listener() -> None:
    """Attach the change recorder to every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def record_security_event(
    action: str,
    actor: str,
    summary: str,
    user_id: int | None = None,
    *,
    record_type: str | None = None,
    record_id: str | None = None,
):
    """Record a security event (a sign-in, failure, lock-out, sign-out, password set, role
    change, sessions ended, refused permission) by `actor`, about a record when one is named
    (the user whose password was set shows it in their history); the caller commits."""
    address = request.remote_addr if has_request_context() else None
    db.session.add(
        AuditEvent(
            action=action,
            actor=actor,
            user_id=user_id,
            summary=summary,
            record_type=record_type,
            record_id=record_id,
            ip_address=address,
        )
    )


def recorded_since(action: str, actor: str, since: datetime) -> bool:
    """True when `actor` has an event `action` at or after `since`."""
    stmt = (
        select(AuditEvent.id)
        .where(
            AuditEvent.action == action,
            AuditEvent.actor == actor,
            AuditEvent.occurred_at >= since,
        )
        .limit(1)
    )
    return db.session.execute(stmt).first() is not None


def history_for(record_type: str, record_id: int, limit: int = 50) -> list[AuditEvent]:
    """Return the newest audit events of a record and of its child records."""
    key = str(record_id)
    stmt = (
        select(AuditEvent)
        .where(
            ((AuditEvent.record_type == record_type) & (AuditEvent.record_id == key))
            | ((AuditEvent.parent_type == record_type) & (AuditEvent.parent_id == key))
        )
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())
