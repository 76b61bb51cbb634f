"""The blueprint every selection API module registers on, and its route for writes to an open
sourcing request."""

from vendor_tracker.api.common import Blueprint
from vendor_tracker.auth.decorators import manager_required

blp = Blueprint("api_selection", "Sourcing requests: advisor, shortlist, scoring and award")
REQUEST = "/sourcing-requests/<int:rid>"


def open_request_write(rule: str, method: str, status: int, body=None, answer=None):
    """Route a manager-only write at /sourcing-requests/<rid> + `rule` on an open request: the
    role is checked first (a viewer gets 403 before any 422), then the body schema, the answer
    schema; once the request is closed the service refuses the write (409)."""

    def decorate(view):
        view = blp.response(status, answer)(view)
        if body is not None:
            view = blp.arguments(body)(view)
        return blp.route(REQUEST + rule, methods=[method])(manager_required(view))

    return decorate
