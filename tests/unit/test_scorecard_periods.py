"""Reporting periods: calendar quarters (cut at today), trailing 12 months, parsing."""

from datetime import date

import pytest

from vendor_tracker.reporting.scorecard import (
    current_quarter,
    parse_period,
    previous_quarter,
    quarter_period,
    recent_quarters,
    trailing_twelve_months,
)

TODAY = date(2026, 11, 21)


def test_current_quarter_runs_to_today():
    period = current_quarter(TODAY)
    assert period.key == "2026-Q4"
    assert (period.first_day, period.last_day) == (date(2026, 10, 1), TODAY)
    assert (period.first_month, period.last_month) == (date(2026, 10, 1), date(2026, 11, 1))
    assert period.label == "Q4 2026 (Oct – Dec)"


def test_previous_quarter_is_whole_and_wraps_the_year():
    assert previous_quarter(TODAY).key == "2026-Q3"
    q1 = quarter_period(2026, 1)
    prev = previous_quarter(q1)
    assert prev.key == "2025-Q4"
    assert (prev.first_day, prev.last_day) == (date(2025, 10, 1), date(2025, 12, 31))


def test_february_quarter_end_and_leap_year():
    assert quarter_period(2024, 1).last_day == date(2024, 3, 31)
    assert quarter_period(2024, 2).last_day == date(2024, 6, 30)


def test_trailing_twelve_months_are_whole_months_before_this_one():
    period = trailing_twelve_months(TODAY)
    assert (period.first_day, period.last_day) == (date(2025, 11, 1), date(2026, 10, 31))
    assert period.key == "ttm"
    january = trailing_twelve_months(date(2026, 1, 5))
    assert (january.first_day, january.last_day) == (date(2025, 1, 1), date(2025, 12, 31))


def test_parse_period():
    assert parse_period("2026-q2", TODAY).key == "2026-Q2"
    assert parse_period(" TTM ", TODAY).key == "ttm"
    assert parse_period("", TODAY).key == "2026-Q4"
    assert parse_period(None, TODAY).key == "2026-Q4"


@pytest.mark.parametrize("text", ["2026-Q5", "2026Q1", "Q1-2026", "1999-Q1", "2027-Q1", "x" * 50])
def test_parse_period_refuses_bad_input(text):
    with pytest.raises(ValueError):
        parse_period(text, TODAY)


def test_recent_quarters_newest_first():
    keys = [p.key for p in recent_quarters(TODAY, 5)]
    assert keys == ["2026-Q4", "2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]
