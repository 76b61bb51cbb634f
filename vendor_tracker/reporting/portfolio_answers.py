"""The portfolio and spend page's figures as a stored answer (`core.stored_answers`).

`spend_services.portfolio` sums every engagement's spend span and four quarters of both kinds'
monthly rollups: its time grows with the portfolio. Its figures change only when an engagement,
a vendor, a service line or an exchange rate is written, or when monthly rollups are recomputed
(results, service levels, deliverables, reviews...): each of those makes the stored answer
stale in the writer's transaction, and the next reader computes it once for everybody.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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
CONCENTRATION_ROWS = 10  # per currency, unless the page is asked for every vendor


@register_type
@dataclass(frozen=True)
class OtherVendors:
    """The vendors of a currency left out of the concentration table, summed."""

    currency: str
    count: int
    amount: Decimal
    share_pct: float


def concentration_shown(rows: list, every_vendor: bool) -> tuple[list, list[OtherVendors]]:
    """The concentration rows to show (per currency the CONCENTRATION_ROWS largest and every
    vendor above the limit, or all of them) and what the others add up to per currency."""
    if every_vendor:
        return rows, []
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row.currency] += row.amount
    shown, others, seen = [], {}, defaultdict(int)
    for row in rows:  # by currency, then largest first
        seen[row.currency] += 1
        if seen[row.currency] <= CONCENTRATION_ROWS or row.flagged:
            shown.append(row)
        else:
            count, amount = others.get(row.currency, (0, Decimal(0)))
            others[row.currency] = (count + 1, amount + row.amount)
    return shown, [
        OtherVendors(currency, count, amount, share_of(amount, totals[currency]))
        for currency, (count, amount) in others.items()
    ]


def share_of(amount: Decimal, total: Decimal) -> float:
    """`amount` in % of `total`, to one decimal (half up), as the concentration rows round."""
    return float((amount * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


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
    found = portfolio(
        filters,
        today,
        Decimal(params["limit_pct"]),
        params["reporting"],
        dimensions=tuple(params["dimensions"]),
        details=params["details"],
    )
    # Only what the page shows is stored: without every vendor, the largest and the flagged.
    found["concentration"], found["other_vendors"] = concentration_shown(
        found["concentration"], params["every_vendor"]
    )
    return found


def stored_portfolio(
    filters: PortfolioFilters,
    today: date,
    limit_pct: Decimal,
    reporting: str | None = None,
    dimensions=DIMENSIONS,
    details: bool = True,
    every_vendor: bool = False,
) -> dict:
    """What `spend_services.portfolio` returns for these arguments, read back when nothing it
    depends on was written since it was stored today; its concentration rows cut to those
    shown (`concentration_shown`), the others summed per currency in `other_vendors`."""
    params = {
        "first_month": filters.first_month.isoformat(),
        "last_month": filters.last_month.isoformat(),
        "model": filters.model,
        "currency": filters.currency,
        "limit_pct": str(limit_pct),
        "reporting": reporting or current_reporting_currency(),
        "dimensions": list(dimensions),
        "details": details,
        "every_vendor": every_vendor,
    }
    return stored_answer(KIND, params, today)
