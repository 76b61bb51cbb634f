"""API endpoints for sourcing requests: the advisor, shortlist, score sheets, results, award."""

from vendor_tracker.api.selection import evaluation, requests
from vendor_tracker.api.selection.blueprint import blp

__all__ = ["blp", "evaluation", "requests"]
