"""Service-level rules: month status, attainment and coverage, validation; hand-computed."""

from datetime import date
from decimal import Decimal as D

import pytest

from vendor_tracker.engagements.bpo.compliance import (
    LevelInput,
    Result,
    evaluate_engagement,
)
from vendor_tracker.engagements.bpo.credits import CreditTerms
from vendor_tracker.engagements.bpo.sla import (
    Attainment,
    Classification,
    Direction,
    LevelTerms,
    MonthStatus,
    active_months,
    attainment,
    level_problems,
    month_status,
    months_between,
    parse_period,
    shift_month,
    value_problem,
    worst_status,
)

TODAY = date(2026, 5, 14)
HIGHER = LevelTerms(Direction.HIGHER, D("80"), D("75"))
LOWER = LevelTerms(Direction.LOWER, D("360"), D("420"))
NO_MINIMUM = LevelTerms(Direction.HIGHER, D("99.5"))


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("80", MonthStatus.MET),  # boundary: exactly the target meets
        ("80.01", MonthStatus.MET),
        ("79.99", MonthStatus.WARNING),
        ("75", MonthStatus.WARNING),  # boundary: exactly the minimum is a warning
        ("74.99", MonthStatus.BREACH),
        ("0", MonthStatus.BREACH),
    ],
)
def test_higher_is_better_with_minimum(actual, expected):
    assert month_status(HIGHER, D(actual), date(2026, 3, 1), TODAY) is expected


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("360", MonthStatus.MET),
        ("359.9", MonthStatus.MET),
        ("0", MonthStatus.MET),
        ("360.1", MonthStatus.WARNING),
        ("420", MonthStatus.WARNING),
        ("420.5", MonthStatus.BREACH),
    ],
)
def test_lower_is_better(actual, expected):
    assert month_status(LOWER, D(actual), date(2026, 3, 1), TODAY) is expected


def test_without_minimum_a_miss_is_a_breach():
    assert month_status(NO_MINIMUM, D("99.5"), date(2026, 3, 1), TODAY) is MonthStatus.MET
    assert month_status(NO_MINIMUM, D("99.49"), date(2026, 3, 1), TODAY) is MonthStatus.BREACH


def test_missing_result_is_not_reported_once_the_month_ended_and_open_before():
    assert month_status(HIGHER, None, date(2026, 4, 1), TODAY) is MonthStatus.NOT_REPORTED
    assert month_status(HIGHER, None, date(2026, 5, 1), TODAY) is MonthStatus.OPEN
    # The last day of a month: that month is still open.
    assert month_status(HIGHER, None, date(2026, 5, 1), date(2026, 5, 31)) is MonthStatus.OPEN
    assert month_status(HIGHER, None, date(2026, 5, 1), date(2026, 6, 1)) is (
        MonthStatus.NOT_REPORTED
    )
    # A result in the current month counts at once.
    assert month_status(HIGHER, D("90"), date(2026, 5, 1), TODAY) is MonthStatus.MET


def test_attainment_never_counts_missing_data_as_met():
    statuses = [
        MonthStatus.MET,
        MonthStatus.MET,
        MonthStatus.WARNING,
        MonthStatus.BREACH,
        MonthStatus.NOT_REPORTED,
        MonthStatus.OPEN,
    ]
    result = attainment(statuses)
    assert result == Attainment(met=2, reported=4, expected=5)
    assert result.rate == pytest.approx(50.0)
    assert result.coverage == pytest.approx(80.0)


def test_attainment_without_reports_is_no_data_not_zero():
    only_gaps = attainment([MonthStatus.NOT_REPORTED, MonthStatus.NOT_REPORTED])
    assert only_gaps.rate is None
    assert only_gaps.coverage == 0.0
    nothing = attainment([MonthStatus.OPEN])
    assert nothing.rate is None and nothing.coverage is None


def test_months_and_periods():
    assert shift_month(date(2025, 11, 1), 3) == date(2026, 2, 1)
    assert shift_month(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert months_between(date(2025, 11, 20), date(2026, 1, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert parse_period("2026-03") == date(2026, 3, 1)
    for bad in ("2026-13", "2026-3", "26-03", "2026/03", "", "abcd-ef", "2026-00"):
        assert parse_period(bad) is None


def test_engagement_starting_mid_window_counts_its_first_partial_month():
    months = active_months(date(2026, 2, 15), None, date(2025, 6, 1), date(2026, 5, 1), TODAY)
    assert months == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]


def test_engagement_ended_and_future_months_are_outside_the_window():
    months = active_months(date(2025, 1, 1), date(2025, 3, 10), date(2025, 2, 1), TODAY, TODAY)
    assert months == [date(2025, 2, 1), date(2025, 3, 1)]
    assert active_months(date(2027, 1, 1), None, date(2026, 1, 1), TODAY, TODAY) == []


def test_engagement_report_starting_mid_window_with_a_gap():
    level = LevelInput(1, "Service level", "%", HIGHER)
    key = LevelInput(2, "AHT", "s", LevelTerms(Direction.LOWER, D("360"), None))
    results = {
        (1, date(2026, 2, 1)): Result(D("81")),  # met
        (1, date(2026, 3, 1)): Result(D("76")),  # warning; April missing -> not reported
        (2, date(2026, 2, 1)): Result(D("300")),  # met
        (2, date(2026, 3, 1)): Result(D("361")),  # breach (no minimum)
        (2, date(2026, 4, 1)): Result(D("360")),  # met at the boundary
    }
    report = evaluate_engagement(
        [level, key],
        results,
        start=date(2026, 2, 15),
        end=None,
        first=date(2025, 6, 1),
        last=date(2026, 5, 1),
        today=TODAY,
        terms=CreditTerms(None, None),
    )
    assert report.months == (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1))
    first = report.levels[0]
    assert first.cell(date(2025, 12, 1)) is None  # before the start: outside the window
    assert first.cell(date(2026, 4, 1)).status is MonthStatus.NOT_REPORTED
    assert first.cell(date(2026, 5, 1)).status is MonthStatus.OPEN
    assert first.attainment == Attainment(met=1, reported=2, expected=3)
    assert report.levels[1].attainment == Attainment(met=2, reported=3, expected=3)
    # Both levels are "key" (the default): critical and key are counted separately.
    assert report.key == Attainment(met=3, reported=5, expected=6)
    assert report.overall == Attainment(met=3, reported=5, expected=6)
    assert report.critical == Attainment(0, 0, 0)
    assert report.critical.rate is None
    assert report.worst_critical(date(2026, 3, 1)) is None


def test_worst_status_orders_breach_gap_warning_met():
    assert worst_status([MonthStatus.MET, MonthStatus.WARNING]) is MonthStatus.WARNING
    assert worst_status([MonthStatus.WARNING, MonthStatus.NOT_REPORTED]) is (
        MonthStatus.NOT_REPORTED
    )
    assert worst_status([MonthStatus.NOT_REPORTED, MonthStatus.BREACH]) is MonthStatus.BREACH
    assert worst_status([MonthStatus.OPEN, MonthStatus.MET]) is MonthStatus.MET
    assert worst_status([]) is None


@pytest.mark.parametrize(
    ("unit", "value", "ok"),
    [
        ("%", "0", True),
        ("%", "100", True),
        ("%", "100.01", False),
        ("%", "-0.01", False),
        ("s", "0", True),
        ("s", "-1", False),
        ("items", "12000", True),
        ("hours", "1e12", False),
    ],
)
def test_values_fit_their_unit(unit, value, ok):
    assert (value_problem(unit, D(value)) is None) is ok


def test_level_problems_minimum_side_depends_on_direction():
    higher = level_problems("%", Direction.HIGHER, D("80"), D("85"), Classification.KEY, None)
    assert "minimum" in higher
    assert level_problems("%", Direction.HIGHER, D("80"), D("80"), Classification.KEY, None) == {}
    lower = level_problems("s", Direction.LOWER, D("360"), D("300"), Classification.KEY, None)
    assert "minimum" in lower
    assert level_problems("s", Direction.LOWER, D("360"), D("420"), Classification.KEY, None) == {}


def test_level_problems_allocation():
    critical = Classification.CRITICAL
    assert "allocation_pct" in level_problems("%", Direction.HIGHER, D("80"), None, critical, None)
    assert "allocation_pct" in level_problems(
        "%", Direction.HIGHER, D("80"), None, Classification.KEY, D("20")
    )
    # Pool allocation above 100 % is fine, up to 500 % in all.
    assert level_problems("%", Direction.HIGHER, D("80"), None, critical, D("100"), D("150")) == {}
    assert level_problems("%", Direction.HIGHER, D("80"), None, critical, D("100"), D("400")) == {}
    over = level_problems("%", Direction.HIGHER, D("80"), None, critical, D("100.01"), D("400"))
    assert "500" in over["allocation_pct"]
    assert "target" in level_problems("%", Direction.HIGHER, None, None, Classification.KEY, None)
    assert "target" in level_problems(
        "%", Direction.HIGHER, D("120"), None, Classification.KEY, None
    )
