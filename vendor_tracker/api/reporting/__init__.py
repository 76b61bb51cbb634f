"""/api/v1 reporting: scorecards per vendor and for all, risks CRUD, the needs-attention items."""

from vendor_tracker.api.reporting import attention, risks, scorecards
from vendor_tracker.api.reporting.blueprint import blp

__all__ = ["attention", "blp", "risks", "scorecards"]
