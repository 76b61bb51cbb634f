"""KPO figures of the whole portfolio by period: `review.period_summary` of every KPO deliverable
of the vendors reports cover (not offboarded), summed by the database over all vendors at once.

As `rollup_reads` does per vendor, whole months come from `kpo_monthly_rollups` and the days
that depend on today or cut a month are read live; but every sum here is one number per period,
so the work in Python does not grow with the number of vendors or engagements. Two queries.
Tested against the rules over every deliverable in `tests/integration/test_kpo_portfolio_reads.py`.
"""

from datetime import date

from sqlalchemy import (
    func,
    literal,
    select,
    union_all,
)

from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.models import Deliverable
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup as R
from vendor_tracker.engagements.kpo.rollup_reads import (
    LIVE_DUE_COLUMNS,
    RUN_SUMS,
    Ranges,
    _add_live_due_row,
    _add_run,
    _live_due_select,
    add_acceptances,
    live_acceptances,
)
from vendor_tracker.engagements.kpo.rollup_rules import Tally, month_of, split_period
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model, VendorStatus


def _covered_vendors():
    """The ids of the vendors reports cover, as a subquery (`reporting.all_vendor_ids`)."""
    return select(Vendor.id).where(Vendor.status != VendorStatus.OFFBOARDED)


def _covered_engagements():
    """The ids of the KPO engagements of the vendors reports cover, as a subquery."""
    return select(Engagement.id).where(
        Engagement.kind == Model.KPO, Engagement.vendor_id.in_(_covered_vendors())
    )


def _live_sums(width: int, live: list[Ranges], today: date):
    """The live days' due side (`rollup_reads._live_due_select`) summed over the vendors: one
    row ("live", -1, sums...) padded to `width` sums."""
    rows = _live_due_select(_covered_vendors(), live, today).subquery()
    sums = [func.coalesce(func.sum(c), 0) for c in list(rows.c)[3:]]
    padding = [literal(0)] * (width - len(sums))
    return select(
        literal("live").label("source"), literal(-1).label("run"), *sums, *padding
    ).select_from(rows)


def _run_sums(number: int, run: tuple[date, date], width: int):
    """One run of whole months: ("runs", number, the `RUN_SUMS` over the rollups of every
    covered engagement), padded to `width` sums. A run is one aggregate (no grouping to
    sort): several runs are united, as the BPO side does."""
    first, last = run
    open_count = R.due_not_submitted + R.due_in_review + R.due_changes_requested
    sums = {"due": open_count + R.due_accepted + R.due_rejected}
    columns = [func.sum(sums.get(name, getattr(R, name, None))) for name in RUN_SUMS]
    padding = [literal(0)] * (width - len(columns))
    return (
        select(literal("runs").label("source"), literal(number).label("run"), *columns, *padding)
        .join(Engagement, Engagement.id == R.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(
            Engagement.kind == Model.KPO,
            Vendor.status != VendorStatus.OFFBOARDED,
            R.month >= first,
            R.month <= last,
        )
    )


def _due_side(tallies: list[Tally], whole: list[Ranges], live: list[Ranges], today: date):
    """Add the rollup months' sums and the live days' due side to each period's tally."""
    this_month = month_of(today)
    runs = [(n, run) for n, period_runs in enumerate(whole) for run in period_runs]
    width = max(len(RUN_SUMS), 1 + LIVE_DUE_COLUMNS * len(live))
    parts = [_live_sums(width, live, today)]
    parts += [_run_sums(number, run, width) for number, (_n, run) in enumerate(runs)]
    for source, number, *sums in db.session.execute(union_all(*parts)):
        values = [int(v or 0) for v in sums]
        if source == "live":
            # values[0] is the running month's overdue count: not a figure of the periods.
            _add_live_due_row(tallies, values[1:])
            continue
        # Each run lies wholly before or wholly after the running month.
        period, (first, _last) = runs[number]
        _add_run(tallies[period], first > this_month, values)


def _live_accepted(tallies: list[Tally], live: list[Ranges]) -> None:
    """Add the deliverables accepted on the live days (by their last round) to the tallies,
    one row per distinct quality."""
    # A list to test, not a table to join: the planner then starts from the few acceptances
    # rather than from every engagement.
    scope = Deliverable.engagement_id.in_(_covered_engagements())
    for _key, quality, *sums in live_acceptances(live, scope):
        for run, tally in enumerate(tallies):
            add_acceptances(tally, quality, sums, run)


def portfolio_period_summaries(
    periods: list[tuple[date, date]], today: date
) -> list[KpoVendorSummary]:
    """Per (first day, last day) period, `review.period_summary` of every KPO deliverable of the
    vendors reports cover, as one summary; `overdue` is left 0 (not a figure of a period)."""
    if not periods:
        return []
    this_month = month_of(today)
    plans = [split_period(first, last, this_month) for first, last in periods]
    whole, live = [p[0] for p in plans], [p[1] for p in plans]
    tallies = [Tally() for _ in periods]
    _due_side(tallies, whole, live, today)
    _live_accepted(tallies, live)
    return [tally.summary() for tally in tallies]
