"""KPO figures of many vendors or engagements at once, for reporting, in a fixed number of queries.

Period summaries are counted in SQL (grouped per vendor, one column set per period); the
per-engagement rows and review stats still come from the pure rules in `review.py`. Every SQL
figure is tested against those rules on the same data, so the numbers match the KPO pages.
"""

from collections import defaultdict
from datetime import date
from itertools import chain, repeat
from math import fsum

from sqlalchemy import (
    Float,
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
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
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


def overdue_expr(today: date):
    """SQL for `review.is_overdue`: due before today and the last round did not close it."""
    return and_(Deliverable.due_on < today, ~closed_by_last_round())


def vendor_period_summary(
    vendor_ids: list[int], first_day: date, last_day: date, today: date
) -> dict[int, KpoVendorSummary]:
    """Per vendor with KPO deliverables: `review.period_summary` of the period, in two queries
    (see `vendor_period_summaries`); the overdue count does not depend on the period."""
    return vendor_period_summaries(vendor_ids, [(first_day, last_day)], today)[0]


def _in(column, first_day: date, last_day: date):
    return and_(column >= first_day, column <= last_day)


def _count(condition):
    return func.sum(case((condition, 1), else_=0))


def vendor_period_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date
) -> list[dict[int, KpoVendorSummary]]:
    """`vendor_period_summary` for several (first day, last day) periods: two grouped queries in
    all, one column set per period, whatever the number of deliverables.

    The figures `review.period_summary` reads, per deliverable, in SQL:

    - accepted in the period: the latest version (highest number) was reviewed "accepted" on a
      day in it; rounds to acceptance = the number of versions; first pass = one version; the
      final quality = that review's score;
    - due in the period: its due date; the first version (lowest number) was on time when
      submitted on or before the due date; without versions the punctuality is decided (late)
      only once the due date has passed.

    Counts and the sum of rounds come back per vendor. The mean quality must equal the rules'
    `fmean` of floats to the last bit (it is rounded to 2 places, and means of 2-place values
    fall on .xx5 ties), so the accepted ones come back grouped by vendor and quality value and
    their mean is taken with `math.fsum` (exactly rounded, so order does not matter) over the
    same multiset. Tested against the rules in `tests/integration/test_kpo_summaries.py`.
    """
    if not vendor_ids or not periods:
        return [{} for _ in periods]
    span_first, span_last = min(a for a, _b in periods), max(b for _a, b in periods)
    scope = and_(Engagement.vendor_id.in_(list(vendor_ids)), Engagement.kind == Model.KPO)

    # Due side, and the overdue count (every deliverable of the vendor, not period bound).
    first_version = aliased(Submission)
    first_submitted = (
        select(first_version.submitted_on)
        .where(first_version.deliverable_id == Deliverable.id)
        .order_by(first_version.version)
        .limit(1)
        .correlate(Deliverable)
        .scalar_subquery()
    )
    per_deliverable = (
        select(
            Engagement.vendor_id.label("vendor_id"),
            Deliverable.due_on.label("due_on"),
            first_submitted.label("first_submitted"),
            case((overdue_expr(today), 1), else_=0).label("overdue"),
        )
        .join(Deliverable, Deliverable.engagement_id == Engagement.id)
        .where(scope)
        .subquery()
    )
    d = per_deliverable.c
    due_columns = []
    for first_day, last_day in periods:
        due = _in(d.due_on, first_day, last_day)
        due_columns += [
            _count(due),
            _count(and_(due, or_(d.first_submitted.is_not(None), d.due_on < today))),
            _count(and_(due, d.first_submitted <= d.due_on)),
        ]
    due_rows = db.session.execute(
        select(d.vendor_id, func.sum(d.overdue), *due_columns).group_by(d.vendor_id)
    ).all()

    # Accepted side: accepting reviews of the latest version dated in the periods' span.
    version, later, every = aliased(Submission), aliased(Submission), aliased(Submission)
    rounds = (
        select(func.count())
        .where(every.deliverable_id == version.deliverable_id)
        .correlate(version)
        .scalar_subquery()
    )
    per_acceptance = (
        select(
            Engagement.vendor_id.label("vendor_id"),
            Review.reviewed_on.label("accepted_on"),
            type_coerce(Review.quality_score, Float).label("quality"),
            rounds.label("rounds"),
        )
        .join(version, version.id == Review.submission_id)
        .join(Deliverable, Deliverable.id == version.deliverable_id)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(
            scope,
            Review.decision == rules.Decision.ACCEPTED,
            _in(Review.reviewed_on, span_first, span_last),
            ~exists().where(
                later.deliverable_id == version.deliverable_id, later.version > version.version
            ),
        )
        .subquery()
    )
    a = per_acceptance.c
    accepted_columns = []
    for first_day, last_day in periods:
        accepted = _in(a.accepted_on, first_day, last_day)
        accepted_columns += [
            _count(accepted),
            _count(and_(accepted, a.rounds == 1)),
            func.sum(case((accepted, a.rounds), else_=0)),
        ]
    accepted_rows = db.session.execute(
        select(a.vendor_id, a.quality, *accepted_columns).group_by(a.vendor_id, a.quality)
    ).all()

    summaries: list[dict[int, KpoVendorSummary]] = []
    for n, _period in enumerate(periods):
        totals: dict[int, list] = defaultdict(lambda: [0, 0, 0, []])
        for vendor_id, quality, *columns in accepted_rows:
            count, first_pass, rounds_sum = columns[3 * n : 3 * n + 3]
            if not count:
                continue
            entry = totals[vendor_id]
            entry[0] += count
            entry[1] += int(first_pass)
            entry[2] += int(rounds_sum)
            if quality is not None:
                entry[3].append((float(quality), int(count)))
        summary: dict[int, KpoVendorSummary] = {}
        for vendor_id, overdue, *columns in due_rows:
            due, decided, on_time = (int(v or 0) for v in columns[3 * n : 3 * n + 3])
            accepted, first_pass, rounds_sum, qualities = totals.get(vendor_id, (0, 0, 0, []))
            quality_count = sum(c for _q, c in qualities)
            summary[vendor_id] = KpoVendorSummary(
                accepted=accepted,
                first_pass_rate=_rate(first_pass, accepted),
                mean_rounds_to_acceptance=_mean(float(rounds_sum), accepted),
                mean_quality=_mean(
                    fsum(chain.from_iterable(repeat(q, c) for q, c in qualities)), quality_count
                ),
                due=due,
                on_time_first_rate=_rate(on_time, decided),
                overdue=int(overdue or 0),
            )
        summaries.append(summary)
    return summaries


def _rate(part: int, whole: int) -> float | None:
    """As `review._rate`."""
    return round(part / whole * 100, 1) if whole else None


def _mean(total: float, count: int) -> float | None:
    """As `review._mean` given the values' `math.fsum` (what `statistics.fmean` divides)."""
    return round(total / count, 2) if count else None


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
