"""Pages of the bpo package: one blueprint, its handlers grouped by job in the modules below.

`sections` (the engagement page's BPO block and its charts), `levels` (service levels),
`results` (the month page and the CSV import), `credits` (the ledger and its CSV), `reports`
(month verification and credit disputes), `portfolio` (the heat map).
"""

from vendor_tracker.engagements.bpo.routes import (
    credits,
    levels,
    portfolio,
    reports,
    results,
    sections,
)
from vendor_tracker.engagements.bpo.routes.blueprint import bp

__all__ = ["bp", "credits", "levels", "portfolio", "reports", "results", "sections"]
