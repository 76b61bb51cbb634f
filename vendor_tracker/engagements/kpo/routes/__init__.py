"""Pages of the kpo package: one blueprint, its handlers grouped by job in the modules below.

`sections` (blocks on the engagement and vendor pages, charts), `deliverables` (deliverables,
versions, reviews, the CSV download), `rubric`, `collaboration` (touchpoints, action items).
"""

from vendor_tracker.engagements.kpo import attachments  # noqa: F401 - versions carry files
from vendor_tracker.engagements.kpo.rollups import register_rollup_listener
from vendor_tracker.engagements.kpo.routes import collaboration, deliverables, rubric, sections
from vendor_tracker.engagements.kpo.routes.blueprint import bp

register_rollup_listener()  # every write keeps the monthly rollups current

__all__ = ["bp", "collaboration", "deliverables", "rubric", "sections"]
