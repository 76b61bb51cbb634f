"""Conversion to the reporting currency: month rates, earlier-month fallback, no rate, rounding."""

from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.reporting.fx import (
    Rate,
    convert_total,
    index_rates,
    rate_for,
    rate_problem,
    to_cents,
)

D = Decimal
SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in (9, 10, 11, 12))
EUR_OCT = Rate(OCT, "EUR", D("1.08"), "ECB reference rate 2026-10-30")
EUR_NOV = Rate(NOV, "EUR", D("1.10"), "ECB reference rate 2026-11-30")
GBP_SEP = Rate(SEP, "GBP", D("1.25"), "BoE spot 2026-09-30")


def test_rate_of_the_month_itself_is_used():
    indexed = index_rates([EUR_NOV, EUR_OCT])
    assert rate_for(indexed, "EUR", OCT) is EUR_OCT
    assert rate_for(indexed, "EUR", NOV) is EUR_NOV


def test_latest_earlier_month_stands_in_and_nothing_before_the_first_rate():
    indexed = index_rates([EUR_OCT, EUR_NOV])
    assert rate_for(indexed, "EUR", DEC) is EUR_NOV  # Nov is the latest before Dec
    assert rate_for(indexed, "EUR", date(2027, 6, 1)) is EUR_NOV
    assert rate_for(indexed, "EUR", SEP) is None  # a later rate never converts an earlier month
    assert rate_for(indexed, "INR", OCT) is None


def test_total_converts_month_by_month_and_says_which_rate_month():
    result = convert_total(
        [
            ("EUR", OCT, D("1000.00")),  # 1000 × 1.08 = 1080.00
            ("EUR", NOV, D("500.00")),  # 500 × 1.10 = 550.00
            ("EUR", DEC, D("200.00")),  # no Dec rate: Nov's, 200 × 1.10 = 220.00
            ("USD", OCT, D("300.00")),  # already USD: 300.00
            ("USD", NOV, D("0.50")),
        ],
        [EUR_OCT, EUR_NOV, GBP_SEP],
        "USD",
    )
    assert result.currency == "USD"
    assert result.same_currency == D("300.50")
    (eur,) = result.conversions
    assert eur.currency == "EUR"
    assert eur.amount == D("1700.00")
    assert eur.converted == D("1850.0000")
    assert result.total == D("2150.50")  # 1080 + 550 + 220 + 300.50
    assert result.complete
    assert eur.rate_months == (OCT, NOV)
    assert [(u.month, u.rate.month) for u in eur.fallbacks] == [(DEC, NOV)]
    assert eur.sources == ("ECB reference rate 2026-10-30", "ECB reference rate 2026-11-30")


def test_amount_without_any_rate_is_listed_not_dropped_nor_zero():
    result = convert_total(
        [("INR", OCT, D("12000")), ("EUR", SEP, D("100")), ("EUR", OCT, D("100"))],
        [EUR_OCT],
        "USD",
    )
    eur, inr = result.conversions
    assert not result.complete
    assert [c.currency for c in result.not_converted] == ["EUR", "INR"]
    assert inr.not_converted == D("12000") and inr.months_without_rate == (OCT,)
    assert inr.converted == 0 and inr.uses == ()
    # EUR September precedes the first EUR rate: out; October converts: 100 × 1.08.
    assert eur.not_converted == D("100") and eur.months_without_rate == (SEP,)
    assert result.total == D("108.00")


def test_rounding_half_even_only_on_the_total():
    # 0.125 × 1 + 0.125 × 1 = 0.25 exactly; rounding each to cents half-even first would give
    # 0.12 + 0.12 = 0.24.
    rate = Rate(OCT, "EUR", D("1"), "par")
    result = convert_total([("EUR", OCT, D("0.125")), ("EUR", NOV, D("0.125"))], [rate], "USD")
    assert result.exact == D("0.250")
    assert result.total == D("0.25")
    assert to_cents(D("0.125")) == D("0.12")  # half-even: to the even cent
    assert to_cents(D("0.135")) == D("0.14")
    assert to_cents(D("-0.125")) == D("-0.12")


def test_days_inside_a_month_count_as_that_month():
    result = convert_total([("EUR", date(2026, 10, 17), D("10"))], [EUR_OCT], "USD")
    assert result.total == D("10.80")


def test_empty_input_gives_zero_and_complete():
    result = convert_total([], [EUR_OCT], "USD")
    assert result.total == D("0.00") and result.complete and result.conversions == ()


def test_a_rate_for_the_reporting_currency_itself_is_ignored():
    odd = Rate(OCT, "USD", D("2"), "mistake")
    assert convert_total([("USD", OCT, D("5"))], [odd], "USD").total == D("5.00")


@pytest.mark.parametrize(
    ("rate", "problem"),
    [
        (None, "Enter the rate as a number, such as 1.08."),
        (D("NaN"), "Enter the rate as a number, such as 1.08."),
        (D("0"), "A rate must be above zero."),
        (D("-1.2"), "A rate must be above zero."),
        (D("1000000000"), "A rate must be below 1,000,000,000."),
        (D("1.000000001"), "Use at most 8 decimal places."),
    ],
)
def test_rate_problems(rate, problem):
    assert rate_problem(rate) == problem


@pytest.mark.parametrize("rate", [D("0.00000001"), D("1.08"), D("999999999.99999999")])
def test_rates_that_can_be_stored(rate):
    assert rate_problem(rate) is None


def test_months_phrase():
    from vendor_tracker.reporting.fx import months_phrase

    assert months_phrase([]) == ""
    assert months_phrase([OCT]) == "Oct 2026"
    assert months_phrase([NOV, OCT, OCT]) == "Oct 2026, Nov 2026"
    assert months_phrase([DEC, SEP, NOV]) == "Sep 2026 – Dec 2026 (3 months)"
