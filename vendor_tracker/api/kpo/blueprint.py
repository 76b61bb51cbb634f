"""The blueprint every KPO API module registers its endpoints on."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_kpo", "KPO deliverables, review rounds and review-cycle statistics")
