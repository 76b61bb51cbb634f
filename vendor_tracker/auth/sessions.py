"""Who is signed in: a server-side session for pages, a bearer token for the API.

A signed cookie alone cannot be taken back, so every sign-in opens a `UserSession` row and the
cookie carries its random id; the user loader accepts the cookie only while that row is open.
Signing out, a new password, disabling the user and "sign out everywhere" revoke rows at once.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, request, session
from flask_login import user_logged_in
from sqlalchemy import delete, select, update

from vendor_tracker.auth import throttle  # noqa: F401 - registers the "database://" storage
from vendor_tracker.auth.models import User, UserSession
from vendor_tracker.auth.services import user_for_token
from vendor_tracker.core.models import utcnow
from vendor_tracker.core.security import bearer_only
from vendor_tracker.extensions import db, login_manager

# The Flask session's key for the session id (Flask-Login's own keys start with "_").
SESSION_ID_KEY = "session_id"
# Seen-at is refreshed at most this often, so a page view is not also a write.
LAST_SEEN_EVERY = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _client_summary() -> tuple[str, str | None]:
    agent = request.user_agent
    browser = " on ".join(part for part in (agent.browser, agent.platform) if part)
    return (browser or agent.string)[:120], request.remote_addr


def start_session(user: User) -> None:
    """Open a server-side session for `user` in this browser, in its own commit.

    Called on every `login_user` (Flask-Login's `user_logged_in` signal), which the sign-in,
    portal-invitation and own-password pages call after committing their work.
    """
    now = utcnow()
    raw = secrets.token_urlsafe(32)
    agent, address = _client_summary()
    db.session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    db.session.add(
        UserSession(
            user_id=user.id,
            token_digest=_digest(raw),
            created_at=now,
            last_seen_at=now,
            expires_at=now + current_app.permanent_session_lifetime,
            user_agent=agent,
            ip_address=address,
        )
    )
    db.session.commit()
    session[SESSION_ID_KEY] = raw


def _open_session(user: User) -> UserSession | None:
    raw = session.get(SESSION_ID_KEY)
    if not isinstance(raw, str) or not raw:
        return None
    return db.session.execute(
        select(UserSession).where(
            UserSession.token_digest == _digest(raw),
            UserSession.user_id == user.id,
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > utcnow(),
        )
    ).scalar_one_or_none()


def _touch(row: UserSession) -> None:
    now = utcnow()
    if now - row.last_seen_at < LAST_SEEN_EVERY:
        return
    # Its own short transaction: GET pages commit nothing, and the request's work stays apart.
    with db.engine.begin() as connection:
        connection.execute(
            update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
        )


def end_current_session() -> None:
    """Revoke this browser's session (signing out); the caller commits."""
    raw = session.pop(SESSION_ID_KEY, None)
    if isinstance(raw, str) and raw:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_digest == _digest(raw), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def load_session_user(user_id: str) -> User | None:
    """The user a session cookie names, while its password (session key) is unchanged and its
    server-side session is open."""
    if bearer_only(request.path):
        return None  # the API ignores session cookies: no cross-site requests ride on them
    raw_id, _, session_key = str(user_id).partition(":")
    try:
        user = db.session.get(User, int(raw_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if user is None or not user.active:
        return None
    # A password change rotates the key, so sessions opened before it stop here.
    if not hmac.compare_digest(session_key, user.session_key):
        return None
    row = _open_session(user)
    if row is None:
        return None
    _touch(row)
    return user


def load_token_user(req) -> User | None:
    """The user whose bearer token the request carries, if any."""
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return user_for_token(token.strip())
    return None


def _on_login(_sender, user: User, **_extra) -> None:
    start_session(user)


def register_user_loaders() -> None:
    """Tell Flask-Login how to find the signed-in user and open a session at each sign-in
    (idempotent)."""
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_token_user)
    user_logged_in.connect(_on_login)
