"""The one-pass portfolio figures: hand-computed spans and sums, and the same figures as the
month-by-month spend rules on many generated portfolios (amounts, months present, savings)."""

import random
from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.reporting.spend import (
    DIMENSIONS,
    ZERO,
    EngagementMoney,
    concentration,
    monthly_savings,
    monthly_spend,
    roll_up,
    totals_by_currency,
    vendor_shares,
)
from vendor_tracker.reporting.spend_totals import Span, portfolio_spend, spend_span

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def eng(kind="BPO", vendor="Acme", currency="USD", start=JAN, end=None, **money):
    return EngagementMoney(
        money.pop("eid", 1),
        1,
        vendor,
        kind,
        money.pop("line", "Customer support"),
        money.pop("shore", "offshore"),
        currency,
        start,
        end,
        money.get("fee"),
        money.get("tcv"),
        money.get("baseline"),
        "t",
    )


def test_spread_span_keeps_the_remainder_in_the_engagements_last_month():
    # 100.00 over Jan..Mar: 33.33, 33.33, 33.34; the window Feb..Apr sees Feb and Mar.
    e = eng("KPO", start=JAN, end=date(2026, 3, 31), tcv=Decimal("100"))
    assert spend_span(e, FEB, APR) == Span(0, 1, Decimal("33.33"), Decimal("33.34"))
    # Cut off before its last month, every month is a plain share.
    assert spend_span(e, JAN, FEB) == Span(0, 1, Decimal("33.33"), Decimal("33.33"))


def test_fee_span_runs_open_ended_to_the_window_end_and_none_outside():
    e = eng(start=date(2026, 2, 20), fee=Decimal("1500"))
    assert spend_span(e, JAN, APR) == Span(1, 3, Decimal("1500.00"), Decimal("1500.00"))
    assert spend_span(eng(start=APR, fee=Decimal("1")), JAN, MAR) is None
    assert spend_span(eng(fee=None), JAN, MAR) is None


def test_hand_computed_portfolio():
    """USD: fee 1,000 Jan..Feb (baseline 1,200), KPO 300 over Feb..Apr = 100 a month (Feb, Mar
    in the window); EUR: fee 50 from Mar; a KPO without an end is not counted."""
    rows = [
        eng(end=date(2026, 2, 28), fee=Decimal("1000"), baseline=Decimal("1200"), vendor="A"),
        eng("KPO", start=FEB, end=date(2026, 4, 30), tcv=Decimal("300"), vendor="B"),
        eng(currency="EUR", start=MAR, fee=Decimal("50"), vendor="C"),
        eng("KPO", tcv=Decimal("10"), vendor="D"),
    ]
    got = portfolio_spend(rows, JAN, MAR, ("vendor",))
    assert got.totals == {"EUR": Decimal("50.00"), "USD": Decimal("2200.00")}
    assert got.by["vendor"]["USD"] == {
        "A": {JAN: Decimal("1000.00"), FEB: Decimal("1000.00")},
        "B": {FEB: Decimal("100.00"), MAR: Decimal("100.00")},
    }
    assert got.by_currency_month["USD"] == {JAN: 1000, FEB: 1100, MAR: 100}
    assert got.savings["USD"]["savings"] == Decimal("400.00")
    assert got.savings["USD"]["savings_pct"] == pytest.approx(400 * 100 / 2400)
    assert (got.savings["USD"]["with"], got.savings["USD"]["without"]) == (1, 1)
    assert [e.vendor for e in got.not_counted] == ["D"]
    assert got.engagements == 4
    with pytest.raises(ValueError):
        portfolio_spend(rows, JAN, MAR, ("colour",))


def _random_engagement(rng: random.Random, eid: int) -> EngagementMoney:
    start = date(rng.randint(2024, 2026), rng.randint(1, 12), rng.randint(1, 28))
    end = None
    if rng.random() < 0.7:
        months = rng.randint(-2, 30)
        index = start.year * 12 + start.month - 1 + months
        end = date(index // 12, index % 12 + 1, rng.randint(1, 28))

    def money(low, high):
        return Decimal(rng.randint(low, high)) / 100 if rng.random() < 0.8 else None

    return eng(
        rng.choice(["BPO", "KPO"]),
        rng.choice(["A", "B", "C", "D"]),
        rng.choice(["USD", "EUR", "INR"]),
        start,
        end,
        eid=eid,
        fee=money(0, 5_000_000),
        tcv=money(1, 90_000_000),
        baseline=money(0, 6_000_000) if rng.random() < 0.5 else None,
        line=rng.choice(["Voice", "Research"]),
        shore=rng.choice(["offshore", None]),
    )


@pytest.mark.parametrize("seed", range(30))
def test_same_figures_as_the_month_by_month_rules(seed):
    rng = random.Random(seed)
    rows = [_random_engagement(rng, i) for i in range(rng.randint(0, 40))]
    first = date(rng.randint(2024, 2026), rng.randint(1, 12), 1)
    index = first.year * 12 + first.month - 1 + rng.randint(0, 35)
    last = date(index // 12, index % 12 + 1, 1)
    spend = [(e, monthly_spend(e, first, last)) for e in rows]
    got = portfolio_spend(rows, first, last)
    assert got.by == {d: roll_up(spend, d) for d in DIMENSIONS}
    assert got.totals == totals_by_currency(spend)
    assert vendor_shares(got.by_vendor, 40) == concentration(spend, 40)
    expected_months: dict = {}
    for e, by_month in spend:
        for month, amount in by_month.items():
            months = expected_months.setdefault(e.currency, {})
            months[month] = months.get(month, ZERO) + amount
    assert got.by_currency_month == expected_months
    for currency, entry in got.savings.items():
        saved = [
            (e, by_month, monthly_savings(e, by_month))
            for e, by_month in spend
            if e.currency == currency and by_month
        ]
        assert entry["savings"] == sum((sum(s.values(), ZERO) for _e, _m, s in saved), ZERO)
        assert entry["with"] == sum(1 for _e, _m, s in saved if s)
        assert entry["without"] == sum(1 for _e, _m, s in saved if not s)
