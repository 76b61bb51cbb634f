"""Login everywhere but a public list, and security headers.

Loading the signed-in user is auth's job (`auth.sessions`); core imports no domain package.
"""

from flask import Flask, current_app, redirect, request, url_for
from flask_login import current_user

from vendor_tracker.core.api_errors import API_PREFIX, error_response, is_api_path
from vendor_tracker.extensions import login_manager

# Inline styles are allowed for the server-rendered SVG charts; inline script never is.
# Endpoints anyone may reach; everything else needs a signed-in user.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.login",
        "core.health",
        "static",
        "bootstrap.static",
        "api_auth.create_token",
        "portal.accept_invite",  # a provider contact's one-time link to set a password
    }
)
# API paths that a browser session may read as well as a bearer token.
SESSION_API_PATHS = frozenset({f"{API_PREFIX}openapi.json"})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def open_to_providers(view):
    """Mark a view as open to providers' users, as `auth.decorators.for_providers` does, for
    views of packages below auth (core's home page and API document page)."""
    view.provider_access = True
    return view


def bearer_only(path: str) -> bool:
    """True where only a bearer token signs in: the API, except the few session-readable paths."""
    return is_api_path(path) and path not in SESSION_API_PATHS


def _require_login():
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if current_user.is_authenticated:
        return None
    if is_api_path(request.path):
        return error_response(401, "Sign in first: send Authorization: Bearer <token>.")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def strict_transport_security(seconds: int, secure: bool) -> str | None:
    """The HSTS header value, or None: only when enabled (`HSTS_SECONDS` > 0) and only on an
    https answer (RFC 6797 forbids it over plain http, where browsers ignore it anyway). Behind
    a proxy, the request is https when gunicorn trusts the proxy's X-Forwarded-Proto."""
    if seconds <= 0 or not secure:
        return None
    return f"max-age={seconds}; includeSubDomains"


def add_security_headers(response):
    """The headers every answer carries (pages, API, static files, errors), unless set."""
    hsts = strict_transport_security(current_app.config.get("HSTS_SECONDS", 0), request.is_secure)
    if hsts:
        response.headers.setdefault("Strict-Transport-Security", hsts)
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
    app.after_request(add_security_headers)
