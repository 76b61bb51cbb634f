"""/api/v1 reporting: scorecards per vendor and for all, risks CRUD, the needs-attention items,
portfolio spend with its total in the reporting currency."""

from vendor_tracker.api.reporting import attention, portfolio, risks, scorecards
from vendor_tracker.api.reporting.blueprint import blp

__all__ = ["attention", "blp", "portfolio", "risks", "scorecards"]
