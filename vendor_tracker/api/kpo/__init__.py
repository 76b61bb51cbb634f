"""API endpoints for KPO engagements: deliverables, versions, reviews, rubric, statistics and
the action items of the collaboration log."""

from vendor_tracker.api.kpo import actions, deliverables
from vendor_tracker.api.kpo.blueprint import blp

__all__ = ["actions", "blp", "deliverables"]
