"""Pure spend figures of a whole portfolio in one pass: each engagement adds its span of months
once, whatever the number of months, instead of one amount per engagement and month.

The figures equal those of `spend.monthly_spend` summed by `roll_up`, `totals_by_currency`,
`concentration` and the savings rule: the same cents, the same months present or absent.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from vendor_tracker.reporting.spend import (
    DIMENSIONS,
    ZERO,
    EngagementMoney,
    _basis,
    cents,
    month_index,
    month_starts,
)


@dataclass(frozen=True)
class Span:
    """The months [first, last] (offsets into the window) an engagement is paid in: `each` in
    every month but the last, `final` in the last (a spread's rounding remainder)."""

    first: int
    last: int
    each: Decimal
    final: Decimal

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    @property
    def total(self) -> Decimal:
        return self.each * (self.months - 1) + self.final


def spend_span(e: EngagementMoney, first_month: date, last_month: date) -> Span | None:
    """The engagement's spend within the window as a span; None when it has no month in it.

    Same rule as `spend.monthly_spend`: BPO the fee in each month it touches (open-ended ones
    run to the window's end), KPO the contract value spread evenly, the remainder in its last
    month; each falls back to the other basis.
    """
    origin, window_end = month_index(first_month), month_index(last_month)
    start = month_index(e.start)
    basis = _basis(e)
    if basis == "fee":
        end = month_index(e.end) if e.end else window_end
        each = final = cents(e.monthly_fee)
    elif basis == "spread":
        end = month_index(e.end)
        count = end - start + 1
        each = cents(e.total_contract_value / count)
        final = cents(e.total_contract_value) - each * (count - 1)
    else:
        return None
    low, high = max(start, origin), min(end, window_end)
    if low > high:
        return None
    return Span(low - origin, high - origin, each, final if high == end else each)


class Series:
    """Amounts per month of the window, added span by span (a difference array); a month is
    present when at least one engagement runs in it, even for a zero amount."""

    __slots__ = ("amounts", "counts")

    def __init__(self, width: int):
        self.amounts = [ZERO] * (width + 1)
        self.counts = [0] * (width + 1)

    def add(self, span: Span) -> None:
        self.amounts[span.first] += span.each
        self.amounts[span.last] += span.final - span.each
        self.amounts[span.last + 1] -= span.final
        self.counts[span.first] += 1
        self.counts[span.last + 1] -= 1

    def by_month(self, months: Sequence[date]) -> dict[date, Decimal]:
        result, running, active = {}, ZERO, 0
        for offset, month in enumerate(months):
            running += self.amounts[offset]
            active += self.counts[offset]
            if active:
                result[month] = running
        return result


@dataclass
class PortfolioSpend:
    """Everything the portfolio shows about money, per currency."""

    months: list[date]
    by: dict[str, dict] = field(default_factory=dict)  # dimension -> currency -> key -> months
    totals: dict[str, Decimal] = field(default_factory=dict)
    by_currency_month: dict[str, dict[date, Decimal]] = field(default_factory=dict)
    by_vendor: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    savings: dict[str, dict] = field(default_factory=dict)
    not_counted: list[EngagementMoney] = field(default_factory=list)
    engagements: int = 0

    def amounts(self) -> list[tuple[str, date, Decimal]]:
        """(currency, month, amount) of each currency's months, for the conversion."""
        return [
            (currency, month, amount)
            for currency, months in self.by_currency_month.items()
            for month, amount in months.items()
        ]


def _saving(entry: dict, e: EngagementMoney, span: Span) -> None:
    """Add one engagement to its currency's savings (baseline minus spend, month by month)."""
    if e.baseline_monthly_cost is None:
        entry["without"] += 1
        return
    base = e.baseline_monthly_cost
    entry["with"] += 1
    entry["savings"] += cents(base - span.each) * (span.months - 1) + cents(base - span.final)
    entry["covered_spend"] += span.total
    entry["baseline"] += base * span.months


def portfolio_spend(
    engagements: Iterable[EngagementMoney],
    first_month: date,
    last_month: date,
    dimensions: Sequence[str] = DIMENSIONS,
) -> PortfolioSpend:
    """Roll-ups for `dimensions`, totals, spend per currency and month and per vendor, savings
    and the engagements whose spend cannot be counted, in one pass over the engagements."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"Unknown dimension {unknown[0]!r}.")
    result = PortfolioSpend(month_starts(first_month, last_month), {d: {} for d in dimensions})
    width = len(result.months)
    series: dict[tuple, Series] = {}
    savings: dict[str, dict] = {}
    for e in engagements:
        result.engagements += 1
        span = spend_span(e, first_month, last_month)
        amount = span.total if span else ZERO
        result.totals[e.currency] = result.totals.get(e.currency, ZERO) + amount
        vendor = (e.currency, e.vendor)
        result.by_vendor[vendor] = result.by_vendor.get(vendor, ZERO) + amount
        entry = savings.setdefault(
            e.currency,
            {"savings": ZERO, "covered_spend": ZERO, "baseline": ZERO, "with": 0, "without": 0},
        )
        if _basis(e) is None:
            result.not_counted.append(e)
        if span is None:
            continue
        _saving(entry, e, span)
        for group in [(None, e.currency)] + [(d, e.currency, e.key(d)) for d in dimensions]:
            found = series.get(group)
            if found is None:
                found = series[group] = Series(width)
            found.add(span)
    for group, found in series.items():
        months = found.by_month(result.months)
        if group[0] is None:
            result.by_currency_month[group[1]] = months
        else:
            result.by.setdefault(group[0], {}).setdefault(group[1], {})[group[2]] = months
    for entry in savings.values():
        base = entry["baseline"]
        entry["savings_pct"] = float(entry["savings"] * 100 / base) if base > 0 else None
    result.totals = dict(sorted(result.totals.items()))
    result.savings = dict(sorted(savings.items()))
    return result
