"""Pages of the reporting package: one blueprint, its handlers grouped by job in the modules below.

`scorecards` (the landing page, scorecards, settings, and the vendor list's and vendor page's
scorecard providers), `risks`, `qbr`, `attention` (the needs-attention inbox), `portfolio`,
`exchange_rates` (the monthly rates to the reporting currency), `exports` (CSV and Excel
downloads) and `dashboard` (the home page's counts).
"""

# The handlers register themselves on `bp` (or through core.hooks) when their modules are imported.
from vendor_tracker.reporting import attachments  # noqa: F401 - QBRs carry files
from vendor_tracker.reporting.routes import (
    attention,
    dashboard,
    exchange_rates,
    exports,
    portfolio,
    qbr,
    risks,
    scorecards,
)
from vendor_tracker.reporting.routes.blueprint import bp
from vendor_tracker.reporting.score_store import register_score_listeners

register_score_listeners()  # every write that changes a vendor's figures marks its scores stale

__all__ = [
    "attention",
    "bp",
    "dashboard",
    "exchange_rates",
    "exports",
    "portfolio",
    "qbr",
    "risks",
    "scorecards",
]
