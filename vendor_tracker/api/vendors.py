"""API endpoints for vendors."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_vendors", "Vendors")
