"""KPO figures of many vendors or engagements at once, for reporting, in a fixed number of queries.

SQL only narrows the rows (the deliverables a period can count); every figure still comes from
the pure rules in `review.py`, so the numbers match the KPO pages exactly.
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import (
    Float,
    String,
    TypeDecorator,
    and_,
    case,
    exists,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased

from vendor_tracker.auth.models import User
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.models import Deliverable, Review, Submission
from vendor_tracker.engagements.kpo.services import (
    CLOSING,
    DeliverableRow,
    _group_rounds,
    _round_columns,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model


class PlainDate(TypeDecorator):
    """A date column read with `date.fromisoformat` where the driver hands back text (SQLite).

    SQLAlchemy's SQLite date parsing costs microseconds per value; period summaries read tens of
    thousands. PostgreSQL drivers already return dates, which pass through unchanged.
    """

    impl = String
    cache_ok = True

    def process_result_value(self, value, _dialect):
        return date.fromisoformat(value) if isinstance(value, str) else value


def closed_by_last_round():
    """SQL: the deliverable's latest version was reviewed accepted or rejected (status closed)."""
    # Aliases, so the expression stays correlated to the deliverable in any enclosing query.
    version, later, verdict = aliased(Submission), aliased(Submission), aliased(Review)
    return exists().where(
        version.deliverable_id == Deliverable.id,
        verdict.submission_id == version.id,
        verdict.decision.in_(CLOSING),
        # Correlated to the submission (not the deliverable) so SQL reads it by index.
        ~exists().where(
            later.deliverable_id == version.deliverable_id, later.version > version.version
        ),
    )


def counted_in_period(first_day: date, last_day: date):
    """SQL: deliverables `review.period_summary` counts as due or accepted in the period.

    Due in the period, or with an accepting review dated in it (a superset: the rules check that
    the acceptance is the deliverable's last round).
    """
    acceptance = aliased(Review)
    # One pass over the reviews rather than a probe per deliverable.
    accepted_in_period = Deliverable.id.in_(
        select(acceptance.deliverable_id).where(
            acceptance.decision == rules.Decision.ACCEPTED,
            acceptance.reviewed_on >= first_day,
            acceptance.reviewed_on <= last_day,
        )
    )
    return or_(
        and_(Deliverable.due_on >= first_day, Deliverable.due_on <= last_day),
        accepted_in_period,
    )


def overdue_expr(today: date):
    """SQL for `review.is_overdue`: due before today and the last round did not close it."""
    return and_(Deliverable.due_on < today, ~closed_by_last_round())


def vendor_period_summary(
    vendor_ids: list[int], first_day: date, last_day: date, today: date
) -> dict[int, dict]:
    """Per vendor with KPO deliverables: `review.period_summary` of the period, in two queries.

    The rules see only the deliverables due or accepted in the period, with their rounds; the
    overdue count (which does not depend on the period) is counted in SQL by `overdue_expr`,
    tested against the rules on the same data.
    """
    return vendor_period_summaries(vendor_ids, [(first_day, last_day)], today)[0]


def vendor_period_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date
) -> list[dict[int, dict]]:
    """`vendor_period_summary` for several (first day, last day) periods: two queries in all,
    each deliverable's figures worked out once."""
    if not vendor_ids or not periods:
        return [{} for _ in periods]
    first_day, last_day = min(a for a, _b in periods), max(b for _a, b in periods)
    scope = and_(Engagement.vendor_id.in_(list(vendor_ids)), Engagement.kind == Model.KPO)
    per_vendor = db.session.execute(
        select(
            Engagement.vendor_id,
            func.sum(case((overdue_expr(today), 1), else_=0)),
        )
        .join(Deliverable, Deliverable.engagement_id == Engagement.id)
        .where(scope)
        .group_by(Engagement.vendor_id)
    ).all()
    rows = db.session.execute(
        select(
            Deliverable.id,
            type_coerce(Deliverable.due_on, PlainDate),
            Engagement.vendor_id,
            Submission.version,
            type_coerce(Submission.submitted_on, PlainDate),
            type_coerce(Review.reviewed_on, PlainDate),
            type_coerce(Review.decision, String),
            type_coerce(Review.quality_score, Float),
        )
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .outerjoin(Submission, Submission.deliverable_id == Deliverable.id)
        .outerjoin(Review, Review.submission_id == Submission.id)
        .where(scope, counted_in_period(first_day, last_day))
    ).all()
    rounds: dict[int, list[rules.Round]] = defaultdict(list)
    due: dict[int, tuple[date, int]] = {}
    for d_id, due_on, vendor_id, version, submitted, reviewed, decision, quality in rows:
        due[d_id] = (due_on, vendor_id)
        if version is not None:  # effort hours do not enter the period figures
            rounds[d_id].append(
                rules.Round(
                    version=version,
                    submitted_on=submitted,
                    reviewed_on=reviewed,
                    decision=rules.Decision(decision) if decision else None,
                    quality=float(quality) if quality is not None else None,
                )
            )
    figures: dict[int, list] = {vendor_id: [] for vendor_id, _overdue in per_vendor}
    for d_id, (due_on, vendor_id) in due.items():
        figures[vendor_id].append(rules.deliverable_figures(rounds.get(d_id, []), due_on, today))
    summaries = []
    for period_first, period_last in periods:
        summary = {}
        for vendor_id, overdue in per_vendor:
            entry = rules.period_summary(figures[vendor_id], period_first, period_last)
            entry["overdue"] = int(overdue or 0)
            summary[vendor_id] = entry
        summaries.append(summary)
    return summaries


def deliverable_rows(engagement_ids: list[int], today: date) -> dict[int, list[DeliverableRow]]:
    """Per engagement every deliverable with its figures (as `services.engagement_rows`), due
    date order; two queries whatever the number of engagements."""
    ids = list(dict.fromkeys(engagement_ids))
    found: dict[int, list[DeliverableRow]] = {eid: [] for eid in ids}
    if not ids:
        return found
    deliverables = db.session.execute(
        select(
            Deliverable.engagement_id,
            Deliverable.id,
            Deliverable.title,
            Deliverable.type,
            Deliverable.due_on,
            Deliverable.lead_reviewer_id,
            Deliverable.version,
            func.coalesce(func.nullif(User.name, ""), User.email),
        )
        .outerjoin(User, User.id == Deliverable.lead_reviewer_id)
        .where(Deliverable.engagement_id.in_(ids))
        .order_by(Deliverable.engagement_id, Deliverable.due_on, Deliverable.id)
    ).all()
    rounds = _group_rounds(
        db.session.execute(
            _round_columns()
            .join(Deliverable, Deliverable.id == Submission.deliverable_id)
            .where(Deliverable.engagement_id.in_(ids))
        ).all()
    )
    for eid, d_id, title, kind, due_on, reviewer_id, version, reviewer_name in deliverables:
        found[eid].append(
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
        )
    return found


def engagement_review_stats_many(
    engagement_ids: list[int], today: date
) -> dict[int, rules.ReviewStats]:
    """`review.review_stats` of each engagement (as `services.engagement_review_stats`)."""
    return {
        eid: rules.review_stats([row.figures for row in rows])
        for eid, rows in deliverable_rows(engagement_ids, today).items()
    }
