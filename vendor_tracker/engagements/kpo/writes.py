"""Writing KPO deliverables, their versions and the reviews that close each round.

Every write checks the review rules (`review.py`) and flushes; the request commits once.
"""

from datetime import date
from decimal import Decimal

from vendor_tracker.auth.models import User
from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.engagements.kpo import notices
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.models import Deliverable, Review, ReviewScore, Submission
from vendor_tracker.engagements.kpo.services import (
    ensure_rubric,
    is_kpo,
    rounds_for_deliverable,
    rubric_for,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


def _check_reviewer(user_id: int | None) -> None:
    if user_id is None:
        return
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        raise Refusal(NOT_VALID, {"lead_reviewer_id": "Choose an active user as lead reviewer."})


def create_deliverable(engagement: Engagement, data: dict) -> Deliverable:
    """Add a deliverable to a KPO engagement (and give the engagement a rubric if it has none)."""
    if not is_kpo(engagement):
        raise Refusal("Deliverables belong to KPO engagements.", conflict=True)
    _check_reviewer(data.get("lead_reviewer_id"))
    deliverable = Deliverable(engagement_id=engagement.id, **data)
    db.session.add(deliverable)
    ensure_rubric(engagement)
    db.session.flush()
    return deliverable


def update_deliverable(deliverable: Deliverable, data: dict) -> Deliverable:
    """Change a deliverable's plan (title, type, due date, lead reviewer, description)."""
    if "lead_reviewer_id" in data:
        _check_reviewer(data["lead_reviewer_id"])
    for key, value in data.items():
        setattr(deliverable, key, value)
    db.session.flush()
    return deliverable


def delete_deliverable(deliverable: Deliverable) -> None:
    """Remove a deliverable with its versions and reviews."""
    db.session.delete(deliverable)
    db.session.flush()


def submit_version(
    deliverable: Deliverable,
    submitted_on: date | None,
    summary: str,
    reference: str,
    effort_hours: Decimal | None,
    today: date,
    submitted_by: User | None = None,
) -> Submission:
    """Record the next version; refused unless the previous round ended in changes requested.

    `submitted_by` is who recorded it: the provider's user delivering it, or a client user.
    """
    rounds = rounds_for_deliverable(deliverable)
    refusal = rules.new_version_refusal(rounds)
    if refusal:
        raise Refusal(refusal, conflict=True)
    problems = rules.submission_problems(rounds, submitted_on, effort_hours, today)
    if problems:
        raise Refusal(NOT_VALID, problems)
    submission = Submission(
        deliverable=deliverable,
        version=rules.next_version(rounds),
        submitted_on=submitted_on,
        summary=(summary or "").strip(),
        reference=(reference or "").strip(),
        effort_hours=effort_hours,
        submitted_by_id=submitted_by.id if submitted_by else None,
    )
    db.session.add(submission)
    db.session.flush()
    notices.version_submitted(submission, submitted_by)
    return submission


def record_review(
    submission: Submission,
    reviewer: User | None,
    reviewed_on: date | None,
    decision: str | None,
    feedback: str,
    scores: dict[str, int | None],
    today: date,
) -> Review:
    """Close a round: one review per submission, every current rubric criterion scored 1-5."""
    refusal = rules.review_refusal(submission.review is not None, submission.version)
    if refusal:
        raise Refusal(refusal, conflict=True)
    deliverable = submission.deliverable
    criteria = rubric_for(deliverable.engagement_id) or ensure_rubric(deliverable.engagement)
    wanted = {c.name: scores.get(c.name) for c in criteria}
    problems = rules.review_problems(
        submission.submitted_on, reviewed_on, decision, feedback, wanted, today
    )
    unknown = sorted(set(scores) - set(wanted))
    if unknown:
        problems["scores"] = "Not criteria of this rubric: " + ", ".join(unknown) + "."
    if problems:
        raise Refusal(NOT_VALID, problems)
    scored = [rules.CriterionScore(c.name, c.weight, wanted[c.name]) for c in criteria]
    quality = rules.quality_score(scored)
    review = Review(
        submission=submission,
        deliverable_id=deliverable.id,
        reviewer_id=reviewer.id if reviewer else None,
        reviewed_on=reviewed_on,
        decision=rules.Decision(decision),
        feedback=(feedback or "").strip(),
        quality_score=Decimal(str(quality)) if quality is not None else None,
        scores=[ReviewScore(criterion_name=s.name, weight=s.weight, score=s.score) for s in scored],
    )
    db.session.add(review)
    db.session.flush()
    notices.version_reviewed(review, reviewer)
    return review
