"""Minimum samples: a component below its minimum shows its value and sample but does not rate;
exactly the minimum rates; a vendor with no rated component is not rated. Worked out by hand."""

from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.reporting.scorecard import (
    DEFAULT_MINIMUMS,
    Band,
    Component,
    MinimumSamples,
    build_scorecard,
)


def bpo(met, reported):
    return BpoVendorSummary(
        met=met,
        reported=reported,
        expected=reported,
        breaches=reported - met,
        attainment=100 * met / reported,
        credits_payable={},
    )


def kpo(accepted, first_pass, quality, due=0, on_time=None):
    return KpoVendorSummary(
        accepted=accepted,
        first_pass_rate=first_pass,
        mean_rounds_to_acceptance=None,
        mean_quality=quality,
        due=due,
        on_time_first_rate=on_time,
        overdue=0,
    )


def test_defaults_are_three_service_level_months_and_two_deliverables():
    assert MinimumSamples(bpo_months=3, kpo_deliverables=2) == DEFAULT_MINIMUMS


def test_one_deliverable_at_100_is_not_rated_but_shows_its_value():
    # One accepted deliverable, quality 100, first pass: 100 % on a sample of 1 < 2.
    card = build_scorecard(None, kpo(1, 100.0, 100.0, due=1, on_time=100.0))
    assert card.score is None
    assert card.band is Band.NOT_RATED
    quality = card.component(Component.KPO_QUALITY)
    assert quality.value == 100.0 and quality.sample == 1
    assert quality.too_few and not quality.rated
    assert quality.sample_note == "1 deliverable: too few to rate"
    assert card.weights_used == {}


def test_exactly_two_deliverables_rate():
    # quality 80 (w25), first-pass 50 (w10) on 2 accepted; on-time 100 on 2 due (w15):
    # (80*25 + 100*15 + 50*10) / 50 = (2000 + 1500 + 500) / 50 = 80.0 -> good
    card = build_scorecard(None, kpo(2, 50.0, 80.0, due=2, on_time=100.0))
    assert card.score == 80.0
    assert card.band is Band.GOOD
    assert all(not c.too_few for c in card.components)


def test_two_service_level_months_do_not_rate_three_do():
    two = build_scorecard(bpo(2, 2), None)
    assert two.score is None and two.band is Band.NOT_RATED
    assert two.component(Component.BPO_ATTAINMENT).value == 100.0
    assert (
        two.component(Component.BPO_ATTAINMENT).sample_note
        == "2 service-level-months: too few to rate"
    )
    # 2 of 3 met = 66.666... -> 66.7, watch
    three = build_scorecard(bpo(2, 3), None)
    assert three.score == 66.7
    assert three.band is Band.WATCH
    assert three.component(Component.BPO_ATTAINMENT).sample_note == ""


def test_a_component_below_its_minimum_leaves_the_others_to_rate():
    # BPO 9 of 10 = 90 (rated); KPO quality 100 and first pass 100 on 1 accepted (not rated);
    # on-time 50 on 4 due (rated): (90*50 + 50*15) / 65 = (4500 + 750) / 65 = 80.769... -> 80.8
    card = build_scorecard(bpo(9, 10), kpo(1, 100.0, 100.0, due=4, on_time=50.0))
    assert card.score == 80.8
    assert card.band is Band.GOOD
    assert set(card.weights_used) == {Component.BPO_ATTAINMENT, Component.KPO_ON_TIME}
    # 50 / 65 = 76.92 % and 15 / 65 = 23.08 %, one decimal
    assert card.weights_used[Component.BPO_ATTAINMENT] == 76.9
    assert card.weights_used[Component.KPO_ON_TIME] == 23.1


def test_edited_minimums():
    minimums = MinimumSamples(bpo_months=12, kpo_deliverables=1)
    card = build_scorecard(bpo(11, 11), kpo(1, 0.0, 60.0), minimums=minimums)
    # BPO 11 < 12 does not rate; KPO quality 60 (w25) and first pass 0 (w10) on 1 >= 1:
    # (60*25 + 0*10) / 35 = 1500 / 35 = 42.857... -> 42.9, poor
    assert card.score == 42.9
    assert card.band is Band.POOR
    assert card.component(Component.BPO_ATTAINMENT).sample_note == (
        "11 service-level-months: too few to rate"
    )
    assert card.component(Component.KPO_QUALITY).minimum == 1
