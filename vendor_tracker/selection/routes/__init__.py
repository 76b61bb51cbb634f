"""Pages of the selection package: one blueprint, its handlers grouped by job in the modules below.

`requests` (the list, a request's page, create, edit, delete, and sections on engagement and
vendor pages), `evaluation` (advisor, shortlist, criteria, score sheets, results) and `award`
(the award and the decision record). The blueprint and what they share are in `blueprint`.
"""

# The handlers register themselves on `bp` when their modules are imported.
from vendor_tracker.selection.routes import award, evaluation, requests
from vendor_tracker.selection.routes.blueprint import bp

__all__ = ["award", "bp", "evaluation", "requests"]
