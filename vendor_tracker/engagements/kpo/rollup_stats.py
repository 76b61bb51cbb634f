"""Engagements' review statistics (`review.review_stats`) read from the monthly rollups, in two
queries whatever the number of deliverables and rounds.

The rollups hold everything but what depends on today: overdue is the open deliverables of past
months plus those of the running month due before today, and a deliverable never submitted counts
as late (decided) once its due date has passed; both are read live for the running month only.
"""

from collections import Counter
from datetime import date

from sqlalchemy import and_, case, exists, func, select

from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup
from vendor_tracker.engagements.kpo.rollup_reads import _closed_by_last_round
from vendor_tracker.engagements.kpo.rollup_rules import (
    STATUS_FIELD,
    exact_mean,
    histogram_counts,
    month_of,
    rate,
)
from vendor_tracker.extensions import db


def _mean(total: int, count: int) -> float | None:
    """`review._mean` of whole numbers given their sum (fsum of integers is exact)."""
    return round(total / count, 2) if count else None


def _running_month(engagement_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    """{engagement: (open, never submitted)} of deliverables due this month before today."""
    submitted = exists().where(Submission.deliverable_id == Deliverable.id)
    rows = db.session.execute(
        select(
            Deliverable.engagement_id,
            func.sum(case((~_closed_by_last_round(), 1), else_=0)),
            func.sum(case((~submitted, 1), else_=0)),
        )
        .where(
            Deliverable.engagement_id.in_(engagement_ids),
            and_(Deliverable.due_on >= month_of(today), Deliverable.due_on < today),
        )
        .group_by(Deliverable.engagement_id)
    ).all()
    return {eid: (int(open_ or 0), int(unsent or 0)) for eid, open_, unsent in rows}


def _stats(rows, running: tuple[int, int], this_month: date) -> rules.ReviewStats:
    by_status = {s.value: sum(getattr(r, STATUS_FIELD[s]) for r in rows) for s in STATUS_FIELD}
    past = [r for r in rows if r.month < this_month]
    open_past = sum(r.due_not_submitted + r.due_in_review + r.due_changes_requested for r in past)
    deliverables = sum(by_status.values())
    accepted = sum(r.accepted for r in rows)
    unsent = by_status[rules.DeliverableStatus.NOT_SUBMITTED.value]
    decided = deliverables - unsent + sum(r.due_not_submitted for r in past) + running[1]
    histogram = Counter()
    for r in rows:
        histogram.update(histogram_counts(r.accepted_rounds_histogram))
    return rules.ReviewStats(
        deliverables=deliverables,
        by_status=by_status,
        overdue=open_past + running[0],
        accepted=accepted,
        first_pass_rate=rate(sum(r.accepted_first_pass for r in rows), accepted),
        mean_rounds_to_acceptance=_mean(sum(r.accepted_rounds for r in rows), accepted),
        on_time_first_rate=rate(sum(r.due_on_time for r in rows), decided),
        mean_review_days=_mean(
            sum(r.review_days_sum for r in rows), sum(r.review_days_count for r in rows)
        ),
        mean_rework_days=_mean(
            sum(r.rework_days_sum for r in rows), sum(r.rework_days_count for r in rows)
        ),
        mean_final_quality=exact_mean(
            sum(r.closed_quality_hundredths for r in rows),
            sum(r.closed_quality_residue for r in rows),
            sum(r.closed_quality_count for r in rows),
        ),
        rounds_distribution=dict(sorted(histogram.items())),
    )


def engagement_review_stats_many(
    engagement_ids: list[int], today: date
) -> dict[int, rules.ReviewStats]:
    """`review.review_stats` of each engagement's deliverables, from its rollup months and the
    running month read live; two queries."""
    ids = list(dict.fromkeys(engagement_ids))
    if not ids:
        return {}
    this_month = month_of(today)
    rows: dict[int, list] = {eid: [] for eid in ids}
    # Plain rows, not ORM objects: the rollups are written beside the ORM (in the flush), so an
    # object loaded earlier in the session could hold figures from before a write.
    table = KpoMonthlyRollup.__table__
    for row in db.session.execute(select(table).where(table.c.engagement_id.in_(ids))):
        rows[row.engagement_id].append(row)
    running = _running_month(ids, today)
    return {eid: _stats(rows[eid], running.get(eid, (0, 0)), this_month) for eid in ids}
