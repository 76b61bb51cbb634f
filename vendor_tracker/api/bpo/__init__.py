"""API endpoints for BPO engagements: service levels, monthly results, compliance and credits,
month reports and credit disputes."""

from vendor_tracker.api.bpo import compliance, levels, measurements, reports
from vendor_tracker.api.bpo.blueprint import blp

__all__ = ["blp", "compliance", "levels", "measurements", "reports"]
