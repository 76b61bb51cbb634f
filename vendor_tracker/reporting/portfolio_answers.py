"""The portfolio and spend page's figures as a stored answer (`core.stored_answers`).

`spend_services.portfolio` sums every engagement's spend span and four quarters of both kinds'
monthly rollups: its time grows with the portfolio. Its figures change only when an engagement,
a vendor, a service line or an exchange rate is written, or when monthly rollups are recomputed
(results, service levels, deliverables, reviews...): each of those makes the stored answer
stale in the writer's transaction, and the next reader computes it once for everybody.
"""

from datetime import date
from decimal import Decimal

from vendor_tracker.core.answer_codec import register_type
from vendor_tracker.core.stored_answers import answer_kind, stored_answer, watch
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.reporting.fx import ConvertedTotal, CurrencyConversion, Rate, RateUse
from vendor_tracker.reporting.fx_services import current_reporting_currency
from vendor_tracker.reporting.models import ExchangeRate
from vendor_tracker.reporting.periods import Period
from vendor_tracker.reporting.spend import DIMENSIONS, Concentration, EngagementMoney
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio
from vendor_tracker.vendors.models import ServiceLine, Vendor

KIND = "portfolio"

for _type in (
    Period,
    Concentration,
    EngagementMoney,
    ConvertedTotal,
    CurrencyConversion,
    RateUse,
    Rate,
):
    register_type(_type)
watch(Engagement, Vendor, ServiceLine, ExchangeRate)


@answer_kind(KIND)
def _compute(params: dict, today: date) -> dict:
    filters = PortfolioFilters(
        date.fromisoformat(params["first_month"]),
        date.fromisoformat(params["last_month"]),
        params["model"],
        params["currency"],
    )
    return portfolio(
        filters,
        today,
        Decimal(params["limit_pct"]),
        params["reporting"],
        dimensions=tuple(params["dimensions"]),
        details=params["details"],
    )


def stored_portfolio(
    filters: PortfolioFilters,
    today: date,
    limit_pct: Decimal,
    reporting: str | None = None,
    dimensions=DIMENSIONS,
    details: bool = True,
) -> dict:
    """What `spend_services.portfolio` returns for these arguments, read back when nothing it
    depends on was written since it was stored today."""
    params = {
        "first_month": filters.first_month.isoformat(),
        "last_month": filters.last_month.isoformat(),
        "model": filters.model,
        "currency": filters.currency,
        "limit_pct": str(limit_pct),
        "reporting": reporting or current_reporting_currency(),
        "dimensions": list(dimensions),
        "details": details,
    }
    return stored_answer(KIND, params, today)
