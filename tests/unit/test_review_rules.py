"""The KPO review rules with hand-computed cases (no app, no database)."""

from datetime import date
from decimal import Decimal

from vendor_tracker.engagements.kpo.review import (
    CriterionScore,
    Decision,
    DeliverableStatus,
    Round,
    deliverable_figures,
    deliverable_status,
    is_overdue,
    new_version_refusal,
    next_version,
    quality_score,
    review_problems,
    review_refusal,
    rubric_problems,
    submission_problems,
)

DUE = date(2026, 3, 31)
TODAY = date(2026, 5, 1)
A, CR, RJ = Decision.ACCEPTED, Decision.CHANGES_REQUESTED, Decision.REJECTED


def rnd(version, submitted, reviewed=None, decision=None, quality=None, hours=None):
    return Round(
        version=version,
        submitted_on=submitted,
        reviewed_on=reviewed,
        decision=decision,
        quality=quality,
        effort_hours=Decimal(hours) if hours is not None else None,
    )


DEFAULT_WEIGHTS = [
    ("Accuracy", 30),
    ("Depth", 25),
    ("Completeness", 20),
    ("Clarity", 15),
    ("Act", 10),
]


def scored(*scores, weights=DEFAULT_WEIGHTS):
    return [CriterionScore(n, w, s) for (n, w), s in zip(weights, scores, strict=True)]


# --- quality score -----------------------------------------------------------------------


def test_quality_weighted_mean_mapped_to_0_100():
    # (4*30 + 3*25 + 5*20 + 4*15 + 2*10) / 100 = 3.75 -> (3.75 - 1) / 4 * 100 = 68.75
    assert quality_score(scored(4, 3, 5, 4, 2)) == 68.75


def test_quality_extremes():
    assert quality_score(scored(1, 1, 1, 1, 1)) == 0.0
    assert quality_score(scored(5, 5, 5, 5, 5)) == 100.0


def test_changed_weights_change_the_score_of_the_same_marks():
    marks = (5, 1, 3, 3, 3)
    # Default weights: (150 + 25 + 60 + 45 + 30) / 100 = 3.10 -> 52.5
    assert quality_score(scored(*marks)) == 52.5
    # Depth weighted up, accuracy down: (5*10 + 1*45 + 3*20 + 3*15 + 3*10) / 100 = 2.30 -> 32.5
    changed = [("Accuracy", 10), ("Depth", 45), ("Completeness", 20), ("Clarity", 15), ("Act", 10)]
    assert quality_score(scored(*marks, weights=changed)) == 32.5


def test_weights_need_not_sum_to_100():
    # weights 1 and 3: (5*1 + 2*3) / 4 = 2.75 -> 43.75
    assert quality_score([CriterionScore("a", 1, 5), CriterionScore("b", 3, 2)]) == 43.75


def test_quality_without_weight_is_no_data():
    assert quality_score([]) is None
    assert quality_score([CriterionScore("a", 0, 5)]) is None


# --- rubric ------------------------------------------------------------------------------


def test_rubric_problems():
    assert rubric_problems([{"name": "Accuracy", "weight": 30}]) == {}
    assert "criteria" in rubric_problems([])
    dup = rubric_problems([{"name": "Accuracy", "weight": 3}, {"name": "accuracy", "weight": 2}])
    assert "criteria-1-name" in dup
    assert "criteria-0-weight" in rubric_problems([{"name": "A", "weight": 101}])
    assert "criteria-0-weight" in rubric_problems([{"name": "A", "weight": None}])
    assert rubric_problems([{"name": "A", "weight": 0}]) == {
        "criteria": "At least one criterion needs a weight above 0."
    }


# --- what may follow what ----------------------------------------------------------------


def test_versions_number_from_one():
    assert next_version([]) == 1
    assert next_version([rnd(1, date(2026, 3, 1)), rnd(2, date(2026, 3, 9))]) == 3


def test_first_version_is_always_allowed():
    assert new_version_refusal([]) is None


def test_new_version_only_after_changes_requested():
    in_review = [rnd(1, date(2026, 3, 1))]
    assert "still in review" in new_version_refusal(in_review)
    changes = [rnd(1, date(2026, 3, 1), date(2026, 3, 4), CR)]
    assert new_version_refusal(changes) is None


def test_nothing_follows_acceptance_or_rejection():
    accepted = [rnd(1, date(2026, 3, 1), date(2026, 3, 4), A)]
    rejected = [
        rnd(1, date(2026, 3, 1), date(2026, 3, 4), CR),
        rnd(2, date(2026, 3, 8), date(2026, 3, 9), RJ),
    ]
    assert "accepted" in new_version_refusal(accepted)
    assert "Version 2 was rejected" in new_version_refusal(rejected)


def test_new_version_not_before_the_previous_review():
    rounds = [rnd(1, date(2026, 3, 1), date(2026, 3, 4), CR)]
    assert "submitted_on" in submission_problems(rounds, date(2026, 3, 3), None, TODAY)
    assert submission_problems(rounds, date(2026, 3, 4), None, TODAY) == {}


def test_submission_fields():
    assert "submitted_on" in submission_problems([], None, None, TODAY)
    assert "submitted_on" in submission_problems([], date(2026, 5, 2), None, TODAY)
    assert "effort_hours" in submission_problems([], TODAY, Decimal("-1"), TODAY)
    assert submission_problems([], TODAY, Decimal("0"), TODAY) == {}


def test_one_review_per_submission():
    assert review_refusal(False, 1) is None
    assert "already has a review" in review_refusal(True, 2)


def test_review_on_the_submission_day_is_allowed_not_the_day_before():
    day = date(2026, 3, 10)
    ok = review_problems(day, day, "accepted", "", {"Accuracy": 4}, TODAY)
    assert ok == {}
    early = review_problems(day, date(2026, 3, 9), "accepted", "", {"Accuracy": 4}, TODAY)
    assert set(early) == {"reviewed_on"}


def test_feedback_required_unless_accepted_and_scores_1_to_5():
    day = date(2026, 3, 10)
    assert set(review_problems(day, day, "changes_requested", "  ", {}, TODAY)) == {"feedback"}
    assert set(review_problems(day, day, "rejected", "", {}, TODAY)) == {"feedback"}
    assert set(review_problems(day, day, "maybe", "x", {}, TODAY)) == {"decision"}
    bad = review_problems(day, day, "accepted", "", {"A": 0, "B": 6, "C": None, "D": 5}, TODAY)
    assert set(bad) == {"score:A", "score:B", "score:C"}
    assert set(review_problems(day, date(2026, 5, 2), "accepted", "", {}, TODAY)) == {"reviewed_on"}


# --- derived status ----------------------------------------------------------------------


def test_status_from_the_last_round():
    assert deliverable_status([]) == DeliverableStatus.NOT_SUBMITTED
    assert deliverable_status([rnd(1, date(2026, 3, 1))]) == DeliverableStatus.IN_REVIEW
    two = [rnd(1, date(2026, 3, 1), date(2026, 3, 2), CR), rnd(2, date(2026, 3, 5))]
    assert deliverable_status(two) == DeliverableStatus.IN_REVIEW
    assert deliverable_status(two[:1]) == DeliverableStatus.CHANGES_REQUESTED


def test_overdue_only_after_the_due_date_and_while_open():
    assert is_overdue(DeliverableStatus.IN_REVIEW, DUE, date(2026, 4, 1))
    assert not is_overdue(DeliverableStatus.IN_REVIEW, DUE, DUE)  # due today is not late yet
    assert not is_overdue(DeliverableStatus.ACCEPTED, DUE, date(2026, 4, 1))
    assert not is_overdue(DeliverableStatus.REJECTED, DUE, date(2026, 4, 1))
    assert is_overdue(DeliverableStatus.NOT_SUBMITTED, DUE, date(2026, 4, 1))


# --- per-deliverable figures -------------------------------------------------------------


def test_one_round_accepted_first_time():
    f = deliverable_figures(
        [rnd(1, date(2026, 3, 20), date(2026, 3, 25), A, 80.0, "40")], DUE, TODAY
    )
    assert f.status == DeliverableStatus.ACCEPTED
    assert (f.rounds, f.rounds_to_acceptance, f.first_pass) == (1, 1, True)
    assert f.first_version_on_time is True and f.accepted_on_time is True
    assert f.review_days == (5,) and f.rework_days == ()
    assert f.final_quality == 80.0 and f.accepted_on == date(2026, 3, 25)
    assert f.effort_hours == Decimal("40") and f.rework_share == 0.0
    assert f.overdue is False and f.last_activity == date(2026, 3, 25)


def test_three_rounds_to_acceptance():
    rounds = [
        rnd(1, date(2026, 3, 2), date(2026, 3, 6), CR, 40.0, "30"),
        rnd(2, date(2026, 3, 16), date(2026, 3, 19), CR, 55.0, "6"),
        rnd(3, date(2026, 4, 2), date(2026, 4, 3), A, 85.0, "4"),
    ]
    f = deliverable_figures(rounds, DUE, TODAY)
    assert (f.rounds, f.rounds_to_acceptance, f.first_pass) == (3, 3, False)
    assert f.first_version_on_time is True
    assert f.accepted_on_time is False  # version 3 came on 2 Apr, after the 31 Mar due date
    assert f.review_days == (4, 3, 1)
    assert f.rework_days == (10, 14)  # 16 Mar - 6 Mar, 2 Apr - 19 Mar
    assert f.final_quality == 85.0 and f.latest_quality == 85.0
    assert f.effort_hours == Decimal("40")
    assert f.rework_share == 25.0  # (6 + 4) / 40


def test_rejection_closes_without_acceptance():
    rounds = [
        rnd(1, date(2026, 3, 2), date(2026, 3, 6), CR, 30.0),
        rnd(2, date(2026, 3, 12), date(2026, 3, 20), RJ, 20.0),
    ]
    f = deliverable_figures(rounds, DUE, TODAY)
    assert f.status == DeliverableStatus.REJECTED
    assert f.rounds_to_acceptance is None and f.first_pass is None
    assert f.accepted_on_time is None and f.accepted_on is None
    assert f.final_quality == 20.0
    assert f.overdue is False  # rejected work is closed, never overdue
    assert f.effort_hours is None and f.rework_share is None  # no hours reported


def test_not_yet_submitted_before_and_after_the_due_date():
    before = deliverable_figures([], DUE, date(2026, 3, 1))
    assert before.status == DeliverableStatus.NOT_SUBMITTED
    assert before.first_version_on_time is None and before.overdue is False
    assert before.review_days == () and before.last_activity is None
    assert before.final_quality is None and before.latest_quality is None
    after = deliverable_figures([], DUE, TODAY)
    assert after.first_version_on_time is False and after.overdue is True


def test_submitted_exactly_on_the_due_date_is_on_time():
    f = deliverable_figures([rnd(1, DUE, DUE, A, 75.0)], DUE, TODAY)
    assert f.first_version_on_time is True and f.accepted_on_time is True
    late = deliverable_figures([rnd(1, date(2026, 4, 1), date(2026, 4, 1), A, 75.0)], DUE, TODAY)
    assert late.first_version_on_time is False and late.accepted_on_time is False


def test_review_on_the_submission_day_counts_zero_review_days():
    f = deliverable_figures([rnd(1, date(2026, 3, 10), date(2026, 3, 10), A, 70.0)], DUE, TODAY)
    assert f.review_days == (0,)


def test_open_round_shows_latest_quality_but_no_final_quality():
    rounds = [rnd(1, date(2026, 3, 2), date(2026, 3, 6), CR, 45.0), rnd(2, date(2026, 3, 9))]
    f = deliverable_figures(rounds, DUE, date(2026, 3, 20))
    assert f.status == DeliverableStatus.IN_REVIEW
    assert f.latest_quality == 45.0 and f.final_quality is None
    assert f.review_days == (4,) and f.rework_days == (3,)
    assert f.last_activity == date(2026, 3, 9)
