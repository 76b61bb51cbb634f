"""Weighted multi-evaluator scoring and sensitivity, every number computed by hand."""

from decimal import Decimal
from fractions import Fraction

import pytest

from vendor_tracker.selection.scoring import (
    Criterion,
    evaluate,
    flip_change,
    median,
    normalized_weights,
    sheet_problems,
    weight_problems,
)


def sheet(evaluator, table):
    """{candidate: {criterion: score}} -> {(evaluator, candidate, criterion): score}"""
    return {(evaluator, a, c): v for a, row in table.items() for c, v in row.items()}


def test_median_of_odd_and_even_counts():
    assert median([4]) == 4
    assert median([5, 1, 3]) == 3
    assert median([2, 5]) == Fraction(7, 2)  # median of two is their mean
    assert median([1, 2, 4, 5]) == 3


def test_weights_that_do_not_sum_to_100_are_normalized():
    criteria = [Criterion(1, "Price", 3), Criterion(2, "Quality", Decimal("1.5"))]
    assert normalized_weights(criteria) == {1: Fraction(2, 3), 2: Fraction(1, 3)}
    # one evaluator: A scores 5 and 2 -> 100 and 25 -> 100 x 2/3 + 25 x 1/3 = 75
    result = evaluate([10], criteria, [7], sheet(7, {10: {1: 5, 2: 2}}))
    assert result.results[0].total == pytest.approx(75)
    assert result.weights_pct == {1: pytest.approx(200 / 3), 2: pytest.approx(100 / 3)}


def test_one_evaluator_ranks_candidates():
    criteria = [Criterion(1, "A", 60), Criterion(2, "B", 40)]
    scores = sheet(1, {10: {1: 5, 2: 1}, 20: {1: 1, 2: 5}})
    result = evaluate([10, 20], criteria, [1], scores)
    assert [(r.candidate_id, r.total, r.rank) for r in result.results] == [(10, 60, 1), (20, 40, 2)]
    assert result.leader == 10
    assert result.results[0].by_criterion[1].flagged is False  # one score has no spread


def test_two_evaluators_use_the_mean_as_median_and_flag_spreads_of_two():
    criteria = [Criterion(1, "Price", 1), Criterion(2, "Quality", 1)]
    scores = {**sheet(1, {10: {1: 2, 2: 3}}), **sheet(2, {10: {1: 4, 2: 4}})}
    # price median 3 -> 50, quality median 3.5 -> 62.5: (50 + 62.5) / 2 = 56.25
    result = evaluate([10], criteria, [1, 2], scores).results[0]
    assert result.total == pytest.approx(56.25)
    assert result.by_criterion[1].median == 3 and result.by_criterion[1].spread == 2
    assert result.by_criterion[1].flagged is True
    assert (
        result.by_criterion[2].median == Fraction(7, 2) and result.by_criterion[2].flagged is False
    )
    assert result.flags == 1


def test_three_evaluators_use_the_middle_score():
    criteria = [Criterion(1, "Only", 5)]
    scores = {(1, 10, 1): 1, (2, 10, 1): 4, (3, 10, 1): 5}
    result = evaluate([10], criteria, [1, 2, 3], scores).results[0]
    assert result.total == 75 and result.by_criterion[1].spread == 4


def test_equal_totals_are_a_tie_sharing_the_rank():
    criteria = [Criterion(1, "A", 1), Criterion(2, "B", 1)]
    scores = sheet(1, {10: {1: 5, 2: 1}, 20: {1: 1, 2: 5}, 30: {1: 2, 2: 2}})
    result = evaluate([10, 20, 30], criteria, [1], scores)
    ranks = {r.candidate_id: (r.rank, r.tied) for r in result.results}
    assert ranks == {10: (1, True), 20: (1, True), 30: (3, False)}
    assert result.tie_at_top and result.leader is None
    assert result.sensitivity == ()  # no single leader to test


def test_incomplete_sheets_leave_the_candidate_without_a_total():
    criteria = [Criterion(1, "A", 1), Criterion(2, "B", 1)]
    # evaluator 2 never scored candidate 20 on B (e.g. B was added after the sheet)
    scores = {
        **sheet(1, {10: {1: 1, 2: 1}, 20: {1: 5, 2: 5}}),
        **sheet(2, {10: {1: 1, 2: 1}, 20: {1: 5}}),
    }
    result = evaluate([10, 20], criteria, [1, 2], scores)
    incomplete = result.result_for(20)
    assert incomplete.status == "incomplete" and incomplete.total is None
    assert incomplete.missing == 1 and incomplete.rank is None
    # the complete one with all 1s is ranked, at 0 points, and is the leader
    assert result.result_for(10).total == 0 and result.leader == 10
    assert result.results[-1].candidate_id == 20


def test_no_sheets_means_not_scored_not_zero():
    result = evaluate([10], [Criterion(1, "A", 1)], [], {})
    assert result.results[0].status == "not_scored" and result.results[0].total is None
    assert result.leaders == ()


def test_sensitivity_flips_at_a_known_weight_with_two_criteria():
    # A: 100 / 0, B: 0 / 100; weights 60 / 40 -> A 60, B 40. They tie at 50 / 50:
    # criterion 1 must drop 10 points, criterion 2 must rise 10 points.
    criteria = [Criterion(1, "A", 60), Criterion(2, "B", 40)]
    scores = sheet(1, {10: {1: 5, 2: 1}, 20: {1: 1, 2: 5}})
    sens = {s.criterion_id: s for s in evaluate([10, 20], criteria, [1], scores).sensitivity}
    assert sens[1].change_pp == pytest.approx(-10) and sens[1].new_weight_pct == pytest.approx(50)
    assert sens[2].change_pp == pytest.approx(10) and sens[2].rival_id == 20


def test_sensitivity_rescales_the_other_weights_in_proportion():
    # weights 50/25/25; A scores 5,1,3 (100,0,50) = 62.5; B scores 1,5,3 (0,100,50) = 37.5.
    # Moving criterion 1 to p: the others get (1-p)/2 each. A = 100p + 25(1-p), B = 75(1-p);
    # equal at 100p + 25 - 25p = 75 - 75p -> p = 1/3, a change of -16.67 points.
    # Criterion 3 (equal scores) only ties at 100 % weight, outside the open range: robust.
    criteria = [Criterion(1, "x", 50), Criterion(2, "y", 25), Criterion(3, "z", 25)]
    scores = sheet(1, {10: {1: 5, 2: 1, 3: 3}, 20: {1: 1, 2: 5, 3: 3}})
    result = evaluate([10, 20], criteria, [1], scores)
    assert result.result_for(10).total == 62.5 and result.result_for(20).total == 37.5
    sens = {s.criterion_id: s for s in result.sensitivity}
    assert sens[1].change_pp == pytest.approx(-100 / 6)
    assert sens[1].new_weight_pct == pytest.approx(100 / 3)
    # criterion 2 at p: others scale by (1-p)/0.75: A = 100*(2/3)(1-p) + 50*(1/3)(1-p)
    # = 83.33(1-p); B = 100p + 16.67(1-p); equal at 83.33 - 83.33p = 16.67 + 83.33p -> p=0.4
    assert sens[2].change_pp == pytest.approx(15) and sens[2].new_weight_pct == pytest.approx(40)
    assert sens[3].robust and sens[3].change_pp is None


def test_a_leader_better_on_every_criterion_is_robust():
    criteria = [Criterion(1, "A", 1), Criterion(2, "B", 1), Criterion(3, "C", 2)]
    scores = sheet(1, {10: {1: 5, 2: 4, 3: 4}, 20: {1: 3, 2: 1, 3: 4}, 30: {1: 4, 2: 3, 3: 2}})
    result = evaluate([10, 20, 30], criteria, [1], scores)
    assert result.leader == 10
    assert all(s.robust for s in result.sensitivity)


def test_sensitivity_takes_the_nearest_rival():
    # Leader 10 vs rivals 20 and 30 on two equal-weight criteria; 20 ties sooner.
    criteria = [Criterion(1, "A", 1), Criterion(2, "B", 1)]
    scores = sheet(1, {10: {1: 5, 2: 2}, 20: {1: 1, 2: 5}, 30: {1: 1, 2: 4}})
    # A: 100p + 25(1-p); B20: 100(1-p); B30: 75(1-p). Raising criterion 2 (q = 1-p):
    # vs 20: 100(1-q) + 25q = 100q -> q = 100/175 = 57.14 %, +7.14 points
    # vs 30: 100(1-q) + 25q = 75q -> q = 100/150 = 66.67 %, +16.67 points
    sens = {s.criterion_id: s for s in evaluate([10, 20, 30], criteria, [1], scores).sensitivity}
    assert sens[2].rival_id == 20 and sens[2].change_pp == pytest.approx(100 * (4 / 7 - 0.5))
    # with two criteria, lowering criterion 1 is the same move seen from the other side
    assert sens[1].rival_id == 20 and sens[1].change_pp == pytest.approx(-100 * (4 / 7 - 0.5))


def test_a_single_criterion_cannot_be_reweighted():
    assert flip_change(Fraction(1), Fraction(100), Fraction(0), Fraction(0), Fraction(0)) is None
    criteria = [Criterion(1, "A", 3)]
    result = evaluate([10, 20], criteria, [1], sheet(1, {10: {1: 5}, 20: {1: 4}}))
    assert result.sensitivity[0].robust and result.sensitivity[0].weight_pct == 100


def test_weights_must_be_positive():
    assert weight_problems({1: 0, 2: -1, 3: "x", 4: None, 5: Decimal("0.5")}) == {
        1: "Use a number greater than zero.",
        2: "Use a number greater than zero.",
        3: "Use a number greater than zero.",
        4: "Use a number greater than zero.",
    }
    with pytest.raises(ValueError):
        normalized_weights([Criterion(1, "A", 0)])


def test_sheet_is_all_or_nothing_with_a_reason_per_cell():
    cells = {(10, 1): (5, "strong"), (10, 2): (0, ""), (20, 1): ("4", ""), (99, 1): (3, "")}
    problems = sheet_problems([10, 20], [1, 2], cells)
    assert problems == {
        (10, 2): "Scores are whole numbers from 1 to 5.",
        (20, 1): "Scores are whole numbers from 1 to 5.",
        (20, 2): "Give a score from 1 to 5.",
        (99, 1): "This candidate or criterion is not part of the evaluation.",
    }
    full = {(a, c): (3, "") for a in (10, 20) for c in (1, 2)}
    assert sheet_problems([10, 20], [1, 2], full) == {}
    assert sheet_problems([10], [1], {(10, 1): (3, "x" * 1001)}) == {
        (10, 1): "Keep the comment under 1000 characters."
    }


def _totals_at(weights, points_table, criterion_id, new_weight):
    """Totals when one criterion's normalized weight becomes `new_weight`, others rescaled."""
    old = weights[criterion_id]
    scaled = {
        k: (new_weight if k == criterion_id else w * (1 - new_weight) / (1 - old))
        for k, w in weights.items()
    }
    return {c: sum(scaled[k] * p for k, p in row.items()) for c, row in points_table.items()}


def test_analytic_sensitivity_agrees_with_a_fine_search():
    import random

    rng = random.Random(20261121)
    checked_flips = checked_robust = 0
    for _ in range(60):
        n_crit, n_cand = rng.randint(2, 5), rng.randint(2, 4)
        criteria = [Criterion(k, f"c{k}", rng.randint(1, 9)) for k in range(n_crit)]
        table = {a: {k: rng.randint(1, 5) for k in range(n_crit)} for a in range(n_cand)}
        result = evaluate(list(table), criteria, [1], sheet(1, table))
        if result.leader is None:
            continue
        weights = {k: float(w) / 100 for k, w in result.weights_pct.items()}
        pts = {a: {k: (v - 1) * 25 for k, v in row.items()} for a, row in table.items()}
        for s in result.sensitivity:
            p = weights[s.criterion_id]
            if s.robust:
                for step in range(1, 400):
                    totals = _totals_at(weights, pts, s.criterion_id, step / 400)
                    best_rival = max(t for c, t in totals.items() if c != result.leader)
                    assert totals[result.leader] >= best_rival - 1e-9
                checked_robust += 1
                continue
            d = s.change_pp / 100
            before = _totals_at(weights, pts, s.criterion_id, p + d * (1 - 1e-6))
            after = _totals_at(weights, pts, s.criterion_id, p + d * (1 + 1e-6))
            assert all(before[result.leader] > t for c, t in before.items() if c != result.leader)
            assert after[s.rival_id] > after[result.leader]
            # nothing smaller in the other direction either
            for step in range(1, 200):
                for sign in (1, -1):
                    w = p + sign * abs(d) * step / 200
                    if 0 < w < 1:
                        totals = _totals_at(weights, pts, s.criterion_id, w)
                        rival = max(t for c, t in totals.items() if c != result.leader)
                        assert totals[result.leader] >= rival - 1e-9
            checked_flips += 1
    assert checked_flips > 10 and checked_robust > 10
