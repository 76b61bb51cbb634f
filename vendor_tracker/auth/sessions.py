"""Who is signed in: the session cookie for pages, a bearer token for the API."""

import hmac

from flask import request

from vendor_tracker.auth.models import User
from vendor_tracker.auth.services import user_for_token
from vendor_tracker.core.security import bearer_only
from vendor_tracker.extensions import db, login_manager


def load_session_user(user_id: str) -> User | None:
    """The user a session cookie names, while its password (session key) is unchanged."""
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
    return user if hmac.compare_digest(session_key, user.session_key) else None


def load_token_user(req) -> User | None:
    """The user whose bearer token the request carries, if any."""
    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return user_for_token(token.strip())
    return None


def register_user_loaders() -> None:
    """Tell Flask-Login how to find the signed-in user (idempotent)."""
    login_manager.user_loader(load_session_user)
    login_manager.request_loader(load_token_user)
