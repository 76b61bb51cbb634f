"""API endpoints for bpo."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_bpo", "Bpo")
