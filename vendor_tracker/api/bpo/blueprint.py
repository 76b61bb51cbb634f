"""The blueprint every BPO API module registers its endpoints on."""

from vendor_tracker.api.common import Blueprint

blp = Blueprint("api_bpo", "BPO service levels, monthly results, compliance and credits")
