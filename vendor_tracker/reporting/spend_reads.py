"""Portfolio spend summed in SQL: the figures of `spend_totals.portfolio_spend` without loading
one row per engagement.

The database works each engagement's span (`spend_totals.spend_span`) in integer cents, so
the sums are exact on SQLite and PostgreSQL alike: the offsets of its first and last month in
the window, `each` (paid in every month of the span, half-up as `spend.cents`) and `tail` (what
the last month adds: a spread's rounding remainder when the span ends with the engagement). It
then sums the spans per currency, key and (first, last) months: a few rows per key whatever the
number of engagements, from which Python adds each group's events to a difference array
(`spend_totals.Series`). Tested against the pure rules on generated portfolios in
`tests/integration/test_spend_reads.py`.
"""

from decimal import Decimal
from functools import cache

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)

from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.reporting.month_sql import Greatest, Least, MonthNumber
from vendor_tracker.reporting.spend import (
    DIMENSIONS,
    NO_SHORE,
    month_from_index,
    month_index,
    month_starts,
)
from vendor_tracker.reporting.spend_totals import PortfolioSpend
from vendor_tracker.vendors.models import ServiceLine, Vendor
from vendor_tracker.vendors.rules import Model


def in_window(stmt, filters):
    """Contracted engagements (not planned ones) overlapping the filters' months, of its model
    and currency when it names them; what `spend_services.engagement_money` loads."""
    return _window(stmt, filters.model, filters.currency).params(_window_params(filters))


def _window(stmt, model: bool, currency: bool):
    """`in_window` with the months, model and currency as bound parameters."""
    stmt = stmt.where(
        Engagement.status != EngagementStatus.PLANNED,
        Engagement.start_date < bindparam("following", type_=Date),
        or_(
            Engagement.end_date.is_(None),
            Engagement.end_date >= bindparam("first_month", type_=Date),
        ),
    )
    if model:
        stmt = stmt.where(Engagement.kind == bindparam("model", type_=Engagement.kind.type))
    if currency:
        stmt = stmt.where(Engagement.currency == bindparam("currency", type_=String))
    return stmt


def _window_params(filters) -> dict:
    params = {
        "first_month": filters.first_month,
        "following": month_from_index(month_index(filters.last_month) + 1),
        "origin": month_index(filters.first_month),
        "window_end": month_index(filters.last_month),
    }
    if filters.model:
        params["model"] = filters.model
    if filters.currency:
        params["currency"] = filters.currency
    return params


def _can_spread():
    return and_(
        Engagement.total_contract_value.is_not(None),
        Engagement.end_date.is_not(None),
        Engagement.end_date >= Engagement.start_date,
    )


def not_counted_condition():
    """Engagements with neither a monthly fee nor a contract value to spread (`spend._basis`
    None): their spend cannot be counted."""
    return and_(Engagement.monthly_fee.is_(None), not_(_can_spread()))


def _cents(column):
    """A money column (two places) in integer cents."""
    return cast(func.round(column * 100), BigInteger)


def _half_up(numerator, denominator):
    """numerator / denominator (> 0) rounded half away from zero, as `spend.cents` rounds."""
    twice = 2 * denominator
    return case(
        (numerator >= 0, (2 * numerator + denominator) // twice),
        else_=-((denominator - 2 * numerator) // twice),
    )


KEY_COLUMNS = {
    "model": lambda: type_coerce(Engagement.kind, String),
    "vendor": lambda: Vendor.name,
    "service_line": lambda: ServiceLine.name,
    "shore": lambda: func.coalesce(type_coerce(Engagement.delivery_shore, String), NO_SHORE),
}


def _fee_basis():
    """`spend._basis` is "fee": BPO work with a fee, or other work with a fee and no contract
    value to spread."""
    has_fee = Engagement.monthly_fee.is_not(None)
    return and_(has_fee, or_(Engagement.kind == Model.BPO, not_(_can_spread())))


def _spread_basis():
    """`spend._basis` is "spread": a contract value to spread, and no fee for BPO work."""
    return and_(_can_spread(), or_(Engagement.kind != Model.BPO, Engagement.monthly_fee.is_(None)))


ORIGIN, WINDOW_END = bindparam("origin", type_=Integer), bindparam("window_end", type_=Integer)


def _part(where, keys, basis, each, tail, last):
    """The spans of one basis: keys, baseline, `each`, `tail` and the window offsets of the
    span's `first` and `last` months. Under `_window` a span has a month in the window when
    its last month is not before its first (the window holds its first month or an earlier
    one, and its last month or a later one): `basis` must say so."""
    start = MonthNumber(Engagement.start_date)
    low, high = Greatest(start, ORIGIN), Least(last, WINDOW_END)
    stmt = select(
        Engagement.currency.label("currency"),
        *(KEY_COLUMNS[key]().label(key) for key in keys),
        _cents(Engagement.baseline_monthly_cost).label("baseline"),
        each.label("each"),
        tail.label("tail"),
        (low - ORIGIN).label("first"),
        (high - ORIGIN).label("last"),
    ).where(basis)
    return _joined(stmt, keys, where)


def _joined(stmt, keys, where):
    if "vendor" in keys:
        stmt = stmt.join(Vendor, Vendor.id == Engagement.vendor_id)
    if "service_line" in keys:
        stmt = stmt.join(ServiceLine, ServiceLine.id == Engagement.service_line_id)
    return _window(stmt, *where)


def _spans(where, keys: tuple[str, ...]):
    """Per engagement under the filters with a span in the window (`spend_totals.spend_span`):
    currency, `keys`, baseline (cents), `each`, `tail` and the offsets of its `first` and
    `last` months; then every engagement under the filters once more with NULL offsets, for
    the count of engagements and the keys of those not counted.

    One select per basis keeps each expression plain integer arithmetic."""
    start, end = MonthNumber(Engagement.start_date), MonthNumber(Engagement.end_date)
    count = end - start + 1
    tcv = _cents(Engagement.total_contract_value)
    each = _half_up(tcv, count)
    # A spread's end is never before its start (`_can_spread`); a fee's may be, by months.
    spread = _part(
        where,
        keys,
        _spread_basis(),
        each,
        case((end <= WINDOW_END, tcv - each * count), else_=0),
        end,
    )
    fee = _part(
        where,
        keys,
        and_(_fee_basis(), or_(Engagement.end_date.is_(None), end >= start)),
        _cents(Engagement.monthly_fee),
        literal(0),
        func.coalesce(end, WINDOW_END),
    )
    every = select(
        Engagement.currency,
        *(KEY_COLUMNS[key]() for key in keys),
        null(),
        literal(0),
        literal(0),
        null(),
        null(),
    )
    return union_all(fee, spread, _joined(every, keys, where)).subquery("spans")


@cache
def _grouped_statement(keys: tuple[str, ...], model: bool, currency: bool):
    """The grouped query of `_grouped`, built once per shape with the window as parameters."""
    s = _spans((model, currency), keys).c
    has_base = s.baseline.is_not(None)
    group = (s.currency, *(s[key] for key in keys), s.first, s.last)
    return select(
        *group,
        func.count(),
        func.count(s.baseline),
        func.sum(s.each),
        func.sum(s.tail),
        func.sum(case((has_base, s.each), else_=0)),
        func.sum(case((has_base, s.tail), else_=0)),
        func.coalesce(func.sum(s.baseline), 0),
    ).group_by(*group)


def _grouped(filters, keys: tuple[str, ...]):
    """The spans summed per currency, keys and (first, last) months: count, count with a
    baseline, each, tail, each and tail of those with a baseline, baseline (cents)."""
    stmt = _grouped_statement(keys, bool(filters.model), bool(filters.currency))
    return db.session.execute(stmt, _window_params(filters)).all()


def _money(cents) -> Decimal:
    """Whole cents as a two-place amount."""
    return Decimal(int(cents or 0)).scaleb(-2)


class _Sums:
    """What the grouped rows add up to, in whole cents (Python integers: exact and fast),
    turned into amounts once at the end."""

    def __init__(self, width: int):
        self.width = width
        self.engagements = 0
        self.totals: dict[str, int] = {}
        self.savings: dict[str, list[int]] = {}  # with, without, covered spend, baseline
        self.by_vendor: dict[tuple[str, str], int] = {}
        # (dimension or None for the currency, currency, key): [amount events, active events]
        self.series: dict[tuple, tuple[list[int], list[int]]] = {}

    def add(self, currency: str, found: dict, first, last, sums, dimensions, vendors) -> None:
        """Add one row of `_grouped` (`found`: its keys)."""
        engagements, with_base, each, tail, base_each, base_tail, baseline = (
            int(v or 0) for v in sums
        )
        self.totals.setdefault(currency, 0)
        saving = self.savings.setdefault(currency, [0, 0, 0, 0])
        vendor = (currency, found.get("vendor"))
        if vendors:
            self.by_vendor.setdefault(vendor, 0)
        if first is None:
            self.engagements += engagements
            return
        months = last - first + 1
        spend = each * months + tail
        self.totals[currency] += spend
        saving[0] += with_base
        saving[1] += engagements - with_base
        saving[2] += base_each * months + base_tail
        saving[3] += baseline * months
        if vendors:
            self.by_vendor[vendor] += spend
        for group in [(None, currency, None)] + [(d, currency, found[d]) for d in dimensions]:
            line = self.series.get(group)
            if line is None:
                line = self.series[group] = ([0] * (self.width + 1), [0] * (self.width + 1))
            # The spans' events, for `engagements` spans at once (see `Series.add`).
            amounts, active = line
            amounts[first] += each
            amounts[last] += tail
            amounts[last + 1] -= each + tail
            active[first] += engagements
            active[last + 1] -= engagements

    def fill(self, result: PortfolioSpend) -> None:
        """Set the result's figures from the sums."""
        result.engagements = self.engagements
        result.totals = {c: _money(t) for c, t in sorted(self.totals.items())}
        result.by_vendor = {k: _money(v) for k, v in self.by_vendor.items()}
        for currency, (with_, without, covered, baseline) in sorted(self.savings.items()):
            saved, base = _money(baseline - covered), _money(baseline)
            result.savings[currency] = {
                "savings": saved,
                "covered_spend": _money(covered),
                "baseline": base,
                "with": with_,
                "without": without,
                "savings_pct": float(saved * 100 / base) if base > 0 else None,
            }
        for (dimension, currency, key), line in sorted(self.series.items(), key=_series_order):
            months = _by_month(line, result.months)
            if dimension is None:
                result.by_currency_month[currency] = months
            else:
                result.by[dimension].setdefault(currency, {})[key] = months


def _by_month(line, months: list) -> dict:
    """The prefix sums of a series' events: the amount of each month at least one span runs
    in (as `Series.by_month`)."""
    amounts, active = line
    result, running, count = {}, 0, 0
    for offset, month in enumerate(months):
        running += amounts[offset]
        count += active[offset]
        if count:
            result[month] = _money(running)
    return result


def portfolio_sums(filters, dimensions=DIMENSIONS, vendors: bool = True) -> PortfolioSpend:
    """What `spend_totals.portfolio_spend` gives for the engagements under the filters (but
    `not_counted`, left empty), in one grouped query; the spend per vendor (`by_vendor`) only
    with `vendors`. Python adds a few integers per key (and vendor) and month."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"Unknown dimension {unknown[0]!r}.")
    months = month_starts(filters.first_month, filters.last_month)
    result = PortfolioSpend(months, {d: {} for d in dimensions})
    keys = tuple(dimensions) + (("vendor",) if vendors and "vendor" not in dimensions else ())
    sums = _Sums(len(months))
    width = len(keys)
    for row in _grouped(filters, keys):
        found = dict(zip(keys, row[1 : 1 + width], strict=True))
        first, last = row[1 + width], row[2 + width]
        sums.add(row[0], found, first, last, row[3 + width :], dimensions, vendors)
    sums.fill(result)
    return result


def _series_order(item):
    (dimension, currency, key), _line = item
    return (dimension or "", currency, key or "")
