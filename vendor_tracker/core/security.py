"""Login everywhere but a public list, user loading, and security headers."""

import hmac

from flask import Flask, redirect, request, url_for
from flask_login import current_user

from vendor_tracker.core.api_errors import API_PREFIX, error_response, is_api_path
from vendor_tracker.extensions import db, login_manager

# Inline styles are allowed for the server-rendered SVG charts; inline script never is.
# Endpoints anyone may reach; everything else needs a signed-in user.
PUBLIC_ENDPOINTS = frozenset(
    {"auth.login", "core.health", "static", "bootstrap.static", "api_auth.create_token"}
)
# API paths that a browser session may read as well as a bearer token.
SESSION_API_PATHS = frozenset({f"{API_PREFIX}openapi.json"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def _bearer_only() -> bool:
    return is_api_path(request.path) and request.path not in SESSION_API_PATHS


@login_manager.user_loader
def _load_user(user_id: str):
    from vendor_tracker.auth.models import User

    if _bearer_only():
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


@login_manager.request_loader
def _load_user_from_token(req):
    from vendor_tracker.auth.services import user_for_token

    header = req.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return user_for_token(token.strip())
    return None


def _require_login():
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    if is_api_path(request.path):
        return error_response(401, "Sign in first: send Authorization: Bearer <token>.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint not in {"static", "bootstrap.static"}:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_security(app: Flask) -> None:
    """Require login on every endpoint outside the public list; add headers to every answer."""
    from vendor_tracker.core.database import register_id_converter

    # Runs before the blueprints are registered, so every <int:id> is bounded (no overflow 500s).
    register_id_converter(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    app.before_request(_require_login)
    app.after_request(_security_headers)
