"""Permission decorators used by page and API handlers alike."""

from functools import wraps

from flask import abort, current_app, request
from flask_login import current_user

from vendor_tracker.audit.services import record_security_event
from vendor_tracker.auth.rules import Role
from vendor_tracker.core.security import PUBLIC_ENDPOINTS
from vendor_tracker.extensions import db

# Views open to providers that no decorator of ours can mark (the API's own OpenAPI document).
PROVIDER_ENDPOINTS = frozenset({"api-docs.openapi_json"})


def refuse(reason: str) -> None:
    """Record a refused permission and answer 403."""
    actor = current_user.email if current_user.is_authenticated else "anonymous"
    user_id = current_user.id if current_user.is_authenticated else None
    record_security_event("permission_denied", actor, reason, user_id)
    db.session.commit()
    abort(403, description=reason)


def requires(role: str | Role, *, providers: bool = False):
    """Allow the view only to users whose role includes `role` (login is checked globally);
    with `providers`, a provider's users too (the service then keeps them to their vendor)."""
    required = Role(role)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.can(required) and not (providers and current_user.is_provider):
                refuse(f"{required.value} role needed")
            return view(*args, **kwargs)

        wrapped.required_role = required
        if providers:
            wrapped.provider_access = True
        return wrapped

    return decorator


def for_providers(view):
    """Mark a read view as open to providers' users (scoped to their vendor by its loaders).

    Every other view answers 403 to them (`provider_gate`): the portal is an allow-list.
    """
    view.provider_access = True
    return view


def provider_may_open(view, method: str) -> bool:
    """True when `view` (a function, or a MethodView's handler for `method`) is open to
    providers."""
    if getattr(view, "provider_access", False):
        return True
    view_class = getattr(view, "view_class", None)
    if view_class is None:
        return False
    handler = getattr(view_class, method.lower(), None)
    return bool(getattr(handler, "provider_access", False))


def provider_gate():
    """Before every request: a provider's user reaches only views marked for providers.

    The one place the portal's pages and API operations are decided; records inside them are
    kept to the provider's vendor by `auth.scope`.
    """
    if request.endpoint is None or not current_user.is_authenticated:
        return  # login (checked before this) or 404 decide
    if not current_user.is_provider:
        return
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint in PROVIDER_ENDPOINTS:
        return  # static files, the invitation link, the API document
    view = current_app.view_functions.get(request.endpoint)
    if view is None or provider_may_open(view, request.method):
        return
    refuse("not open to providers")


manager_required = requires(Role.MANAGER)
admin_required = requires(Role.ADMIN)
# Writes a provider's user makes for their own vendor (and managers for any).
manager_or_provider_required = requires(Role.MANAGER, providers=True)
