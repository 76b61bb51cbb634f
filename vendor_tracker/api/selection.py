"""API endpoints for selection."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_selection", "Selection")
