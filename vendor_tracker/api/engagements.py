"""API endpoints for engagements."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_engagements", "Engagements")
