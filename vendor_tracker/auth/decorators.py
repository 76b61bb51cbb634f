"""Permission decorators used by page and API handlers alike."""

from functools import wraps

from flask import abort
from flask_login import current_user

from vendor_tracker.audit.services import record_security_event
from vendor_tracker.auth.rules import Role
from vendor_tracker.extensions import db


def refuse(reason: str) -> None:
    """Record a refused permission and answer 403."""
    actor = current_user.email if current_user.is_authenticated else "anonymous"
    user_id = current_user.id if current_user.is_authenticated else None
    record_security_event("permission_denied", actor, reason, user_id)
    db.session.commit()
    abort(403, description=reason)


def requires(role: str | Role):
    """Allow the view only to users whose role includes `role` (login is checked globally)."""
    required = Role(role)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not current_user.can(required):
                refuse(f"{required.value} role needed")
            return view(*args, **kwargs)

        wrapped.required_role = required
        return wrapped

    return decorator


manager_required = requires(Role.MANAGER)
admin_required = requires(Role.ADMIN)
