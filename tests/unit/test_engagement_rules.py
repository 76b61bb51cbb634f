"""Pure rules every engagement follows, with hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.engagements.rules import (
    credit_terms_problems,
    engagement_problems,
    kind_change_problem,
    money_problems,
    month_count,
    monthly_cost,
    monthly_savings,
    term_savings,
    to_cents,
)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 15), date(2026, 3, 1), 3),
        (date(2026, 1, 1), date(2026, 1, 31), 1),
        (date(2026, 1, 31), date(2026, 1, 31), 1),
        (date(2025, 11, 1), date(2026, 2, 28), 4),  # across a year end
        (date(2025, 1, 1), date(2026, 12, 31), 24),
        (date(2026, 3, 1), date(2026, 2, 28), 0),  # end before start
    ],
)
def test_month_count_counts_both_ends(start, end, months):
    assert month_count(start, end) == months


def test_monthly_savings_is_baseline_minus_cost_and_needs_both():
    assert monthly_savings(Decimal("120000"), Decimal("95000.50")) == Decimal("24999.50")
    assert monthly_savings(Decimal("80000"), Decimal("95000")) == Decimal("-15000.00")
    assert monthly_savings(None, Decimal("1")) is None
    assert monthly_savings(Decimal("1"), None) is None


def test_monthly_cost_prefers_the_fee_then_spreads_the_contract_value():
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert monthly_cost(Decimal("5000"), Decimal("999999"), start, end) == Decimal("5000")
    assert monthly_cost(None, Decimal("240000"), start, end) == Decimal("20000.00")
    # 100,000 over 3 months = 33,333.333... rounds half-up to cents.
    assert monthly_cost(None, Decimal("100000"), date(2026, 1, 1), date(2026, 3, 31)) == Decimal(
        "33333.33"
    )
    assert monthly_cost(None, Decimal("240000"), start, None) is None
    assert monthly_cost(None, None, start, end) is None


def test_term_savings_multiply_by_months():
    assert term_savings(Decimal("2500.25"), 12) == Decimal("30003.00")
    assert term_savings(None, 12) is None
    assert term_savings(Decimal("10"), None) is None


def test_to_cents_rounds_half_up():
    assert to_cents(Decimal("0.005")) == Decimal("0.01")
    assert to_cents(Decimal("2.344")) == Decimal("2.34")


def test_service_line_must_match_the_kind_and_dates_must_be_ordered():
    problems = engagement_problems("BPO", "KPO", date(2026, 2, 1), date(2026, 1, 31))
    assert set(problems) == {"service_line_id", "end_date"}
    assert "KPO work" in problems["service_line_id"]
    assert engagement_problems("KPO", "KPO", date(2026, 1, 1), date(2026, 1, 1)) == {}
    assert engagement_problems("BPO", None, date(2026, 1, 1), None) == {}


def test_money_is_never_negative_and_a_fee_or_value_is_given():
    assert money_problems({"monthly_fee": Decimal("0"), "total_contract_value": None}) == {}
    assert money_problems({"monthly_fee": None, "total_contract_value": Decimal("1")}) == {}
    assert set(money_problems({"monthly_fee": None, "total_contract_value": None})) == {
        "monthly_fee"
    }
    assert set(
        money_problems({"monthly_fee": Decimal("-1"), "baseline_monthly_cost": Decimal("-0.01")})
    ) == {"monthly_fee", "baseline_monthly_cost"}


@pytest.mark.parametrize(
    ("kind", "at_risk", "earn_back", "fields"),
    [
        ("BPO", None, None, set()),
        ("BPO", Decimal("0"), 0, set()),
        ("BPO", Decimal("20"), 12, set()),
        ("BPO", Decimal("20.01"), 13, {"at_risk_pct", "earn_back_months"}),
        ("BPO", Decimal("-1"), -1, {"at_risk_pct", "earn_back_months"}),
        ("KPO", None, None, set()),
        ("KPO", Decimal("5"), 3, {"at_risk_pct", "earn_back_months"}),
    ],
)
def test_credit_terms_belong_to_bpo_within_limits(kind, at_risk, earn_back, fields):
    assert set(credit_terms_problems(kind, at_risk, earn_back)) == fields


def test_kind_is_fixed_once_created():
    assert kind_change_problem("BPO", "KPO") is not None
    assert kind_change_problem("BPO", "BPO") is None
    assert kind_change_problem("KPO", None) is None
