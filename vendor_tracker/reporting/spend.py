"""Pure spend rules: monthly spend per engagement, roll-ups per currency, savings, concentration."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DIMENSIONS = ("model", "vendor", "service_line", "shore")
NO_SHORE = "not recorded"


def cents(amount: Decimal) -> Decimal:
    """Round money half-up to cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_starts(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month to `last`'s month, both included."""
    return [month_from_index(i) for i in range(month_index(first), month_index(last) + 1)]


@dataclass(frozen=True)
class EngagementMoney:
    """What the spend rules need to know about one engagement."""

    engagement_id: int
    vendor_id: int
    vendor: str
    kind: str  # "BPO" | "KPO"
    service_line: str
    shore: str | None
    currency: str
    start: date
    end: date | None
    monthly_fee: Decimal | None
    total_contract_value: Decimal | None
    baseline_monthly_cost: Decimal | None = None
    title: str = ""

    def key(self, dimension: str) -> str:
        """The value this engagement has for a roll-up dimension."""
        return {
            "model": self.kind,
            "vendor": self.vendor,
            "service_line": self.service_line,
            "shore": self.shore or NO_SHORE,
        }[dimension]


def spread_evenly(total: Decimal, months: int) -> list[Decimal]:
    """Split an amount over `months` in cents; the last month takes the rounding remainder."""
    if months <= 0:
        return []
    share = cents(total / months)
    return [share] * (months - 1) + [cents(total) - share * (months - 1)]


def _basis(e: EngagementMoney) -> str | None:
    """'fee' or 'spread' (see monthly_spend); None when the engagement has no usable figure."""
    can_fee = e.monthly_fee is not None
    can_spread = e.total_contract_value is not None and e.end is not None and e.end >= e.start
    preferred, other = ("fee", "spread") if e.kind == "BPO" else ("spread", "fee")
    usable = {"fee": can_fee, "spread": can_spread}
    if usable[preferred]:
        return preferred
    return other if usable[other] else None


def monthly_spend(e: EngagementMoney, first_month: date, last_month: date) -> dict[date, Decimal]:
    """Spend of one engagement in each month of [first_month, last_month] it runs in.

    BPO: the monthly fee in every calendar month the engagement touches (open-ended ones run on).
    KPO: the total contract value spread evenly over the engagement's months (needs an end date).
    Each falls back to the other basis when its own figure is missing. Empty when neither applies.
    """
    window = range(month_index(first_month), month_index(last_month) + 1)
    start = month_index(e.start)
    basis = _basis(e)
    if basis == "fee":
        last = month_index(e.end) if e.end else window.stop - 1
        return {
            month_from_index(i): cents(e.monthly_fee)
            for i in range(max(start, window.start), min(last, window.stop - 1) + 1)
        }
    if basis == "spread":
        end = month_index(e.end)
        shares = spread_evenly(e.total_contract_value, end - start + 1)
        return {
            month_from_index(i): shares[i - start]
            for i in range(max(start, window.start), min(end, window.stop - 1) + 1)
        }
    return {}


def spend_basis(e: EngagementMoney) -> str | None:
    """How an engagement's spend is counted, said in words; None when it cannot be."""
    return {
        "fee": "monthly fee in each month it runs",
        "spread": "contract value spread evenly over its months",
        None: None,
    }[_basis(e)]


def monthly_savings(e: EngagementMoney, spend: dict[date, Decimal]) -> dict[date, Decimal]:
    """In-house baseline minus spend, for each month with spend; empty without a baseline."""
    if e.baseline_monthly_cost is None:
        return {}
    return {month: cents(e.baseline_monthly_cost - amount) for month, amount in spend.items()}


Rollup = dict[str, dict[str, dict[date, Decimal]]]  # currency -> key -> month -> amount


def roll_up(rows: Iterable[tuple[EngagementMoney, dict[date, Decimal]]], dimension: str) -> Rollup:
    """Sum monthly amounts by currency and by a dimension (model, vendor, service line, shore)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown dimension {dimension!r}.")
    result: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: ZERO)))
    for e, by_month in rows:
        for month, amount in by_month.items():
            result[e.currency][e.key(dimension)][month] += amount
    return {cur: {k: dict(months) for k, months in keys.items()} for cur, keys in result.items()}


def totals_by_currency(rows: Iterable[tuple[EngagementMoney, dict[date, Decimal]]]):
    """Total per currency; amounts in different currencies are never added together."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for e, by_month in rows:
        totals[e.currency] += sum(by_month.values(), ZERO)
    return dict(sorted(totals.items()))


@dataclass(frozen=True)
class Concentration:
    """One vendor's share of a currency's spend."""

    currency: str
    vendor: str
    amount: Decimal
    share_pct: float
    flagged: bool


def concentration(
    rows: Iterable[tuple[EngagementMoney, dict[date, Decimal]]], limit_pct: Decimal | float
) -> list[Concentration]:
    """Each vendor's share of spend within its currency, flagged when above `limit_pct`.

    Sorted by currency, then largest share first. A currency with no spend has no rows.
    """
    by_vendor: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    for e, by_month in rows:
        by_vendor[(e.currency, e.vendor)] += sum(by_month.values(), ZERO)
    return vendor_shares(by_vendor, limit_pct)


def vendor_shares(
    by_vendor: dict[tuple[str, str], Decimal], limit_pct: Decimal | float
) -> list[Concentration]:
    """Concentration rows from the spend per (currency, vendor); see `concentration`."""
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for (currency, _vendor), amount in by_vendor.items():
        totals[currency] += amount
    limit = Decimal(str(limit_pct))
    result = []
    for (currency, vendor), amount in by_vendor.items():
        if totals[currency] <= 0:
            continue
        share = amount * 100 / totals[currency]
        rounded = float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
        result.append(Concentration(currency, vendor, amount, rounded, share > limit))
    return sorted(result, key=lambda c: (c.currency, -c.amount, c.vendor))
