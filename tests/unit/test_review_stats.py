"""Engagement/vendor aggregates and the period summary, hand-computed."""

from datetime import date

from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.review import (
    Decision,
    Round,
    action_item_overdue,
    deliverable_figures,
    period_summary,
    review_stats,
)

A, CR, RJ = Decision.ACCEPTED, Decision.CHANGES_REQUESTED, Decision.REJECTED
TODAY = date(2026, 5, 1)


def fig(due, *rounds, today=TODAY):
    return deliverable_figures(
        [
            Round(version=i + 1, submitted_on=s, reviewed_on=r, decision=d, quality=q)
            for i, (s, r, d, q) in enumerate(rounds)
        ],
        due,
        today,
    )


# D1: accepted first time, on time; review 2 days; quality 90
D1 = fig(date(2026, 3, 10), (date(2026, 3, 9), date(2026, 3, 11), A, 90.0))
# D2: three rounds, first late; reviews 3, 2, 1 days; rework 4, 2 days; final quality 70
D2 = fig(
    date(2026, 3, 1),
    (date(2026, 3, 2), date(2026, 3, 5), CR, 40.0),
    (date(2026, 3, 9), date(2026, 3, 11), CR, 55.0),
    (date(2026, 3, 13), date(2026, 3, 14), A, 70.0),
)
# D3: rejected after one round, on time; review 6 days; quality 10
D3 = fig(date(2026, 4, 1), (date(2026, 3, 20), date(2026, 3, 26), RJ, 10.0))
# D4: nothing submitted, due date passed -> overdue, first version late
D4 = fig(date(2026, 4, 15))
# D5: nothing submitted, due later -> undecided punctuality, not overdue
D5 = fig(date(2026, 6, 30))


def test_engagement_aggregates():
    stats = review_stats([D1, D2, D3, D4, D5])
    assert stats.deliverables == 5
    assert stats.by_status == {
        "not_submitted": 2,
        "in_review": 0,
        "changes_requested": 0,
        "accepted": 2,
        "rejected": 1,
    }
    assert stats.accepted == 2 and stats.overdue == 1
    assert stats.first_pass_rate == 50.0  # D1 of D1, D2
    assert stats.mean_rounds_to_acceptance == 2.0  # (1 + 3) / 2
    # decided: D1 yes, D2 no, D3 yes, D4 no -> 2 of 4
    assert stats.on_time_first_rate == 50.0
    # review days 2, 3, 2, 1, 6 -> 14 / 5
    assert stats.mean_review_days == 2.8
    assert stats.mean_rework_days == 3.0  # 4 and 2
    assert stats.mean_final_quality == 56.67  # (90 + 70 + 10) / 3 over closed deliverables
    assert stats.rounds_distribution == {1: 1, 3: 1}


def test_no_accepted_deliverables_is_no_data_not_zero():
    stats = review_stats([D3, D5])
    assert stats.accepted == 0
    assert stats.first_pass_rate is None
    assert stats.mean_rounds_to_acceptance is None
    assert stats.rounds_distribution == {}
    assert stats.mean_rework_days is None  # no second round anywhere
    assert stats.on_time_first_rate == 100.0  # D3 was on time; D5 is undecided


def test_empty_engagement_is_all_no_data():
    stats = review_stats([])
    assert stats.deliverables == 0 and stats.overdue == 0
    for value in (
        stats.first_pass_rate,
        stats.mean_rounds_to_acceptance,
        stats.on_time_first_rate,
        stats.mean_review_days,
        stats.mean_rework_days,
        stats.mean_final_quality,
    ):
        assert value is None


def test_period_summary_counts_acceptance_by_review_date():
    march = period_summary([D1, D2, D3, D4, D5], date(2026, 3, 1), date(2026, 3, 31))
    assert march == KpoVendorSummary(
        accepted=2,
        first_pass_rate=50.0,
        mean_rounds_to_acceptance=2.0,
        mean_quality=80.0,  # (90 + 70) / 2, accepted only
        due=2,  # D1 (10 Mar) and D2 (1 Mar)
        on_time_first_rate=50.0,
        overdue=1,
    )
    april = period_summary([D1, D2, D3, D4, D5], date(2026, 4, 1), date(2026, 4, 30))
    assert april.accepted == 0 and april.first_pass_rate is None
    assert april.mean_quality is None and april.mean_rounds_to_acceptance is None
    assert april.due == 2 and april.on_time_first_rate == 50.0  # D3 on time, D4 late


def test_period_with_only_undecided_due_items_has_no_on_time_rate():
    june = period_summary([D5], date(2026, 6, 1), date(2026, 6, 30))
    assert june.due == 1 and june.on_time_first_rate is None


def test_action_item_overdue():
    assert action_item_overdue(date(2026, 4, 30), False, TODAY)
    assert not action_item_overdue(TODAY, False, TODAY)
    assert not action_item_overdue(date(2026, 4, 30), True, TODAY)
    assert not action_item_overdue(None, False, TODAY)
