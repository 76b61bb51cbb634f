"""Pure conversion rules: amounts in many currencies to one reporting currency, month by month.

An amount of month M in currency C converts with the rate of month M for C or, when there is
none, with the latest rate of an earlier month (the month used is kept, so pages can say it).
An amount with no rate of its month or before is not converted: it is listed apart, never
dropped or counted as zero. A rate is what one unit of C is worth in the reporting currency:
converted = amount × rate. Sums stay exact Decimals; only shown figures are rounded, half-even,
to cents (`to_cents`).
"""

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")
MAX_RATE = Decimal("1000000000")  # Numeric(18, 8) holds ten digits before the point


def to_cents(amount: Decimal) -> Decimal:
    """Round money half-even (banker's rounding) to cents, for display and totals."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


def rate_problem(rate: Decimal | None) -> str | None:
    """Why a rate cannot be stored (None when it can): it must be above zero and fit the column."""
    if rate is None or not rate.is_finite():
        return "Enter the rate as a number, such as 1.08."
    if rate <= 0:
        return "A rate must be above zero."
    if rate >= MAX_RATE:
        return "A rate must be below 1,000,000,000."
    if rate != rate.quantize(Decimal("0.00000001")):
        return "Use at most 8 decimal places."
    return None


@dataclass(frozen=True)
class Rate:
    """One admin-kept rate: one unit of `currency` is worth `rate` reporting-currency units."""

    month: date  # first of the month
    currency: str
    rate: Decimal
    source: str


@dataclass(frozen=True)
class RateUse:
    """Which rate converted one month's amount of a currency (`month` may be after `rate.month`)."""

    month: date
    rate: Rate

    @property
    def fallback(self) -> bool:
        """True when an earlier month's rate stood in for a month without one."""
        return self.rate.month != self.month


@dataclass(frozen=True)
class CurrencyConversion:
    """One currency's share of a converted total."""

    currency: str
    amount: Decimal  # everything in this currency, converted or not
    converted: Decimal  # exact, in the reporting currency
    uses: tuple[RateUse, ...]  # one per converted month, oldest first
    not_converted: Decimal  # the part of `amount` with no rate
    months_without_rate: tuple[date, ...]

    @property
    def rate_months(self) -> tuple[date, ...]:
        """The months of the rates used, oldest first."""
        return tuple(sorted({use.rate.month for use in self.uses}))

    @property
    def sources(self) -> tuple[str, ...]:
        """The distinct sources of the rates used, in the order of their first use."""
        return tuple(dict.fromkeys(use.rate.source for use in self.uses))

    @property
    def fallbacks(self) -> tuple[RateUse, ...]:
        """The months converted with an earlier month's rate."""
        return tuple(use for use in self.uses if use.fallback)


@dataclass(frozen=True)
class ConvertedTotal:
    """A total in the reporting currency, what went into it, and what could not."""

    currency: str
    exact: Decimal
    same_currency: Decimal  # amounts already in the reporting currency (no rate needed)
    conversions: tuple[CurrencyConversion, ...]  # other currencies, by code

    @property
    def total(self) -> Decimal:
        """The converted total rounded half-even to cents."""
        return to_cents(self.exact)

    @property
    def not_converted(self) -> tuple[CurrencyConversion, ...]:
        """The currencies with an amount that no rate converts."""
        return tuple(c for c in self.conversions if c.months_without_rate)

    @property
    def complete(self) -> bool:
        """True when every amount is in the total."""
        return not self.not_converted


def index_rates(rates: Iterable[Rate]) -> dict[str, list[Rate]]:
    """{currency: its rates, oldest month first}; the lookup `rate_for` expects."""
    found: dict[str, list[Rate]] = defaultdict(list)
    for rate in rates:
        found[rate.currency].append(rate)
    return {cur: sorted(items, key=lambda r: r.month) for cur, items in found.items()}


def rate_for(indexed: dict[str, list[Rate]], currency: str, month: date) -> Rate | None:
    """The rate of `month` for `currency`, else the latest earlier one, else None."""
    items = indexed.get(currency, [])
    position = bisect_right([r.month for r in items], month)
    return items[position - 1] if position else None


def convert_total(
    amounts: Iterable[tuple[str, date, Decimal]], rates: Iterable[Rate], reporting_currency: str
) -> ConvertedTotal:
    """Sum (currency, month, amount) items in the reporting currency, month by month.

    converted = Σ amount × rate(currency, month or the latest month before it); amounts already
    in the reporting currency count as they are; amounts without a rate stay out, listed by
    currency with their months.
    """
    by_currency: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for currency, month, amount in amounts:
        by_currency[currency][month.replace(day=1)] += amount
    same = sum(by_currency.pop(reporting_currency, {}).values(), ZERO)
    indexed = index_rates(r for r in rates if r.currency != reporting_currency)
    conversions = []
    for currency in sorted(by_currency):
        months = by_currency[currency]
        uses, missing = [], []
        converted = left_out = ZERO
        for month in sorted(months):
            rate = rate_for(indexed, currency, month)
            if rate is None:
                missing.append(month)
                left_out += months[month]
            else:
                uses.append(RateUse(month, rate))
                converted += months[month] * rate.rate
        conversions.append(
            CurrencyConversion(
                currency,
                sum(months.values(), ZERO),
                converted,
                tuple(uses),
                left_out,
                tuple(missing),
            )
        )
    exact = same + sum((c.converted for c in conversions), ZERO)
    return ConvertedTotal(reporting_currency, exact, same, tuple(conversions))


def months_phrase(months: Iterable[date]) -> str:
    """'Oct 2026'; 'Sep 2026, Oct 2026'; 'Jan 2026 – Dec 2026 (12 months)' from three months on
    (the range names its first and last month, the count how many are in it)."""
    ordered = sorted(set(months))
    if len(ordered) <= 2:
        return ", ".join(f"{m:%b %Y}" for m in ordered)
    return f"{ordered[0]:%b %Y} – {ordered[-1]:%b %Y} ({len(ordered)} months)"
