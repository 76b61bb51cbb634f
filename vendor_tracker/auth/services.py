"""Loading users, checking credentials, issuing and resolving API tokens."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from vendor_tracker.audit.services import record_security_event
from vendor_tracker.auth.models import ApiToken, User, UserSession
from vendor_tracker.auth.rules import Role
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db


def normalize_email(email: str) -> str:
    """E-mail addresses compare case-insensitively and without surrounding spaces."""
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, whatever its case."""
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalize_email(email))
    ).scalar_one_or_none()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user whose credentials match, recording the attempt either way."""
    user = user_by_email(email)
    if user is None or not user.check_password(password or ""):
        record_security_event("login_failed", normalize_email(email)[:255], "wrong credentials")
        return None
    if not user.active:
        record_security_event("login_failed", user.email, "account disabled", user.id)
        return None
    user.last_login_at = utcnow()
    record_security_event("login", user.email, "signed in", user.id)
    return user


def create_user(
    email: str,
    password: str,
    role: str | Role,
    name: str | None = "",
    vendor_id: int | None = None,
) -> User:
    """Add a new user with a hashed password (a provider's bound to `vendor_id`); the caller
    commits."""
    user = User(
        email=normalize_email(email),
        name=(name or "").strip(),
        role=Role(role).value,
        vendor_id=vendor_id,
    )
    user.set_password(password)
    db.session.add(user)
    return user


def _digest(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def issue_token(user: User, hours: int) -> tuple[str, datetime]:
    """Create a bearer token for `user`; only its digest is stored."""
    raw = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=hours)
    db.session.add(ApiToken(user=user, token_digest=_digest(raw), expires_at=expires_at))
    return raw, expires_at


def user_for_token(raw_token: str) -> User | None:
    """Return the active user owning an unexpired token, or None."""
    if not raw_token:
        return None
    row = db.session.execute(
        select(User)
        .join(ApiToken)
        .where(ApiToken.token_digest == _digest(raw_token), ApiToken.expires_at > utcnow())
    ).scalar_one_or_none()
    return row if row is not None and row.active else None


def active_admin_count() -> int:
    """How many enabled admins exist (the last one may not be demoted or disabled)."""
    return db.session.execute(
        select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
    ).scalar_one()


def end_sessions(user: User) -> int:
    """Revoke every open browser session of `user`; returns how many were open. The caller
    commits."""
    now = utcnow()
    result = db.session.execute(
        update(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > now,
        )
        .values(revoked_at=now)
    )
    return result.rowcount or 0


def open_sessions(user: User) -> list[UserSession]:
    """The user's browser sessions that are neither revoked nor expired, newest first."""
    return list(
        db.session.execute(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.revoked_at.is_(None),
                UserSession.expires_at > utcnow(),
            )
            .order_by(UserSession.created_at.desc(), UserSession.id.desc())
        ).scalars()
    )


def _security_event(action: str, actor: User, summary: str, subject: User) -> None:
    record_security_event(
        action, actor.email, summary, actor.id, record_type="users", record_id=str(subject.id)
    )


def sign_out_everywhere(user: User, actor: User, reason: str = "signed out everywhere") -> int:
    """End every browser session and API token of `user`, recorded as done by `actor`; the
    caller commits."""
    ended = end_sessions(user)
    tokens = len(user.tokens)
    user.tokens.clear()
    _security_event(
        "sessions_ended",
        actor,
        f"ended {ended} session(s) and {tokens} API token(s) of {user.email}: {reason}",
        user,
    )
    return ended


def update_user(user: User, actor: User, *, name, role, vendor_id, active, password) -> None:
    """An admin's edit of `user`: a new password, a role change and disabling are security
    events by `actor`, and a new password or disabling ends the user's sessions. The caller
    commits."""
    old_role, was_active = user.role, user.active
    user.name = name or ""
    user.role = role
    user.vendor_id = vendor_id
    user.active = active
    if password:
        user.set_password(password)  # a new session key and no API tokens
        end_sessions(user)
        _security_event("password_set", actor, f"set a new password for {user.email}", user)
    if user.role != old_role:
        summary = f"changed the role of {user.email} from {old_role} to {user.role}"
        _security_event("role_changed", actor, summary, user)
    if was_active and not user.active:
        sign_out_everywhere(user, actor, "user disabled")
