"""Hand-computed scorecards: BPO only, KPO only, both, none, edited weights, bands, trend."""

from decimal import Decimal

import pytest

from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.reporting.scorecard import (
    DEFAULT_WEIGHTS,
    Band,
    Bands,
    Component,
    ComponentScore,
    Trend,
    band_for,
    bands_problems,
    build_scorecard,
    overall_score,
    standing_fell,
    trend,
    weights_problems,
)


def bpo(met, reported, attainment=None):
    return BpoVendorSummary(
        met=met,
        reported=reported,
        expected=reported,
        breaches=reported - met,
        attainment=attainment if attainment is not None else (100 * met / reported),
        credits_payable={},
    )


def kpo(accepted=0, first_pass=None, quality=None, due=0, on_time=None):
    return KpoVendorSummary(
        accepted=accepted,
        first_pass_rate=first_pass,
        mean_rounds_to_acceptance=None,
        mean_quality=quality,
        due=due,
        on_time_first_rate=on_time,
        overdue=0,
    )


def test_bpo_only_is_its_attainment():
    # 18 met of 20 reported = 90 %; only the BPO weight is present, so the score is 90.0.
    card = build_scorecard(bpo(18, 20), None)
    assert card.score == 90.0
    assert card.band is Band.EXCELLENT
    assert card.component(Component.BPO_ATTAINMENT).sample == 20
    assert card.component(Component.KPO_QUALITY).value is None
    assert card.weights_used == {Component.BPO_ATTAINMENT: 100.0}


def test_kpo_only_renormalises_over_kpo_weights():
    # quality 80 (w25), on-time 60 (w15), first-pass 50 (w10):
    # (80*25 + 60*15 + 50*10) / 50 = (2000 + 900 + 500) / 50 = 68.0 -> watch
    card = build_scorecard(None, kpo(accepted=4, first_pass=50, quality=80, due=5, on_time=60))
    assert card.score == 68.0
    assert card.band is Band.WATCH
    assert card.weights_used == {
        Component.KPO_QUALITY: 50.0,
        Component.KPO_ON_TIME: 30.0,
        Component.KPO_FIRST_PASS: 20.0,
    }
    assert card.component(Component.KPO_ON_TIME).sample == 5
    assert card.component(Component.KPO_FIRST_PASS).sample == 4


def test_both_models_use_all_default_weights():
    # attainment 90 (w50), quality 80 (w25), on-time 60 (w15), first-pass 50 (w10):
    # (4500 + 2000 + 900 + 500) / 100 = 79.0 -> good
    card = build_scorecard(bpo(9, 10), kpo(2, 50, 80, 5, 60))
    assert card.score == 79.0
    assert card.band is Band.GOOD


def test_no_data_is_not_rated_never_zero():
    card = build_scorecard(None, None)
    assert card.score is None
    assert card.band is Band.NOT_RATED
    assert all(c.value is None for c in card.components)


def test_reported_zero_means_no_bpo_data_even_if_attainment_given():
    nothing_reported = BpoVendorSummary(
        met=0, reported=0, expected=0, breaches=0, attainment=0.0, credits_payable={}
    )
    card = build_scorecard(nothing_reported, kpo())
    assert card.score is None
    assert card.band is Band.NOT_RATED


def test_due_without_on_time_rate_is_left_out():
    # KPO vendor with deliverables due but none accepted: only on-time counts.
    card = build_scorecard(None, kpo(accepted=0, due=4, on_time=25.0))
    assert card.score == 25.0
    assert card.band is Band.POOR


def test_edited_weights():
    # attainment 90 w1, quality 80 w1, on-time 60 w0, first-pass 50 w2:
    # (90 + 80 + 100) / 4 = 67.5
    weights = {
        Component.BPO_ATTAINMENT: Decimal(1),
        Component.KPO_QUALITY: Decimal(1),
        Component.KPO_ON_TIME: Decimal(0),
        Component.KPO_FIRST_PASS: Decimal(2),
    }
    card = build_scorecard(bpo(9, 10), kpo(2, 50, 80, 5, 60), weights)
    assert card.score == 67.5
    assert Component.KPO_ON_TIME not in card.weights_used
    assert card.weights_used[Component.KPO_FIRST_PASS] == 50.0


def test_zero_weight_on_the_only_component_is_not_rated():
    weights = dict(DEFAULT_WEIGHTS)
    weights[Component.BPO_ATTAINMENT] = Decimal(0)
    card = build_scorecard(bpo(9, 10), None, weights)
    assert card.score is None
    assert card.band is Band.NOT_RATED


def test_score_rounds_half_up_to_one_decimal():
    # 2 of 3 met = 66.666...% -> 66.7
    score, _ = overall_score([ComponentScore(Component.BPO_ATTAINMENT, 200 / 3, 3)])
    assert score == 66.7


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100.0, Band.EXCELLENT),
        (85.0, Band.EXCELLENT),
        (84.9, Band.GOOD),
        (70.0, Band.GOOD),
        (69.9, Band.WATCH),
        (50.0, Band.WATCH),
        (49.9, Band.POOR),
        (0.0, Band.POOR),
        (None, Band.NOT_RATED),
    ],
)
def test_band_boundaries(score, band):
    assert band_for(score) is band


def test_exactly_85_from_components_is_excellent():
    # 17 of 20 met = 85 % exactly
    assert build_scorecard(bpo(17, 20), None).band is Band.EXCELLENT


def test_exactly_50_from_components_is_watch():
    assert build_scorecard(bpo(5, 10), None).band is Band.WATCH


def test_edited_bands():
    bands = Bands(excellent=Decimal(95), good=Decimal(80), watch=Decimal(60))
    assert band_for(90.0, bands) is Band.GOOD
    assert band_for(59.9, bands) is Band.POOR
    assert band_for(95.0, bands) is Band.EXCELLENT


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        ("excellent", "good", Trend.UP),
        ("watch", "good", Trend.DOWN),
        ("poor", "excellent", Trend.DOWN),
        ("good", "good", Trend.SAME),
        ("good", "not_rated", Trend.NEW),
        ("not_rated", "good", Trend.SAME),
        ("not_rated", "not_rated", Trend.SAME),
    ],
)
def test_trend(current, previous, expected):
    assert trend(current, previous) is expected


def test_standing_fell_only_when_both_rated_and_lower():
    assert standing_fell("watch", "good")
    assert not standing_fell("not_rated", "good")
    assert not standing_fell("good", "not_rated")
    assert not standing_fell("good", "watch")


def test_weights_validation():
    assert weights_problems({"a": 50, "b": 0}) == {}
    assert weights_problems({"a": -1, "b": 10}) == {"a": "A weight must be between 0 and 100."}
    assert weights_problems({"a": 0, "b": 0}) == {"a": "At least one weight must be above zero."}
    assert weights_problems({"a": None, "b": 5})["a"].startswith("Enter")


def test_bands_validation():
    assert bands_problems(85, 70, 50) == {}
    assert "good" in bands_problems(70, 70, 50)
    assert "watch" in bands_problems(85, 70, 75)
    assert "excellent" in bands_problems(101, 70, 50)
    assert "watch" in bands_problems(85, 70, 0)


def test_default_weights_are_50_25_15_10():
    assert [int(DEFAULT_WEIGHTS[c]) for c in Component] == [50, 25, 15, 10]
