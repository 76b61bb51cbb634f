"""API endpoints for kpo."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_kpo", "Kpo")
