"""The portfolio's spend summed by the database equals the pure spend rules on the same rows.

`spend_reads.portfolio_sums` works each engagement's span in integer cents in SQL; the reference
is `spend_totals.portfolio_spend` (itself tested against `spend.monthly_spend` month by month)
over every engagement `engagement_money` loads. Generated portfolios cover partial months,
starts and ends inside the window's first and last months, open-ended work, ends before starts,
a contract value whose even share falls on a half cent, missing fees and values, baselines,
several currencies, planned work and the model and currency filters; on SQLite and PostgreSQL.
"""

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests import factories
from vendor_tracker.extensions import db
from vendor_tracker.reporting.fx import convert_total
from vendor_tracker.reporting.fx_export import _cells, portfolio_rows
from vendor_tracker.reporting.fx_services import convert_spend, rates_until
from vendor_tracker.reporting.models import ExchangeRate
from vendor_tracker.reporting.spend import DIMENSIONS, spend_basis
from vendor_tracker.reporting.spend_reads import not_counted_condition, portfolio_sums
from vendor_tracker.reporting.spend_services import (
    PortfolioFilters,
    engagement_money,
    engagement_spend,
    portfolio,
)
from vendor_tracker.reporting.spend_totals import portfolio_spend

TODAY = date(2026, 11, 21)
WINDOWS = [
    {"from": "2026-01", "to": "2026-12"},
    {"from": "2025-11", "to": "2026-02"},
    {"from": "2026-07", "to": "2026-07"},
    {"from": "2024-01", "to": "2026-12"},
    {"from": "2026-03", "to": "2026-05", "model": "KPO"},
    {"from": "2026-01", "to": "2026-12", "model": "BPO", "currency": "EUR"},
]


def _day(rng) -> date:
    """Days on and near the windows' edges, and anywhere in 2024-2027."""
    if rng.random() < 0.5:
        edge = rng.choice([date(2026, 1, 1), date(2026, 3, 1), date(2026, 7, 1), date(2026, 12, 1)])
        return edge + timedelta(days=rng.choice([-1, 0, 14, 30, 31]))
    return date(rng.randint(2024, 2027), rng.randint(1, 12), rng.randint(1, 28))


def _money(rng, low, high) -> Decimal | None:
    if rng.random() < 0.2:
        return None
    return Decimal(rng.randint(low, high)) / 100


def _build(seed: int, count: int = 40) -> None:
    rng = random.Random(seed)
    vendors = [factories.make_vendor(f"Spend {seed}-{n}") for n in range(4)]
    for _ in range(count):
        kind = rng.choice(["BPO", "KPO"])
        start = _day(rng)
        end = None if rng.random() < 0.25 else _day(rng)
        tcv = _money(rng, 0, 9_000_000)
        if tcv is not None and rng.random() < 0.2:
            tcv = Decimal("100.01")  # 50.005 a month over two months: a half cent, rounded up
            start, end = date(2026, 6, 10), date(2026, 7, 3)
        factories.make_engagement(
            rng.choice(vendors),
            kind=kind,
            start=start,
            end=end,
            status=rng.choice(["active", "active", "completed", "planned"]),
            currency=rng.choice(["USD", "USD", "EUR", "INR"]),
            monthly_fee=_money(rng, 0, 5_000_000),
            total_contract_value=tcv,
            baseline_monthly_cost=_money(rng, 0, 6_000_000) if rng.random() < 0.5 else None,
            delivery_shore=rng.choice(["offshore", "nearshore", None]),
        )
    db.session.commit()


def _assert_same(filters: PortfolioFilters) -> None:
    rows = engagement_money(filters)
    expected = portfolio_spend(rows, filters.first_month, filters.last_month, DIMENSIONS)
    got = portfolio_sums(filters, DIMENSIONS)
    assert got.months == expected.months
    assert got.by == expected.by
    assert got.totals == expected.totals
    assert list(got.totals) == list(expected.totals)
    assert got.by_currency_month == expected.by_currency_month
    assert got.by_vendor == expected.by_vendor
    assert got.savings == expected.savings
    assert got.engagements == expected.engagements
    not_counted = engagement_money(filters, not_counted_condition())
    assert not_counted == [e for e in rows if spend_basis(e) is None]
    for dimension in DIMENSIONS:  # one breakdown at a time, as the page asks
        one = portfolio_sums(filters, (dimension,), vendors=False)
        assert one.by == {dimension: expected.by[dimension]}
        assert one.by_currency_month == expected.by_currency_month
        assert one.by_vendor == {}
        # With the concentration: each vendor's spend summed apart unless it is the breakdown.
        page = portfolio_sums(filters, (dimension,))
        assert page.by == one.by and page.by_vendor == expected.by_vendor
        assert page.totals == expected.totals and page.savings == expected.savings


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sums_equal_the_pure_rules(ctx, seed):
    _build(seed)
    for args in WINDOWS:
        _assert_same(PortfolioFilters.from_args(args, TODAY))


def test_half_cents_and_remainders_by_hand(ctx):
    """100.01 over Jun..Jul is 50.01 (half-up) then 50.00; 100.00 over Jan..Mar is 33.33, 33.33,
    33.34, the remainder only when the window reaches March."""
    factories.make_engagement(
        kind="KPO",
        start=date(2026, 6, 10),
        end=date(2026, 7, 3),
        total_contract_value=Decimal("100.01"),
    )
    factories.make_engagement(
        kind="KPO",
        start=date(2026, 1, 31),
        end=date(2026, 3, 1),
        total_contract_value=Decimal("100"),
    )
    db.session.commit()
    whole = portfolio_sums(PortfolioFilters.from_args({"from": "2026-01", "to": "2026-12"}, TODAY))
    assert whole.by_currency_month["USD"] == {
        date(2026, 1, 1): Decimal("33.33"),
        date(2026, 2, 1): Decimal("33.33"),
        date(2026, 3, 1): Decimal("33.34"),
        date(2026, 6, 1): Decimal("50.01"),
        date(2026, 7, 1): Decimal("50.00"),
    }
    cut = portfolio_sums(PortfolioFilters.from_args({"from": "2026-02", "to": "2026-06"}, TODAY))
    assert cut.totals == {"USD": Decimal("33.33") + Decimal("33.34") + Decimal("50.01")}


def test_the_converted_total_equals_the_rules_with_missing_rates(ctx):
    """EUR has rates for some months only (earlier ones stand in); INR has none: the same
    converted total, rate uses and amounts left out as the month-by-month rules give."""
    _build(7)
    for month, rate in ((date(2025, 12, 1), "1.05"), (date(2026, 4, 1), "1.10")):
        db.session.add(ExchangeRate(month=month, currency="EUR", rate=Decimal(rate), source="ECB"))
    db.session.commit()
    for args in WINDOWS:
        filters = PortfolioFilters.from_args(args, TODAY)
        got = portfolio(filters, TODAY, Decimal(40), "USD", dimensions=("model",))["converted"]
        assert got == convert_spend(engagement_spend(filters), "USD", filters.last_month)


def test_query_count_does_not_grow(ctx, query_counter):
    filters = PortfolioFilters.from_args({"from": "2026-01", "to": "2026-12"}, TODAY)
    _build(8, count=3)
    factories.make_engagement(currency="EUR", start=date(2026, 2, 1))  # rates are read
    db.session.commit()
    with query_counter() as few:
        portfolio(filters, TODAY, Decimal(40), "USD", dimensions=("vendor",))
    _build(9, count=60)
    with query_counter() as many:
        portfolio(filters, TODAY, Decimal(40), "USD", dimensions=("vendor",))
    assert len(many) == len(few)


def _export_reference(args):
    """The export's lines from every engagement's monthly spend (what it read before)."""
    filters = PortfolioFilters.from_args(args, TODAY)
    spend = engagement_spend(filters)
    rates = rates_until({e.currency for e, _ in spend} - {"USD"}, filters.last_month)
    groups: dict = defaultdict(list)
    for e, by_month in spend:
        groups[(e.vendor, e.currency)] += [(e.currency, m, a) for m, a in by_month.items()]
    by_currency: dict = defaultdict(list)
    rows = []
    for (vendor, currency), amounts in sorted(groups.items()):
        by_currency[currency] += amounts
        rows.append(_cells(filters.label, vendor, currency, convert_total(amounts, rates, "USD")))
    for currency, amounts in sorted(by_currency.items()):
        rows.append(_cells("Total", "All vendors", currency, convert_total(amounts, rates, "USD")))
    everything = [item for amounts in by_currency.values() for item in amounts]
    rows.append(_cells("Total", "All vendors", "", convert_total(everything, rates, "USD")))
    return rows


def test_the_export_lines_equal_the_rules(ctx):
    _build(11)
    db.session.add(
        ExchangeRate(month=date(2026, 2, 1), currency="EUR", rate=Decimal("1.07"), source="ECB")
    )
    db.session.commit()
    for args in WINDOWS:
        _headers, rows = portfolio_rows(args, TODAY)
        assert rows == _export_reference(args)
