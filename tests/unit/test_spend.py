"""Hand-computed spend: BPO fees per month, KPO value spread evenly, savings, concentration."""

from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.reporting.spend import (
    EngagementMoney,
    concentration,
    month_starts,
    monthly_savings,
    monthly_spend,
    roll_up,
    spend_basis,
    spread_evenly,
    totals_by_currency,
)

JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def eng(
    kind="BPO",
    vendor="Acme",
    currency="USD",
    start=date(2026, 1, 15),
    end=None,
    fee=None,
    tcv=None,
    baseline=None,
    line="Customer support",
    shore="offshore",
    eid=1,
    vid=1,
):
    return EngagementMoney(
        eid,
        vid,
        vendor,
        kind,
        line,
        shore,
        currency,
        start,
        end,
        Decimal(fee) if fee else None,
        Decimal(tcv) if tcv else None,
        Decimal(baseline) if baseline else None,
    )


def test_month_starts_cross_the_year():
    assert month_starts(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_spread_evenly_puts_the_remainder_in_the_last_month():
    assert spread_evenly(Decimal("100.00"), 3) == [
        Decimal("33.33"),
        Decimal("33.33"),
        Decimal("33.34"),
    ]
    assert sum(spread_evenly(Decimal("540000.00"), 18)) == Decimal("540000.00")
    assert spread_evenly(Decimal("5"), 0) == []


def test_bpo_fee_in_every_month_touched_within_the_window():
    e = eng(fee="1000.00", start=date(2026, 1, 15), end=date(2026, 3, 1))
    assert monthly_spend(e, JAN, APR) == {
        JAN: Decimal("1000.00"),
        FEB: Decimal("1000.00"),
        MAR: Decimal("1000.00"),
    }
    assert monthly_spend(e, FEB, FEB) == {FEB: Decimal("1000.00")}


def test_open_ended_bpo_runs_to_the_end_of_the_window():
    e = eng(fee="10.00", start=date(2026, 2, 1), end=None)
    assert list(monthly_spend(e, JAN, APR)) == [FEB, MAR, APR]


def test_kpo_value_spread_over_its_months_only_the_window_part_counts():
    # 300,000 over Jan..Jun (6 months) = 50,000 a month; the window Mar..Apr holds 2 of them.
    e = eng(kind="KPO", tcv="300000.00", start=date(2026, 1, 10), end=date(2026, 6, 30))
    assert monthly_spend(e, MAR, APR) == {MAR: Decimal("50000.00"), APR: Decimal("50000.00")}
    assert spend_basis(e) == "contract value spread evenly over its months"


def test_kpo_without_end_date_falls_back_to_a_fee_or_has_no_spend():
    assert monthly_spend(eng(kind="KPO", tcv="1000.00"), JAN, MAR) == {}
    assert spend_basis(eng(kind="KPO", tcv="1000.00")) is None
    with_fee = eng(kind="KPO", tcv="1000.00", fee="10.00", start=JAN)
    assert monthly_spend(with_fee, JAN, FEB) == {JAN: Decimal("10.00"), FEB: Decimal("10.00")}
    assert spend_basis(with_fee) == "monthly fee in each month it runs"


def test_bpo_without_fee_spreads_its_contract_value():
    e = eng(fee=None, tcv="90.00", start=JAN, end=date(2026, 3, 31))
    assert monthly_spend(e, JAN, APR) == {
        JAN: Decimal("30.00"),
        FEB: Decimal("30.00"),
        MAR: Decimal("30.00"),
    }


def test_engagement_outside_the_window_has_no_spend():
    e = eng(fee="10.00", start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert monthly_spend(e, JAN, APR) == {}


def test_savings_against_baseline_and_none_without_one():
    e = eng(fee="800.00", baseline="1000.00", start=JAN, end=date(2026, 2, 28))
    spend = monthly_spend(e, JAN, APR)
    assert monthly_savings(e, spend) == {JAN: Decimal("200.00"), FEB: Decimal("200.00")}
    assert monthly_savings(eng(fee="800.00", start=JAN), spend) == {}


def test_roll_up_and_totals_keep_currencies_apart():
    a = eng(fee="100.00", start=JAN, end=date(2026, 2, 28), vendor="A", eid=1)
    b = eng(
        kind="KPO",
        tcv="300.00",
        start=JAN,
        end=date(2026, 3, 31),
        vendor="B",
        currency="EUR",
        shore=None,
        eid=2,
        line="Market research",
    )
    c = eng(fee="50.00", start=FEB, end=FEB, vendor="B", eid=3)
    rows = [(e, monthly_spend(e, JAN, MAR)) for e in (a, b, c)]
    assert totals_by_currency(rows) == {"EUR": Decimal("300.00"), "USD": Decimal("250.00")}
    by_model = roll_up(rows, "model")
    assert by_model == {
        "USD": {"BPO": {JAN: Decimal("100.00"), FEB: Decimal("150.00")}},
        "EUR": {"KPO": {JAN: Decimal("100.00"), FEB: Decimal("100.00"), MAR: Decimal("100.00")}},
    }
    assert roll_up(rows, "shore")["EUR"] == {"not recorded": by_model["EUR"]["KPO"]}
    assert set(roll_up(rows, "vendor")["USD"]) == {"A", "B"}
    with pytest.raises(ValueError):
        roll_up(rows, "colour")


def test_concentration_flags_above_the_limit_per_currency():
    # USD: A 600 (60 %), B 300 (30 %), C 100 (10 %); EUR: D alone (100 %).
    rows = [
        (eng(vendor="A"), {JAN: Decimal("600")}),
        (eng(vendor="B"), {JAN: Decimal("300")}),
        (eng(vendor="C"), {JAN: Decimal("100")}),
        (eng(vendor="D", currency="EUR"), {JAN: Decimal("5")}),
    ]
    result = concentration(rows, 40)
    assert [(c.currency, c.vendor, c.share_pct, c.flagged) for c in result] == [
        ("EUR", "D", 100.0, True),
        ("USD", "A", 60.0, True),
        ("USD", "B", 30.0, False),
        ("USD", "C", 10.0, False),
    ]


def test_concentration_exactly_at_the_limit_is_not_flagged():
    rows = [(eng(vendor="A"), {JAN: Decimal("40")}), (eng(vendor="B"), {JAN: Decimal("60")})]
    flagged = {c.vendor: c.flagged for c in concentration(rows, Decimal("40"))}
    assert flagged == {"A": False, "B": True}


def test_concentration_of_nothing_is_empty():
    assert concentration([], 40) == []
    assert concentration([(eng(), {})], 40) == []
