"""Weighted multi-evaluator scoring of candidates, and how sensitive the ranking is to weights.

- Each evaluator scores every candidate on every criterion from 1 to 5.
- Per criterion a candidate's score is the median of the evaluators' scores (the median of an
  even count is the mean of the two middle scores); a spread (max - min) of 2 or more is flagged.
- Candidate total on 0..100: `sum(w x (median - 1) / 4 x 100) / sum(w)`; weights are any
  positive numbers. A candidate missing any evaluator's score on any criterion is incomplete and
  has no total (never a silent zero); equal totals share a rank and are shown as a tie.
- Sensitivity: for the unique leader and each criterion k with normalized weight p_k, move p_k by
  d (others rescaled in proportion, so they keep their ratios and the sum stays 1). Each total is
  linear in d: T(d) = (p_k + d) x s_k + (1 - p_k - d) / (1 - p_k) x R, with R the leader's or
  rival's weighted points on the other criteria. The gap leader - rival is therefore linear too;
  where it reaches zero strictly inside the feasible range (0 < p_k + d < 1) the rival ties and,
  beyond, leads. The smallest |d| over all rivals is the answer; none means robust.
Arithmetic is exact (fractions) so ties and flips are found without rounding error.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from vendor_tracker.core.text import text_problem

SCORE_MIN = 1
SCORE_MAX = 5
SPREAD_FLAG = 2
COMMENT_MAX = 1000

Number = int | Decimal | Fraction | float


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion with a positive weight (any scale; normalized when used)."""

    id: int
    name: str
    weight: Number


@dataclass(frozen=True)
class CriterionScore:
    """One candidate on one criterion: the evaluators' scores, their median and spread."""

    scores: tuple[int, ...]
    median: Fraction | None
    spread: int | None
    flagged: bool
    missing: int

    @property
    def median_value(self) -> float | None:
        return None if self.median is None else float(self.median)


@dataclass(frozen=True)
class CandidateResult:
    """A candidate's total (None while incomplete), rank and per-criterion scores."""

    candidate_id: int
    status: str  # "complete" | "incomplete" | "not_scored"
    total_exact: Fraction | None
    missing: int
    by_criterion: Mapping[int, CriterionScore]
    rank: int | None = None
    tied: bool = False

    @property
    def total(self) -> float | None:
        return None if self.total_exact is None else float(self.total_exact)

    @property
    def flags(self) -> int:
        return sum(1 for s in self.by_criterion.values() if s.flagged)


@dataclass(frozen=True)
class Sensitivity:
    """How far one criterion's weight must move before the leader loses the top place."""

    criterion_id: int
    weight_pct: float
    change_pp: float | None  # signed percentage points; None when robust
    new_weight_pct: float | None
    rival_id: int | None

    @property
    def robust(self) -> bool:
        return self.change_pp is None


@dataclass(frozen=True)
class Evaluation:
    """Ranking, totals and flags of all candidates, and the leader's sensitivity."""

    weights_pct: Mapping[int, float]
    results: tuple[CandidateResult, ...]
    leaders: tuple[int, ...]
    sensitivity: tuple[Sensitivity, ...] = field(default_factory=tuple)

    @property
    def leader(self) -> int | None:
        """The unique top candidate, or None when nobody is complete or the top is tied."""
        return self.leaders[0] if len(self.leaders) == 1 else None

    @property
    def tie_at_top(self) -> bool:
        return len(self.leaders) > 1

    def result_for(self, candidate_id: int) -> CandidateResult | None:
        return next((r for r in self.results if r.candidate_id == candidate_id), None)


def median(values: Sequence[int]) -> Fraction:
    """The median; of an even count, the mean of the two middle values."""
    if not values:
        raise ValueError("median of no values")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle])
    return Fraction(ordered[middle - 1] + ordered[middle], 2)


def points(median_score: Fraction) -> Fraction:
    """A 1..5 median on the 0..100 scale: (median - 1) / 4 x 100."""
    return (median_score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100


def _exact(value: Number) -> Fraction:
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def weight_problems(weights: Mapping[int, object]) -> dict[int, str]:
    """Per criterion, why its weight is not a usable positive number."""
    problems = {}
    for key, weight in weights.items():
        try:
            ok = weight is not None and _exact(weight) > 0  # type: ignore[arg-type]
        except (TypeError, ValueError, ArithmeticError):
            ok = False
        if not ok:
            problems[key] = "Use a number greater than zero."
    return problems


def normalized_weights(criteria: Sequence[Criterion]) -> dict[int, Fraction]:
    """Each weight as a share of the sum (exact); weights must be positive."""
    problems = weight_problems({c.id: c.weight for c in criteria})
    if problems:
        raise ValueError(f"weights must be positive: {sorted(problems)}")
    total = sum((_exact(c.weight) for c in criteria), Fraction(0))
    return {c.id: _exact(c.weight) / total for c in criteria}


def sheet_problems(
    candidate_ids: Sequence[int],
    criterion_ids: Sequence[int],
    cells: Mapping[tuple[int, int], tuple[object, object]],
) -> dict[tuple[int, int], str]:
    """Per (candidate, criterion) cell, why an evaluator's sheet cannot be accepted."""
    problems: dict[tuple[int, int], str] = {}
    for candidate_id in candidate_ids:
        for criterion_id in criterion_ids:
            key = (candidate_id, criterion_id)
            value, comment = cells.get(key, (None, ""))
            if value is None or value == "":
                problems[key] = "Give a score from 1 to 5."
            elif (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not SCORE_MIN <= value <= SCORE_MAX
            ):
                problems[key] = "Scores are whole numbers from 1 to 5."
            elif comment is not None and not isinstance(comment, str):
                problems[key] = "The comment must be text."
            elif comment and len(comment) > COMMENT_MAX:
                problems[key] = f"Keep the comment under {COMMENT_MAX} characters."
            elif comment and (problem := text_problem(comment)):
                problems[key] = problem
    expected = {(a, c) for a in candidate_ids for c in criterion_ids}
    for key in cells:
        if key not in expected:
            problems[key] = "This candidate or criterion is not part of the evaluation."
    return problems


def _candidate_result(
    candidate_id: int,
    criteria: Sequence[Criterion],
    evaluator_ids: Sequence[int],
    scores: Mapping[tuple[int, int, int], int],
    weights: Mapping[int, Fraction],
) -> CandidateResult:
    by_criterion = {}
    missing_total = 0
    total = Fraction(0)
    for criterion in criteria:
        given = tuple(
            scores[(e, candidate_id, criterion.id)]
            for e in evaluator_ids
            if (e, candidate_id, criterion.id) in scores
        )
        missing = len(evaluator_ids) - len(given)
        missing_total += missing
        mid = median(given) if given else None
        spread = max(given) - min(given) if given else None
        by_criterion[criterion.id] = CriterionScore(
            scores=given,
            median=mid,
            spread=spread,
            flagged=spread is not None and spread >= SPREAD_FLAG,
            missing=missing,
        )
        if mid is not None:
            total += weights[criterion.id] * points(mid)
    if not evaluator_ids or not criteria:
        status, exact = "not_scored", None
    elif missing_total:
        status, exact = "incomplete", None
    else:
        status, exact = "complete", total
    return CandidateResult(candidate_id, status, exact, missing_total, by_criterion)


def evaluate(
    candidate_ids: Sequence[int],
    criteria: Sequence[Criterion],
    evaluator_ids: Sequence[int],
    scores: Mapping[tuple[int, int, int], int],
) -> Evaluation:
    """Rank candidates from every evaluator's scores keyed (evaluator, candidate, criterion)."""
    weights = normalized_weights(criteria) if criteria else {}
    raw = [_candidate_result(c, criteria, evaluator_ids, scores, weights) for c in candidate_ids]
    complete = sorted(
        (r for r in raw if r.total_exact is not None), key=lambda r: r.total_exact, reverse=True
    )
    ranked = []
    for result in complete:
        # Competition ranking: equal totals share the better rank (1, 1, 3).
        rank = 1 + sum(1 for other in complete if other.total_exact > result.total_exact)
        tied = sum(1 for other in complete if other.total_exact == result.total_exact) > 1
        ranked.append(_with_rank(result, rank, tied))
    unranked = [r for r in raw if r.total_exact is None]
    leaders = tuple(r.candidate_id for r in ranked if r.rank == 1)
    sens: tuple[Sensitivity, ...] = ()
    if len(leaders) == 1 and len(ranked) > 1:
        point_table = {
            r.candidate_id: {k: points(s.median) for k, s in r.by_criterion.items()} for r in ranked
        }
        sens = sensitivity(weights, point_table, leaders[0])
    return Evaluation(
        weights_pct={k: float(w * 100) for k, w in weights.items()},
        results=tuple(ranked + unranked),
        leaders=leaders,
        sensitivity=sens,
    )


def _with_rank(result: CandidateResult, rank: int, tied: bool) -> CandidateResult:
    return CandidateResult(
        result.candidate_id,
        result.status,
        result.total_exact,
        result.missing,
        result.by_criterion,
        rank,
        tied,
    )


def flip_change(
    weight: Fraction,
    leader_k: Fraction,
    rival_k: Fraction,
    leader_rest: Fraction,
    rival_rest: Fraction,
) -> Fraction | None:
    """The change d of one criterion's normalized weight at which a rival ties the leader.

    `leader_k`/`rival_k` are the points (0..100) on that criterion, `*_rest` the weighted
    points on all other criteria at the current weights. None when no tie happens strictly
    inside 0 < weight + d < 1.
    """
    if weight >= 1:
        return None  # a single criterion: there is nothing to rescale against
    gap_now = leader_k * weight + leader_rest - (rival_k * weight + rival_rest)
    slope = (leader_k - rival_k) - (leader_rest - rival_rest) / (1 - weight)
    if slope == 0:
        return None
    change = -gap_now / slope
    if 0 < weight + change < 1:
        return change
    return None


def sensitivity(
    weights: Mapping[int, Fraction],
    point_table: Mapping[int, Mapping[int, Fraction]],
    leader_id: int,
) -> tuple[Sensitivity, ...]:
    """For each criterion, the smallest weight change (in points) that unseats the leader."""
    found = []
    for criterion_id, weight in weights.items():
        best: tuple[Fraction, int] | None = None
        lead = point_table[leader_id]
        lead_rest = sum((weights[k] * p for k, p in lead.items() if k != criterion_id), Fraction(0))
        for rival_id, rival in point_table.items():
            if rival_id == leader_id:
                continue
            rival_rest = sum(
                (weights[k] * p for k, p in rival.items() if k != criterion_id), Fraction(0)
            )
            change = flip_change(
                weight, lead[criterion_id], rival[criterion_id], lead_rest, rival_rest
            )
            if change is not None and (best is None or abs(change) < abs(best[0])):
                best = (change, rival_id)
        if best is None:
            found.append(Sensitivity(criterion_id, float(weight * 100), None, None, None))
        else:
            change, rival_id = best
            found.append(
                Sensitivity(
                    criterion_id,
                    float(weight * 100),
                    float(change * 100),
                    float((weight + change) * 100),
                    rival_id,
                )
            )
    return tuple(found)
