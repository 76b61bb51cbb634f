"""Pure rules of the KPO monthly rollups: exact quality sums, splitting a period into rollup
months and live days, and one engagement's months worked out by hand."""

import random
from datetime import date, timedelta
from statistics import fmean

import pytest

from vendor_tracker.engagements.kpo.review import Decision, Round
from vendor_tracker.engagements.kpo.rollup_rules import (
    Tally,
    exact_mean,
    exact_parts,
    month_figures,
    parts_sum,
    split_period,
)

A, C, R = Decision.ACCEPTED, Decision.CHANGES_REQUESTED, Decision.REJECTED


def test_exact_parts_give_the_float_back():
    for value in (0.0, 0.01, 12.5, 33.33, 66.67, 80.01, 99.99, 100.0):
        hundredths, residue = exact_parts(value)
        assert hundredths == round(value * 100)
        assert (hundredths * 2**59 + residue) / (100 * 2**59) == value
    for value in (0.001, 1e-7, 100.01):  # not a two-place quality from 0 to 100
        with pytest.raises(ValueError):
            exact_parts(value)


def test_the_mean_of_a_tie_follows_the_float_sum_as_fmean_does():
    # 80.01 and 80 average to 80.005 in decimals; the float sum lies just below: 80.0.
    assert round(fmean([80.01, 80.0]), 2) == 80.0
    assert exact_mean(*parts_sum([80.01, 80.0]), 2) == 80.0
    assert exact_mean(0, 0, 0) is None


def test_exact_mean_equals_fmean_on_random_two_place_values():
    rng = random.Random(5)
    for _ in range(3000):
        values = [rng.randint(0, 10000) / 100 for _ in range(rng.randint(1, 9))]
        # Split anywhere: the parts of the pieces add up to the parts of the whole.
        cut = rng.randint(0, len(values))
        h1, r1 = parts_sum(values[:cut])
        h2, r2 = parts_sum(values[cut:])
        assert exact_mean(h1 + h2, r1 + r2, len(values)) == round(fmean(values), 2)


def test_split_period_reads_whole_past_and_future_months_and_the_rest_live():
    this_month = date(2026, 11, 1)
    # A quarter to date: October whole; November (running) live to the 21st.
    assert split_period(date(2026, 10, 1), date(2026, 11, 21), this_month) == (
        [(date(2026, 10, 1), date(2026, 10, 1))],
        [(date(2026, 11, 1), date(2026, 11, 21))],
    )
    # Cut at both ends, across the running month: runs before and after it.
    whole, live = split_period(date(2026, 8, 17), date(2027, 2, 10), this_month)
    assert whole == [
        (date(2026, 9, 1), date(2026, 10, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
    ]
    assert live == [
        (date(2026, 8, 17), date(2026, 8, 31)),
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2027, 2, 1), date(2027, 2, 10)),
    ]
    assert split_period(date(2026, 5, 2), date(2026, 5, 1), this_month) == ([], [])


def test_split_period_covers_every_day_once():
    rng = random.Random(3)
    for _ in range(300):
        first = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
        last = first + timedelta(days=rng.randint(0, 400))
        this_month = (first + timedelta(days=rng.randint(-60, 460))).replace(day=1)
        whole, live = split_period(first, last, this_month)
        days = []
        for a, b in live:
            days += [a + timedelta(days=n) for n in range((b - a).days + 1)]
        for a, b in whole:
            month = a
            while month <= b:
                assert month != this_month
                following = (month + timedelta(days=32)).replace(day=1)
                days += [month + timedelta(days=n) for n in range((following - month).days)]
                month = following
        assert sorted(days) == [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_month_figures_of_one_engagement_by_hand():
    """Three deliverables: due 10 Mar (v1 8 Mar changes asked 12 Mar at 40, v2 15 Mar accepted
    2 Apr at 80), due 31 Mar (v1 2 Apr rejected 5 Apr at 20), due 20 Apr (never sent)."""
    figures = month_figures(
        [
            (
                date(2026, 3, 10),
                [
                    Round(1, date(2026, 3, 8), None, date(2026, 3, 12), C, 40.0),
                    Round(2, date(2026, 3, 15), None, date(2026, 4, 2), A, 80.0),
                ],
            ),
            (date(2026, 3, 31), [Round(1, date(2026, 4, 2), None, date(2026, 4, 5), R, 20.0)]),
            (date(2026, 4, 20), []),
        ]
    )
    march, april = figures[date(2026, 3, 1)], figures[date(2026, 4, 1)]
    assert (march.due, march.due_accepted, march.due_rejected, march.open) == (2, 1, 1, 0)
    assert march.due_on_time == 1  # the second's version came two days late
    assert (march.review_days_sum, march.review_days_count) == (4 + 18 + 3, 3)
    assert (march.rework_days_sum, march.rework_days_count) == (3, 1)
    assert (march.closed_quality_count, march.closed_quality_hundredths) == (2, 10000)
    assert march.accepted == 0
    assert (april.due, april.due_not_submitted, april.open) == (1, 1, 1)
    assert (april.accepted, april.accepted_first_pass, april.accepted_rounds) == (1, 0, 2)
    assert (april.accepted_quality_count, april.accepted_quality_hundredths) == (1, 8000)
    assert april.accepted_rounds_histogram == "2:1"
    # A period of March and April: 1 accepted of 3 due, on time 1 of 3 decided (the unsent one
    # is late once April has passed), mean quality 80.
    tally = Tally()
    for month in (march, april):
        tally.add_month(month, due_before_today=True)
    summary = tally.summary()
    assert (summary.accepted, summary.due, summary.first_pass_rate) == (1, 3, 0.0)
    assert (summary.on_time_first_rate, summary.mean_quality) == (33.3, 80.0)
    assert summary.mean_rounds_to_acceptance == 2.0
