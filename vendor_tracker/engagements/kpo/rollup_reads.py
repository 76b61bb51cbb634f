"""Vendors' KPO period summaries read from the monthly rollups, in three queries whatever the
amount of history.

A period's whole months before and after the running month come from `kpo_monthly_rollups`
(one grouped query, one column set per period). What a month cannot hold exactly is read live
from the deliverables, and is at most a month or two: the days of a month cut by the period,
and the running month, where "overdue" and "late without a version" depend on today. Overdue
is the open deliverables of the past months (rollups) plus those of the running month due
before today (live).
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import (
    Float,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased

from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.models import Deliverable, Review, Submission
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup as R
from vendor_tracker.engagements.kpo.rollup_rules import Tally, month_of, split_period
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model

Ranges = list[tuple[date, date]]


def _sum(condition, value):
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _within(column, runs: Ranges):
    return or_(false(), *(and_(column >= a, column <= b) for a, b in runs))


def _scope(vendor_ids: list[int]):
    return and_(Engagement.vendor_id.in_(vendor_ids), Engagement.kind == Model.KPO)


# Per vendor and run of whole months, in `_runs_select`.
RUN_SUMS = (
    "due",
    "due_not_submitted",
    "due_on_time",
    "accepted",
    "accepted_first_pass",
    "accepted_rounds",
    "accepted_quality_count",
    "accepted_quality_hundredths",
    "accepted_quality_residue",
)
LIVE_DUE_COLUMNS = 3  # per period, in `_live_due_select`


def _open_count():
    return R.due_not_submitted + R.due_in_review + R.due_changes_requested


def _presence_select(vendor_ids: list[int], this_month: date):
    """Per vendor with KPO deliverables: its open deliverables due before the running month."""
    return (
        select(
            literal("past").label("source"),
            Engagement.vendor_id,
            literal(-1).label("run"),
            _sum(R.month < this_month, _open_count()),
        )
        .join(R, R.engagement_id == Engagement.id)
        .where(_scope(vendor_ids))
        .group_by(Engagement.vendor_id)
    )


def _runs_select(vendor_ids: list[int], runs: Ranges):
    """Per vendor and run of whole months (numbered in `runs` order): the `RUN_SUMS`.

    The runs are joined as a small table rather than tested in one CASE per period and figure:
    each rollup row then meets only the runs it falls in.
    """
    table = union_all(
        *(
            select(
                literal(n).label("run"),
                literal(first, R.month.type).label("first_month"),
                literal(last, R.month.type).label("last_month"),
            )
            for n, (first, last) in enumerate(runs)
        )
    ).subquery("runs")
    sums = {"due": _open_count() + R.due_accepted + R.due_rejected}
    columns = [func.sum(sums.get(name, getattr(R, name, None))) for name in RUN_SUMS]
    return (
        select(literal("runs").label("source"), Engagement.vendor_id, table.c.run, *columns)
        .join(R, R.engagement_id == Engagement.id)
        .join(table, and_(R.month >= table.c.first_month, R.month <= table.c.last_month))
        .where(_scope(vendor_ids))
        .group_by(Engagement.vendor_id, table.c.run)
    )


def _add_run(tally: Tally, future: bool, values: list[int]) -> None:
    sums = dict(zip(RUN_SUMS, values, strict=False))
    tally.due += sums["due"]
    # What was never submitted is late once its due date passed (every day of a past month).
    tally.decided += sums["due"] - (sums["due_not_submitted"] if future else 0)
    tally.on_time += sums["due_on_time"]
    tally.accepted += sums["accepted"]
    tally.first_pass += sums["accepted_first_pass"]
    tally.rounds += sums["accepted_rounds"]
    tally.quality_count += sums["accepted_quality_count"]
    tally.quality_hundredths += sums["accepted_quality_hundredths"]
    tally.quality_residue += sums["accepted_quality_residue"]


def _add_live_due_row(tallies, sums: list[int]) -> None:
    for n, tally in enumerate(tallies):
        due, decided, on_time = sums[LIVE_DUE_COLUMNS * n : LIVE_DUE_COLUMNS * (n + 1)]
        tally.due += due
        tally.decided += decided
        tally.on_time += on_time


def _padded(stmt, used: int, width: int):
    return stmt.add_columns(*[literal(0)] * (width - used))


def _due_side(vendor_ids, whole: list[Ranges], live: list[Ranges], today: date):
    """Per period {vendor: tally of the due side and of the rollup months' acceptances}, and
    {vendor: overdue}, in one query (the rollup sums and the live days, united)."""
    this_month = month_of(today)
    # Each run of whole months lies wholly before or wholly after the running month.
    runs = [(n, run) for n, period_runs in enumerate(whole) for run in period_runs]
    width = max(len(RUN_SUMS), 1 + LIVE_DUE_COLUMNS * len(live))
    parts = [_padded(_presence_select(vendor_ids, this_month), 1, width)]
    if runs:
        parts.append(_padded(_runs_select(vendor_ids, [r for _n, r in runs]), 9, width))
    live_due = _live_due_select(vendor_ids, live, today)
    parts.append(_padded(live_due, 1 + LIVE_DUE_COLUMNS * len(live), width))
    tallies: list[dict[int, Tally]] = [defaultdict(Tally) for _ in whole]
    overdue: dict[int, int] = {}
    for source, vendor_id, run, *sums in db.session.execute(union_all(*parts)):
        values = [int(v or 0) for v in sums]
        if source == "runs":
            period, (first, _last) = runs[run]
            _add_run(tallies[period][vendor_id], first > this_month, values)
            continue
        overdue[vendor_id] = overdue.get(vendor_id, 0) + values[0]
        if source == "live":
            _add_live_due_row([t[vendor_id] for t in tallies], values[1:])
    return tallies, overdue


def _first_submitted():
    first_version = aliased(Submission)
    return (
        select(first_version.submitted_on)
        .where(first_version.deliverable_id == Deliverable.id)
        .order_by(first_version.version)
        .limit(1)
        .correlate(Deliverable)
        .scalar_subquery()
    )


def _closed_by_last_round():
    version, later, verdict = aliased(Submission), aliased(Submission), aliased(Review)
    return exists().where(
        version.deliverable_id == Deliverable.id,
        verdict.submission_id == version.id,
        verdict.decision.in_((rules.Decision.ACCEPTED, rules.Decision.REJECTED)),
        ~exists().where(
            later.deliverable_id == version.deliverable_id, later.version > version.version
        ),
    )


def _live_due_select(vendor_ids, live: list[Ranges], today: date):
    """Per vendor: its deliverables of the running month due before today and still open, then
    per period due, decided and on time of the live days (`LIVE_DUE_COLUMNS` each)."""
    running = (month_of(today), today)
    every = [r for runs in live for r in runs] + [running]
    d_first = _first_submitted()
    past_open = and_(Deliverable.due_on < today, ~_closed_by_last_round())
    columns = [_sum(and_(_within(Deliverable.due_on, [running]), past_open), 1)]
    for runs in live:
        due = _within(Deliverable.due_on, runs)
        columns += [
            _sum(due, 1),
            _sum(and_(due, or_(d_first.is_not(None), Deliverable.due_on < today)), 1),
            _sum(and_(due, d_first <= Deliverable.due_on), 1),
        ]
    return (
        select(
            literal("live").label("source"),
            Engagement.vendor_id,
            literal(-1).label("run"),
            *columns,
        )
        .join(Deliverable, Deliverable.engagement_id == Engagement.id)
        .where(_scope(vendor_ids), _within(Deliverable.due_on, every))
        .group_by(Engagement.vendor_id)
    )


def live_acceptances(live: list[Ranges], scope, key=None) -> list[tuple]:
    """(key, quality, then accepted, first-pass and rounds per run of `live`) of the deliverables
    accepted on the live days by their last round, grouped by `key` (an engagement column, the
    engagement joined; None: one group) and quality; `scope`: which deliverables count."""
    every = [r for runs in live for r in runs]
    if not every:
        return []
    version, later, counted = aliased(Submission), aliased(Submission), aliased(Submission)
    rounds = (
        select(func.count())
        .where(counted.deliverable_id == version.deliverable_id)
        .correlate(version)
        .scalar_subquery()
    )
    # The few acceptances of the live days first (by the review-date index), then their
    # deliverables: materialized, so no planner starts from every engagement instead.
    recent = (
        select(Review.submission_id, Review.reviewed_on, Review.quality_score)
        .where(Review.decision == rules.Decision.ACCEPTED, _within(Review.reviewed_on, every))
        .cte("recent_acceptances")
        .prefix_with("MATERIALIZED")
    )
    acceptances = (
        select(
            (literal(None) if key is None else key).label("key"),
            recent.c.reviewed_on.label("accepted_on"),
            type_coerce(recent.c.quality_score, Float).label("quality"),
            rounds.label("rounds"),
        )
        .select_from(recent)
        .join(version, version.id == recent.c.submission_id)
        .join(Deliverable, Deliverable.id == version.deliverable_id)
    )
    if key is not None:
        acceptances = acceptances.join(Engagement, Engagement.id == Deliverable.engagement_id)
    acceptances = acceptances.where(
        scope,
        ~exists().where(
            later.deliverable_id == version.deliverable_id, later.version > version.version
        ),
    ).subquery()
    a = acceptances.c
    columns = []
    for runs in live:
        accepted = _within(a.accepted_on, runs)
        columns += [_sum(accepted, 1), _sum(and_(accepted, a.rounds == 1), 1)]
        columns.append(_sum(accepted, a.rounds))
    return db.session.execute(select(a.key, a.quality, *columns).group_by(a.key, a.quality)).all()


def add_acceptances(tally: Tally, quality, sums, run: int) -> None:
    """Add one `live_acceptances` row's figures of one run to a tally."""
    count, first_pass, rounds_sum = (int(v) for v in sums[3 * run : 3 * run + 3])
    if not count:
        return
    tally.accepted += count
    tally.first_pass += first_pass
    tally.rounds += rounds_sum
    if quality is not None:
        tally.add_qualities(float(quality), count)


def _live_accepted(vendor_ids, live: list[Ranges], tallies) -> None:
    """Add the deliverables accepted on the live days (by their last round) to the tallies."""
    for vendor_id, quality, *sums in live_acceptances(
        live, _scope(vendor_ids), Engagement.vendor_id
    ):
        for run in range(len(live)):
            add_acceptances(tallies[run][vendor_id], quality, sums, run)


def vendor_period_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date
) -> list[dict[int, KpoVendorSummary]]:
    """Per period, {vendor: `review.period_summary` of its KPO deliverables} for every vendor
    with KPO deliverables; whole months from the rollups, the rest live (see the module)."""
    if not vendor_ids or not periods:
        return [{} for _ in periods]
    ids = list(dict.fromkeys(vendor_ids))
    this_month = month_of(today)
    plans = [split_period(first, last, this_month) for first, last in periods]
    whole, live = [p[0] for p in plans], [p[1] for p in plans]
    tallies, overdue = _due_side(ids, whole, live, today)
    _live_accepted(ids, live, tallies)
    summaries = []
    for per_vendor in tallies:
        found = {}
        for vendor_id in overdue:
            tally = per_vendor[vendor_id]
            tally.overdue = overdue[vendor_id]
            found[vendor_id] = tally.summary()
        summaries.append(found)
    return summaries
