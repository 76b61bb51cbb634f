"""Whose records the signed-in user may see: the one scope every read goes through.

Client users (viewer, manager, admin) see every vendor; a provider's user sees only its own
vendor's records. Loaders and list queries ask `vendor_scope()` and answer "not found" for a
record outside it, so another vendor's record is indistinguishable from a missing one.
"""

from flask_login import current_user
from sqlalchemy import true


def vendor_scope() -> int | None:
    """The one vendor the signed-in user is bound to (a provider's), or None for client users."""
    if current_user and current_user.is_authenticated and current_user.is_provider:
        # A provider with no vendor sees nothing: id 0 names no row.
        return current_user.vendor_id or 0
    return None


def in_scope(vendor_id: int | None) -> bool:
    """True when the signed-in user may see records of `vendor_id`."""
    scope = vendor_scope()
    return scope is None or vendor_id == scope


def scope_filter(vendor_column):
    """A WHERE clause keeping the rows of `vendor_column` the signed-in user may see."""
    scope = vendor_scope()
    return true() if scope is None else vendor_column == scope


def acting_vendor_id() -> int | None:
    """The vendor a provider acts for (for pages that say so), None for client users."""
    return vendor_scope()
