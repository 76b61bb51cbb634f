"""KPO figures of many vendors or engagements at once, for reporting, in a fixed number of queries.

Period summaries are read from the monthly rollups (`rollup_reads`); the per-engagement rows and
review stats still come from the pure rules in `review.py`. Every figure is tested against those
rules on the same data, so the numbers match the KPO pages.
"""

from datetime import date

from sqlalchemy import func, select

from vendor_tracker.auth.models import User
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import rollup_reads, rollup_stats
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.engagements.kpo.services import (
    DeliverableRow,
    _group_rounds,
    _round_columns,
)
from vendor_tracker.extensions import db


def vendor_period_summary(
    vendor_ids: list[int], first_day: date, last_day: date, today: date
) -> dict[int, KpoVendorSummary]:
    """Per vendor with KPO deliverables: `review.period_summary` of the period (see
    `vendor_period_summaries`); the overdue count does not depend on the period."""
    return vendor_period_summaries(vendor_ids, [(first_day, last_day)], today)[0]


def vendor_period_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date
) -> list[dict[int, KpoVendorSummary]]:
    """`vendor_period_summary` for several (first day, last day) periods, in three queries
    whatever the amount of history: whole months from the monthly rollups, the days of a cut
    month and of the running month live (`rollup_reads`). Tested against the rules in
    `tests/integration/test_kpo_summaries.py`."""
    return rollup_reads.vendor_period_summaries(list(vendor_ids), periods, today)


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
    """`review.review_stats` of each engagement (as `services.engagement_review_stats`), from the
    monthly rollups and the running month read live (`rollup_stats`); two queries."""
    return rollup_stats.engagement_review_stats_many(engagement_ids, today)
