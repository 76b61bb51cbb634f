"""API endpoints for reporting."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_reporting", "Reporting")
