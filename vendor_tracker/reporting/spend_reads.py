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
    extract,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.reporting.spend import (
    DIMENSIONS,
    NO_SHORE,
    ZERO,
    month_from_index,
    month_index,
    month_starts,
)
from vendor_tracker.reporting.spend_totals import PortfolioSpend, Series
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


class MonthNumber(FunctionElement):
    """`spend.month_index` of a date column (year * 12 + month - 1), as an integer."""

    type = Integer()
    inherit_cache = True


@compiles(MonthNumber)
def _month_number(element, compiler, **kw):
    day = list(element.clauses)[0]
    number = cast(extract("year", day), Integer) * 12 + cast(extract("month", day), Integer) - 1
    return f"({compiler.process(number, **kw)})"


@compiles(MonthNumber, "sqlite")
def _month_number_sqlite(element, compiler, **kw):
    # SQLite keeps a date as 'YYYY-MM-DD' text: cutting it is several times cheaper than strftime.
    day = list(element.clauses)[0]
    year, month = func.substr(day, 1, 4), func.substr(day, 6, 2)
    return f"({compiler.process(cast(year, Integer) * 12 + cast(month, Integer) - 1, **kw)})"


class Greatest(FunctionElement):
    """The larger of two non-null integers (`GREATEST`; SQLite's two-argument `max`)."""

    type = Integer()
    inherit_cache = True


class Least(FunctionElement):
    """The smaller of two non-null integers (`LEAST`; SQLite's two-argument `min`)."""

    type = Integer()
    inherit_cache = True


@compiles(Greatest)
def _greatest(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(Least)
def _least(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(Greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(Least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"


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
    return Decimal(int(cents or 0)).scaleb(-2)


def _new_saving() -> dict:
    return {"savings": ZERO, "covered_spend": ZERO, "baseline": ZERO, "with": 0, "without": 0}


def _add_group(result: PortfolioSpend, currency: str, months: int, sums) -> Decimal:
    """Add one group's spend to its currency's total and savings; returns the spend."""
    engagements, with_base, each, tail, base_each, base_tail, baseline = sums
    spend = _money(each) * months + _money(tail)
    result.totals[currency] += spend
    entry = result.savings[currency]
    entry["with"] += with_base
    entry["without"] += engagements - with_base
    entry["covered_spend"] += _money(base_each) * months + _money(base_tail)
    entry["baseline"] += _money(baseline) * months
    return spend


def _add_row(result: PortfolioSpend, series: dict, keys: tuple, dimensions, vendors, row):
    """Add one group of spans (a row of `_grouped`) to the totals, savings, spend per vendor
    and the series of every dimension's key and of the currency."""
    currency, found = row[0], dict(zip(keys, row[1 : 1 + len(keys)], strict=True))
    first, last, sums = row[1 + len(keys)], row[2 + len(keys)], row[3 + len(keys) :]
    result.totals.setdefault(currency, ZERO)
    result.savings.setdefault(currency, _new_saving())
    if vendors:
        result.by_vendor.setdefault((currency, found["vendor"]), ZERO)
    if first is None:
        result.engagements += sums[0]
        return
    spend = _add_group(result, currency, last - first + 1, sums)
    if vendors:
        result.by_vendor[(currency, found["vendor"])] += spend
    each, tail = _money(sums[2]), _money(sums[3])
    for group in [(None, currency, None)] + [(d, currency, found[d]) for d in dimensions]:
        line = series.get(group)
        if line is None:
            line = series[group] = Series(len(result.months))
        # The spans' events, for `sums[0]` engagements at once (see `Series.add`).
        line.amounts[first] += each
        line.amounts[last] += tail
        line.amounts[last + 1] -= each + tail
        line.counts[first] += sums[0]
        line.counts[last + 1] -= sums[0]


def portfolio_sums(filters, dimensions=DIMENSIONS, vendors: bool = True) -> PortfolioSpend:
    """What `spend_totals.portfolio_spend` gives for the engagements under the filters (but
    `not_counted`, left empty), in one grouped query; the spend per vendor (`by_vendor`) only
    with `vendors`. Python adds a few numbers per key (and vendor) and month."""
    unknown = [d for d in dimensions if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"Unknown dimension {unknown[0]!r}.")
    months = month_starts(filters.first_month, filters.last_month)
    result = PortfolioSpend(months, {d: {} for d in dimensions})
    keys = tuple(dimensions) + (("vendor",) if vendors and "vendor" not in dimensions else ())
    series: dict[tuple, Series] = {}
    for row in _grouped(filters, keys):
        _add_row(result, series, keys, dimensions, vendors, row)
    for (dimension, currency, key), line in sorted(series.items(), key=_series_order):
        if dimension is None:
            result.by_currency_month[currency] = line.by_month(months)
        else:
            result.by[dimension].setdefault(currency, {})[key] = line.by_month(months)
    for entry in result.savings.values():
        entry["savings"] = entry["baseline"] - entry["covered_spend"]
        base = entry["baseline"]
        entry["savings_pct"] = float(entry["savings"] * 100 / base) if base > 0 else None
    result.totals = dict(sorted(result.totals.items()))
    result.savings = dict(sorted(result.savings.items()))
    return result


def _series_order(item):
    (dimension, currency, key), _line = item
    return (dimension or "", currency, key or "")
