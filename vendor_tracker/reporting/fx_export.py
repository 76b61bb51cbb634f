"""The portfolio spend export: per vendor and currency, with the total in the reporting currency.

It reads the portfolio page's filters and uses the same spend and conversion rules as the page.
"""

from collections import defaultdict
from datetime import date

from vendor_tracker.reporting.fx import (
    ZERO,
    ConvertedTotal,
    convert_total,
    months_phrase,
    to_cents,
)
from vendor_tracker.reporting.fx_services import current_reporting_currency, rates_until
from vendor_tracker.reporting.spend_reads import portfolio_sums
from vendor_tracker.reporting.spend_services import PortfolioFilters

HEADERS = [
    "Period",
    "Vendor",
    "Currency",
    "Spend (in the currency)",
    "Reporting currency",
    "Spend converted (reporting currency)",
    "Not converted (no rate, in the currency)",
    "Months without a rate",
    "Rates used (months)",
    "Rate sources",
]


def _cells(label: str, vendor: str, currency: str, conv: ConvertedTotal) -> list:
    """One line: the amount in its currency, converted, and what no rate converts (the amounts
    in the currency's own columns are left empty on the all-currencies line)."""
    missing = conv.not_converted
    own = None
    left_out = None
    if currency:
        own = to_cents(conv.same_currency + sum((c.amount for c in conv.conversions), ZERO))
        left_out = to_cents(sum((c.not_converted for c in missing), ZERO))
    return [
        label,
        vendor,
        currency or "All currencies",
        own,
        conv.currency,
        to_cents(conv.exact),
        left_out,
        "; ".join(f"{c.currency} {months_phrase(c.months_without_rate)}" for c in missing),
        "; ".join(
            f"{c.currency} {months_phrase(c.rate_months)}" for c in conv.conversions if c.uses
        ),
        "; ".join(dict.fromkeys(s for c in conv.conversions for s in c.sources)),
    ]


def portfolio_rows(args, today: date):
    """Spend per vendor and currency, a total per currency, and the total in the reporting
    currency (lines "Total"); amounts that no rate converts are said, never dropped."""
    filters = PortfolioFilters.from_args(args, today)
    reporting = current_reporting_currency()
    # Summed by the database per vendor, currency and month (every vendor with an engagement
    # under the filters, spend or not), as the page reads it.
    spend = portfolio_sums(filters, ("vendor",))
    rates = rates_until({c for c, _v in spend.by_vendor} - {reporting}, filters.last_month)
    groups: dict[tuple[str, str], list] = {}
    for currency, vendor in spend.by_vendor:
        months = spend.by["vendor"].get(currency, {}).get(vendor, {})
        groups[(vendor, currency)] = [(currency, m, a) for m, a in months.items()]
    by_currency: dict[str, list] = defaultdict(list)
    rows = []
    for (vendor, currency), amounts in sorted(groups.items()):
        by_currency[currency] += amounts
        rows.append(
            _cells(filters.label, vendor, currency, convert_total(amounts, rates, reporting))
        )
    for currency, amounts in sorted(by_currency.items()):
        conv = convert_total(amounts, rates, reporting)
        rows.append(_cells("Total", "All vendors", currency, conv))
    everything = [item for amounts in by_currency.values() for item in amounts]
    rows.append(_cells("Total", "All vendors", "", convert_total(everything, rates, reporting)))
    return HEADERS, rows
