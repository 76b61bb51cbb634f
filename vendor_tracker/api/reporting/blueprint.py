"""The blueprint every reporting API module registers its endpoints on."""

from vendor_tracker.api.common import Blueprint, error_docs

blp = Blueprint("api_reporting", "Reporting: scorecards, risks, needs attention")
documented = error_docs(blp)
