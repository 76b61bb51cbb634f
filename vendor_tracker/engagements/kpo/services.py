"""Loading KPO rows and applying the review rules: rounds, per-deliverable figures, review
statistics, the rubric, and the needs-attention items. Writes of deliverables, versions and
reviews are in `writes`, the collaboration log in `collaboration`.

Reads issue a fixed number of queries whatever the number of deliverables or rounds: rounds are
fetched as plain columns in one query and turned into `review.Round` values.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from vendor_tracker.auth.models import User
from vendor_tracker.auth.scope import scope_filter
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.models import (
    Deliverable,
    Review,
    RubricCriterion,
    Submission,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model

CLOSING = (rules.Decision.ACCEPTED, rules.Decision.REJECTED)


@dataclass(frozen=True)
class DeliverableRow:
    """A deliverable as the table and the API list show it."""

    id: int
    title: str
    type: rules.DeliverableType
    due_on: date
    lead_reviewer: str | None
    lead_reviewer_id: int | None
    version: int
    figures: rules.DeliverableFigures


def is_kpo(engagement: Engagement | None) -> bool:
    """True for an existing KPO engagement."""
    return engagement is not None and Model(engagement.kind) == Model.KPO


# --- reading rounds ------------------------------------------------------------------------


def _round_columns():
    return select(
        Submission.deliverable_id,
        Submission.version,
        Submission.submitted_on,
        Submission.effort_hours,
        Review.reviewed_on,
        Review.decision,
        Review.quality_score,
    ).outerjoin(Review, Review.submission_id == Submission.id)


def _group_rounds(rows) -> dict[int, list[rules.Round]]:
    grouped: dict[int, list[rules.Round]] = defaultdict(list)
    for deliverable_id, version, submitted, hours, reviewed, decision, quality in rows:
        grouped[deliverable_id].append(
            rules.Round(
                version=version,
                submitted_on=submitted,
                effort_hours=Decimal(hours) if hours is not None else None,
                reviewed_on=reviewed,
                decision=rules.Decision(decision) if decision else None,
                quality=float(quality) if quality is not None else None,
            )
        )
    return grouped


def rounds_for_deliverable(deliverable: Deliverable) -> list[rules.Round]:
    """The rounds of a deliverable from its loaded submissions and reviews."""
    return [
        rules.Round(
            version=s.version,
            submitted_on=s.submitted_on,
            effort_hours=s.effort_hours,
            reviewed_on=s.review.reviewed_on if s.review else None,
            decision=rules.Decision(s.review.decision) if s.review else None,
            quality=float(s.review.quality_score)
            if s.review and s.review.quality_score is not None
            else None,
        )
        for s in sorted(deliverable.submissions, key=lambda s: s.version)
    ]


def load_deliverable(deliverable_id: int) -> Deliverable | None:
    """A deliverable with its engagement, versions, reviews, reviewers and scores."""
    return db.session.execute(
        select(Deliverable)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(Deliverable.id == deliverable_id, scope_filter(Engagement.vendor_id))
        .options(
            selectinload(Deliverable.engagement).selectinload(Engagement.vendor),
            selectinload(Deliverable.lead_reviewer),
            selectinload(Deliverable.submissions).selectinload(Submission.submitted_by),
            selectinload(Deliverable.submissions)
            .selectinload(Submission.review)
            .options(selectinload(Review.scores), selectinload(Review.reviewer)),
        )
    ).scalar_one_or_none()


def load_submission(submission_id: int) -> Submission | None:
    """A submission with its review and deliverable."""
    return db.session.execute(
        select(Submission)
        .join(Deliverable, Deliverable.id == Submission.deliverable_id)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(Submission.id == submission_id, scope_filter(Engagement.vendor_id))
        .options(selectinload(Submission.review), selectinload(Submission.deliverable))
    ).scalar_one_or_none()


def engagement_rounds(engagement_id: int) -> dict[int, list[rules.Round]]:
    """Every round of every deliverable of an engagement, by deliverable id, in one query."""
    return _group_rounds(
        db.session.execute(
            _round_columns()
            .join(Deliverable, Deliverable.id == Submission.deliverable_id)
            .where(Deliverable.engagement_id == engagement_id)
        ).all()
    )


def engagement_rows(
    engagement_id: int, today: date, rounds: dict[int, list[rules.Round]] | None = None
) -> list[DeliverableRow]:
    """Every deliverable of an engagement with its figures, in two queries (one with `rounds`)."""
    deliverables = db.session.execute(
        select(
            Deliverable.id,
            Deliverable.title,
            Deliverable.type,
            Deliverable.due_on,
            Deliverable.lead_reviewer_id,
            Deliverable.version,
            func.coalesce(func.nullif(User.name, ""), User.email),
        )
        .outerjoin(User, User.id == Deliverable.lead_reviewer_id)
        .where(Deliverable.engagement_id == engagement_id)
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    if rounds is None:
        rounds = engagement_rounds(engagement_id)
    return [
        DeliverableRow(
            id=d_id,
            title=title,
            type=rules.DeliverableType(kind),
            due_on=due_on,
            lead_reviewer=reviewer_name,
            lead_reviewer_id=reviewer_id,
            version=version,
            figures=rules.deliverable_figures(rounds.get(d_id, []), due_on, today),
        )
        for d_id, title, kind, due_on, reviewer_id, version, reviewer_name in deliverables
    ]


def engagement_review_stats(engagement_id: int, today: date) -> rules.ReviewStats:
    """Aggregates of one engagement's deliverables."""
    return rules.review_stats([row.figures for row in engagement_rows(engagement_id, today)])


def _vendor_figures(vendor_ids: list[int], today: date) -> dict[int, list]:
    """Per vendor, the figures of every deliverable of its KPO engagements (two queries)."""
    if not vendor_ids:
        return {}
    scope = and_(Engagement.vendor_id.in_(vendor_ids), Engagement.kind == Model.KPO)
    deliverables = db.session.execute(
        select(Deliverable.id, Deliverable.due_on, Engagement.vendor_id)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(scope)
    ).all()
    rounds = _group_rounds(
        db.session.execute(
            _round_columns()
            .join(Deliverable, Deliverable.id == Submission.deliverable_id)
            .join(Engagement, Engagement.id == Deliverable.engagement_id)
            .where(scope)
        ).all()
    )
    result: dict[int, list] = defaultdict(list)
    for d_id, due_on, vendor_id in deliverables:
        result[vendor_id].append(rules.deliverable_figures(rounds.get(d_id, []), due_on, today))
    return result


def vendor_review_stats(vendor_id: int, today: date) -> rules.ReviewStats | None:
    """Aggregates over all of a vendor's KPO engagements; None when it has no deliverables."""
    figures = _vendor_figures([vendor_id], today).get(vendor_id)
    return rules.review_stats(figures) if figures else None


def vendor_kpo_summary(
    vendor_ids: list[int], first_day: date, last_day: date, today: date
) -> dict[int, KpoVendorSummary]:
    """Per vendor: accepted, first-pass rate, rounds, quality, due, on-time rate, overdue.

    Counted in grouped SQL (`summaries.vendor_period_summaries`), tested against the pure rules.
    """
    from vendor_tracker.engagements.kpo.summaries import vendor_period_summary

    return vendor_period_summary(list(vendor_ids), first_day, last_day, today)


def vendor_kpo_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date
) -> list[dict[int, KpoVendorSummary]]:
    """`vendor_kpo_summary` for several (first day, last day) periods, in one pass."""
    from vendor_tracker.engagements.kpo.summaries import vendor_period_summaries

    return vendor_period_summaries(list(vendor_ids), periods, today)


def provider_due_deliverables(
    vendor_id: int, today: date, engagement_id: int | None = None
) -> list:
    """The vendor's open KPO deliverables due within two weeks or overdue (`due.DueDeliverable`
    items, earliest first), for the provider's home page and engagement pages."""
    from vendor_tracker.engagements.kpo.due import provider_due_deliverables as due

    return due(vendor_id, today, engagement_id=engagement_id)


# --- rubric ----------------------------------------------------------------------------------


def rubric_for(engagement_id: int) -> list[RubricCriterion]:
    """The engagement's criteria in display order."""
    return list(
        db.session.execute(
            select(RubricCriterion)
            .where(RubricCriterion.engagement_id == engagement_id)
            .order_by(RubricCriterion.position, RubricCriterion.id)
        ).scalars()
    )


def ensure_rubric(engagement: Engagement, criteria: list[dict] | None = None) -> list:
    """Give a KPO engagement its rubric (the default one when `criteria` is None), once."""
    existing = rubric_for(engagement.id)
    if existing:
        return existing
    if criteria is None:
        from vendor_tracker.core.reference import load_json

        criteria = load_json("default_rubric.json")
    created = [
        RubricCriterion(
            engagement_id=engagement.id,
            position=index,
            name=row["name"].strip(),
            weight=int(row["weight"]),
            description=row.get("description", ""),
        )
        for index, row in enumerate(criteria)
    ]
    db.session.add_all(created)
    db.session.flush()
    return created


def replace_rubric(engagement: Engagement, criteria: list[dict]) -> list[RubricCriterion]:
    """Set the engagement's criteria; past reviews keep what they were scored on."""
    cleaned = [
        {
            "name": (row.get("name") or "").strip(),
            "weight": row.get("weight"),
            "description": (row.get("description") or "").strip(),
        }
        for row in criteria
    ]
    problems = rules.rubric_problems(cleaned)
    if problems:
        raise Refusal(NOT_VALID, problems)
    existing = {c.name.lower(): c for c in rubric_for(engagement.id)}
    keep = set()
    for index, row in enumerate(cleaned):
        criterion = existing.get(row["name"].lower())
        if criterion is None:
            criterion = RubricCriterion(engagement_id=engagement.id)
            db.session.add(criterion)
        keep.add(row["name"].lower())
        criterion.position = index
        criterion.name = row["name"]
        criterion.weight = row["weight"]
        criterion.description = row["description"]
    for key, criterion in existing.items():
        if key not in keep:
            db.session.delete(criterion)
    db.session.flush()
    return rubric_for(engagement.id)


# --- needs attention -------------------------------------------------------------------------


def attention_items(today: date) -> list[InboxItem]:
    """Overdue deliverables and overdue action items, for the needs-attention inbox (the
    counted and paged forms are in `kpo.attention`)."""
    from vendor_tracker.engagements.kpo.attention import attention_items as every_item

    return every_item(today)
