"""Pure rules of KPO review rounds: what may follow what, derived status, quality, figures.

Plain values and frozen dataclasses in, results out; the standard library only. Pages, the API
and exports all call these functions, so every figure has one definition.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from statistics import fmean

from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary, ReviewStats

SCORE_MIN = 1
SCORE_MAX = 5
WEIGHT_MAX = 100


class _Labelled(StrEnum):
    """Members labelled from their value ("changes_requested" -> "Changes requested")."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class DeliverableType(_Labelled):
    REPORT = "report"
    FINANCIAL_MODEL = "financial_model"
    RESEARCH_BRIEF = "research_brief"
    CONTRACT_REVIEW = "contract_review"
    DATASET = "dataset"
    OTHER = "other"


class Decision(_Labelled):
    ACCEPTED = "accepted"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"


class DeliverableStatus(_Labelled):
    NOT_SUBMITTED = "not_submitted"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class TouchpointType(StrEnum):
    KICK_OFF = "kick_off"
    WORKING_SESSION = "working_session"
    STEERING_MEETING = "steering_meeting"
    REVIEW_CALL = "review_call"
    QA = "qa"

    @property
    def label(self) -> str:
        return {
            "kick_off": "Kick-off",
            "working_session": "Working session",
            "steering_meeting": "Steering meeting",
            "review_call": "Review call",
            "qa": "Q&A",
        }[self.value]


CLOSED = frozenset({DeliverableStatus.ACCEPTED, DeliverableStatus.REJECTED})


@dataclass(frozen=True)
class CriterionScore:
    """One rubric criterion as scored: its name and weight at scoring time, and the 1-5 score."""

    name: str
    weight: int
    score: int


@dataclass(frozen=True)
class Round:
    """One version and, once reviewed, its review."""

    version: int
    submitted_on: date
    effort_hours: Decimal | None = None
    reviewed_on: date | None = None
    decision: Decision | None = None
    quality: float | None = None


@dataclass(frozen=True)
class DeliverableFigures:
    """Everything the issue lists per deliverable, derived from its rounds."""

    status: DeliverableStatus
    overdue: bool
    due_on: date
    rounds: int
    rounds_to_acceptance: int | None
    first_pass: bool | None
    first_version_on_time: bool | None
    accepted_on_time: bool | None
    accepted_on: date | None
    first_submitted_on: date | None
    last_activity: date | None
    review_days: tuple[int, ...]
    rework_days: tuple[int, ...]
    final_quality: float | None
    latest_quality: float | None
    effort_hours: Decimal | None
    rework_share: float | None


# --- rubric and quality -------------------------------------------------------------------


def quality_score(scores: list[CriterionScore] | tuple[CriterionScore, ...]) -> float | None:
    """Weighted mean of 1-5 scores mapped to 0..100: (mean - 1) / 4 x 100; None without weight."""
    total_weight = sum(s.weight for s in scores)
    if not scores or total_weight <= 0:
        return None
    mean = sum(s.score * s.weight for s in scores) / total_weight
    return round((mean - SCORE_MIN) / (SCORE_MAX - SCORE_MIN) * 100, 2)


def rubric_problems(criteria: list[dict]) -> dict[str, str]:
    """Field errors for a rubric: names present and unique, weights 0..100, some weight."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    if not criteria:
        return {"criteria": "A rubric needs at least one criterion."}
    for index, criterion in enumerate(criteria):
        name = (criterion.get("name") or "").strip()
        weight = criterion.get("weight")
        if not name:
            problems[f"criteria-{index}-name"] = "Give the criterion a name."
        elif name.lower() in seen:
            problems[f"criteria-{index}-name"] = f"'{name}' appears twice; names must differ."
        seen.add(name.lower())
        if not isinstance(weight, int) or isinstance(weight, bool):
            problems[f"criteria-{index}-weight"] = "Give a whole-number weight."
        elif not 0 <= weight <= WEIGHT_MAX:
            problems[f"criteria-{index}-weight"] = f"Use a weight from 0 to {WEIGHT_MAX}."
    weights = [c.get("weight") for c in criteria if isinstance(c.get("weight"), int)]
    if "criteria" not in problems and weights and sum(weights) <= 0:
        problems["criteria"] = "At least one criterion needs a weight above 0."
    return problems


# --- what may follow what -----------------------------------------------------------------


def next_version(rounds: tuple[Round, ...] | list[Round]) -> int:
    """Versions are numbered 1, 2, 3... per deliverable."""
    return max((r.version for r in rounds), default=0) + 1


def new_version_refusal(rounds: tuple[Round, ...] | list[Round]) -> str | None:
    """Why no new version may be submitted now, or None when one may."""
    if not rounds:
        return None
    last = max(rounds, key=lambda r: r.version)
    if last.decision is None:
        return f"Version {last.version} is still in review; record its review first."
    if last.decision == Decision.ACCEPTED:
        return f"Version {last.version} was accepted; nothing follows an acceptance."
    if last.decision == Decision.REJECTED:
        return f"Version {last.version} was rejected; nothing follows a rejection."
    return None


def submission_problems(
    rounds: tuple[Round, ...] | list[Round],
    submitted_on: date | None,
    effort_hours: Decimal | None,
    today: date,
) -> dict[str, str]:
    """Field errors for a new version (the refusal above is checked separately)."""
    problems: dict[str, str] = {}
    if submitted_on is None:
        problems["submitted_on"] = "Give the date the version was submitted."
    elif submitted_on > today:
        problems["submitted_on"] = "A version cannot be submitted in the future."
    elif rounds:
        last = max(rounds, key=lambda r: r.version)
        if last.reviewed_on and submitted_on < last.reviewed_on:
            problems["submitted_on"] = (
                f"Version {last.version} was reviewed on {last.reviewed_on.isoformat()}; "
                "the next version cannot be submitted before that."
            )
    if effort_hours is not None and effort_hours < 0:
        problems["effort_hours"] = "Effort hours cannot be negative."
    return problems


def review_refusal(already_reviewed: bool, version: int) -> str | None:
    """One review per submission."""
    if already_reviewed:
        return f"Version {version} already has a review; a submission is reviewed once."
    return None


def review_problems(
    submitted_on: date,
    reviewed_on: date | None,
    decision: str | None,
    feedback: str,
    scores: dict[str, int | None],
    today: date,
) -> dict[str, str]:
    """Field errors for a review: dates, decision, feedback unless accepted, each score 1-5."""
    problems: dict[str, str] = {}
    if reviewed_on is None:
        problems["reviewed_on"] = "Give the date of the review."
    elif reviewed_on < submitted_on:
        problems["reviewed_on"] = (
            f"The review cannot be before the submission ({submitted_on.isoformat()})."
        )
    elif reviewed_on > today:
        problems["reviewed_on"] = "A review cannot be dated in the future."
    if decision not in {d.value for d in Decision}:
        problems["decision"] = "Choose accepted, changes requested or rejected."
    elif decision != Decision.ACCEPTED and not (feedback or "").strip():
        problems["feedback"] = "Say what must change (feedback is required unless accepted)."
    for name, score in scores.items():
        valid = isinstance(score, int) and not isinstance(score, bool)
        if not valid or not SCORE_MIN <= score <= SCORE_MAX:
            problems[f"score:{name}"] = f"Score {name} from {SCORE_MIN} to {SCORE_MAX}."
    return problems


# --- derived status and per-deliverable figures ------------------------------------------


def deliverable_status(rounds: tuple[Round, ...] | list[Round]) -> DeliverableStatus:
    """Not submitted, in review, changes requested, accepted or rejected, from the last round."""
    if not rounds:
        return DeliverableStatus.NOT_SUBMITTED
    last = max(rounds, key=lambda r: r.version)
    if last.decision is None:
        return DeliverableStatus.IN_REVIEW
    return DeliverableStatus(last.decision.value)


def is_overdue(status: DeliverableStatus, due_on: date, today: date) -> bool:
    """Overdue: the due date has passed and the deliverable is neither accepted nor rejected."""
    return due_on < today and status not in CLOSED


def _first_version_on_time(first: Round | None, due_on: date, today: date) -> bool | None:
    if first is not None:
        return first.submitted_on <= due_on
    # Nothing submitted: late once the due date has passed, undecided before.
    return False if due_on < today else None


def _turnaround(ordered: list[Round]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Days each review took, and days each rework took (review to the next version)."""
    review_days = tuple(
        (r.reviewed_on - r.submitted_on).days for r in ordered if r.reviewed_on is not None
    )
    rework_days = tuple(
        (later.submitted_on - earlier.reviewed_on).days
        for earlier, later in zip(ordered, ordered[1:], strict=False)
        if earlier.reviewed_on is not None
    )
    return review_days, rework_days


def _effort(ordered: list[Round]) -> tuple[Decimal | None, float | None]:
    """Reported effort hours over all versions, and the share spent on versions after the
    first (rework), in percent; None where no effort was reported."""
    reported = [r.effort_hours for r in ordered if r.effort_hours is not None]
    effort = sum(reported, Decimal(0)) if reported else None
    rework_hours = sum(
        (r.effort_hours for r in ordered[1:] if r.effort_hours is not None), Decimal(0)
    )
    if effort is None or effort <= 0:
        return effort, None
    return effort, round(float(rework_hours / effort * 100), 2)


def _last_activity(ordered: list[Round]) -> date | None:
    activity = [d for r in ordered for d in (r.submitted_on, r.reviewed_on) if d is not None]
    return max(activity) if activity else None


def deliverable_figures(
    rounds: tuple[Round, ...] | list[Round], due_on: date, today: date
) -> DeliverableFigures:
    """Per-deliverable figures: rounds, acceptance, punctuality, review/rework days, quality."""
    ordered = sorted(rounds, key=lambda r: r.version)
    status = deliverable_status(ordered)
    first = ordered[0] if ordered else None
    last = ordered[-1] if ordered else None
    closed_last = last if status in CLOSED else None
    accepted_last = last if status == DeliverableStatus.ACCEPTED else None
    review_days, rework_days = _turnaround(ordered)
    effort, rework_share = _effort(ordered)
    reviewed = [r for r in ordered if r.reviewed_on is not None]
    return DeliverableFigures(
        status=status,
        overdue=is_overdue(status, due_on, today),
        due_on=due_on,
        rounds=len(ordered),
        rounds_to_acceptance=len(ordered) if accepted_last else None,
        first_pass=(len(ordered) == 1) if accepted_last else None,
        first_version_on_time=_first_version_on_time(first, due_on, today),
        accepted_on_time=(accepted_last.submitted_on <= due_on) if accepted_last else None,
        accepted_on=accepted_last.reviewed_on if accepted_last else None,
        first_submitted_on=first.submitted_on if first else None,
        last_activity=_last_activity(ordered),
        review_days=review_days,
        rework_days=rework_days,
        final_quality=closed_last.quality if closed_last else None,
        latest_quality=reviewed[-1].quality if reviewed else None,
        effort_hours=effort,
        rework_share=rework_share,
    )


# --- aggregates ------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole * 100, 1) if whole else None


def _mean(values: list[float] | list[int]) -> float | None:
    return round(fmean(values), 2) if values else None


def review_stats(figures: list[DeliverableFigures]) -> ReviewStats:
    """Engagement or vendor aggregates; each is None ("no data") when nothing feeds it."""
    counts = Counter(f.status for f in figures)
    accepted = [f for f in figures if f.status == DeliverableStatus.ACCEPTED]
    first_decided = [f for f in figures if f.first_version_on_time is not None]
    closed_quality = [f.final_quality for f in figures if f.final_quality is not None]
    return _stats(figures, counts, accepted, first_decided, closed_quality)


def _stats(figures, counts, accepted, first_decided, closed_quality) -> ReviewStats:
    return ReviewStats(
        deliverables=len(figures),
        by_status={s.value: counts.get(s, 0) for s in DeliverableStatus},
        overdue=sum(1 for f in figures if f.overdue),
        accepted=len(accepted),
        first_pass_rate=_rate(sum(1 for f in accepted if f.first_pass), len(accepted)),
        mean_rounds_to_acceptance=_mean([f.rounds_to_acceptance for f in accepted]),
        on_time_first_rate=_rate(
            sum(1 for f in first_decided if f.first_version_on_time), len(first_decided)
        ),
        mean_review_days=_mean([d for f in figures for d in f.review_days]),
        mean_rework_days=_mean([d for f in figures for d in f.rework_days]),
        mean_final_quality=_mean(closed_quality),
        rounds_distribution=dict(sorted(Counter(f.rounds_to_acceptance for f in accepted).items())),
    )


def period_summary(
    figures: list[DeliverableFigures], first_day: date, last_day: date
) -> KpoVendorSummary:
    """A vendor's KPO figures for a period (the reporting scorecard's input).

    Accepted deliverables count by the accepting review's date; due ones by their due date.
    """
    accepted = [
        f for f in figures if f.accepted_on is not None and first_day <= f.accepted_on <= last_day
    ]
    due = [f for f in figures if first_day <= f.due_on <= last_day]
    # Only deliverables whose punctuality is known (submitted, or due date passed) feed the rate.
    decided = [f for f in due if f.first_version_on_time is not None]
    quality = [f.final_quality for f in accepted if f.final_quality is not None]
    return KpoVendorSummary(
        accepted=len(accepted),
        first_pass_rate=_rate(sum(1 for f in accepted if f.first_pass), len(accepted)),
        mean_rounds_to_acceptance=_mean([f.rounds_to_acceptance for f in accepted]),
        mean_quality=_mean(quality),
        due=len(due),
        on_time_first_rate=_rate(sum(1 for f in decided if f.first_version_on_time), len(decided)),
        overdue=sum(1 for f in figures if f.overdue),
    )


def action_item_overdue(due_on: date | None, done: bool, today: date) -> bool:
    """An open action item whose due date has passed."""
    return not done and due_on is not None and due_on < today
