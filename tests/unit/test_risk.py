"""Risk score, rating boundaries, review due and overdue, the heat map."""

from datetime import date

import pytest

from vendor_tracker.reporting.risk import (
    RiskRating,
    heat_map,
    review_due,
    review_overdue,
    risk_problems,
    risk_rating,
    risk_score,
)

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("likelihood", "impact", "score", "rating"),
    [
        (1, 1, 1, RiskRating.LOW),
        (1, 3, 3, RiskRating.LOW),
        (2, 2, 4, RiskRating.MEDIUM),
        (2, 3, 6, RiskRating.MEDIUM),
        (2, 4, 8, RiskRating.HIGH),
        (3, 4, 12, RiskRating.HIGH),
        (3, 5, 15, RiskRating.CRITICAL),
        (5, 5, 25, RiskRating.CRITICAL),
    ],
)
def test_score_and_rating(likelihood, impact, score, rating):
    assert risk_score(likelihood, impact) == score
    assert risk_rating(score) is rating


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 1), (3, 0), (2, 9)])
def test_score_refuses_values_off_the_scale(likelihood, impact):
    with pytest.raises(ValueError):
        risk_score(likelihood, impact)


def test_review_overdue_and_due():
    yesterday, tomorrow = date(2026, 11, 20), date(2026, 11, 22)
    assert review_overdue(yesterday, "open", TODAY)
    assert review_overdue(yesterday, "mitigating", TODAY)
    assert not review_overdue(TODAY, "open", TODAY)
    assert review_due(TODAY, "open", TODAY)
    assert not review_due(tomorrow, "open", TODAY)
    assert not review_overdue(yesterday, "closed", TODAY)
    assert not review_due(None, "open", TODAY)


def test_heat_map_puts_likelihood_5_on_top_and_impact_1_left():
    grid = heat_map([(5, 1), (5, 1), (1, 5), (3, 3), (9, 9)])
    assert grid[0][0] == 2  # likelihood 5, impact 1
    assert grid[4][4] == 1  # likelihood 1, impact 5
    assert grid[2][2] == 1
    assert sum(map(sum, grid)) == 4  # the off-scale pair is ignored


def test_risk_problems():
    assert risk_problems(3, 3, TODAY, "open", TODAY) == {}
    assert set(risk_problems(0, 6, None, "open", TODAY)) == {
        "likelihood",
        "impact",
        "next_review_on",
    }
    assert risk_problems(3, 3, None, "closed", TODAY) == {}
