"""The BPO monthly rollups: computed from the pure rules, stored, checked and rebuilt.

`refresh` recomputes the months a change can affect and replaces their rows; the write path
calls it through `rollup_events` (ORM writes) or `touch` (bulk Core writes) in the same
transaction as the change. The loaders take any executor with `.execute` (the session, or a
migration's connection), so the migration fills the table with the same code.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, delete, insert, or_, select, tuple_

from vendor_tracker.core.hooks import note_rollups_changed, rollup_keeper
from vendor_tracker.engagements.bpo.credits import CreditTerms
from vendor_tracker.engagements.bpo.models import CreditDispute, Measurement
from vendor_tracker.engagements.bpo.reporting_rules import DisputeState
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup
from vendor_tracker.engagements.bpo.rollup_rules import (
    FIGURE_NAMES,
    MonthFigures,
    affected_months,
    month_figures,
)
from vendor_tracker.engagements.bpo.services import level_inputs_for
from vendor_tracker.engagements.bpo.sla import first_of_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model

TABLE = BpoMonthlyRollup.__table__
BATCH = 200  # engagements per batch of a rebuild or a check
# Which engagements and months changed in this transaction (`rollup_events`): per engagement
# id, a set of months, or None for every month of it.
TOUCHED = "bpo_rollups_touched"


def today() -> date:
    """The date the rollups are judged on (earn-back looks at results up to it)."""
    return date.today()


def touch(session, engagement_id: int, months: Iterable[date] | None) -> None:
    """Note that results of `months` (None: anything) of an engagement changed; the rows are
    recomputed before the transaction commits (or when a reader settles them)."""
    touched = session.info.setdefault(TOUCHED, {})
    if months is None:
        touched[engagement_id] = None
    elif engagement_id not in touched or touched[engagement_id] is not None:
        touched.setdefault(engagement_id, set()).update(first_of_month(m) for m in months)


# --- loading -----------------------------------------------------------------------------


def _engagements(executor, ids: list[int]) -> dict[int, tuple]:
    rows = executor.execute(
        select(
            Engagement.id,
            Engagement.start_date,
            Engagement.end_date,
            Engagement.monthly_fee,
            Engagement.at_risk_pct,
            Engagement.earn_back_months,
        ).where(Engagement.id.in_(ids), Engagement.kind == Model.BPO)
    )
    found = {}
    for eid, start, end, fee, at_risk, earn_back in rows:
        end_month = first_of_month(end) if end else None
        found[eid] = (start, end, CreditTerms(fee, at_risk, earn_back or 0, end_month))
    return found


def _actuals(executor, since: dict[int, date | None]) -> dict[int, dict]:
    """{engagement id: {(level id, month): actual}} from each engagement's `since` month on."""
    found: dict[int, dict] = defaultdict(dict)
    whole = [eid for eid, first in since.items() if first is None]
    conditions = [Measurement.engagement_id.in_(whole)] if whole else []
    by_first: dict[date, list[int]] = defaultdict(list)
    for eid, first in since.items():
        if first is not None:
            by_first[first].append(eid)
    conditions += [
        and_(Measurement.engagement_id.in_(ids), Measurement.period >= first)
        for first, ids in by_first.items()
    ]
    if not conditions:
        return found
    rows = executor.execute(
        select(
            Measurement.engagement_id,
            Measurement.service_level_id,
            Measurement.period,
            Measurement.actual,
        ).where(or_(*conditions))
    )
    for eid, level_id, period, actual in rows:
        found[eid][(level_id, period)] = actual
    return found


def _waivers(executor, ids: list[int]) -> dict[int, set]:
    found: dict[int, set] = defaultdict(set)
    rows = executor.execute(
        select(
            CreditDispute.engagement_id, CreditDispute.service_level_id, CreditDispute.period
        ).where(CreditDispute.engagement_id.in_(ids), CreditDispute.state == DisputeState.WAIVED)
    )
    for eid, level_id, period in rows:
        found[eid].add((level_id, period))
    return found


def fresh_figures(
    executor, wanted: dict[int, set[date] | None], on: date
) -> dict[int, dict[date, MonthFigures]]:
    """{engagement id: {month: figures}} computed from the pure rules, for the months of
    `wanted` (None: every month) of each BPO engagement; other engagements map to {}."""
    ids = list(wanted)
    engagements = _engagements(executor, ids)
    levels = level_inputs_for(ids, executor)
    since = {eid: min(months) if months else None for eid, months in wanted.items()}
    actuals = _actuals(executor, {eid: since[eid] for eid in engagements})
    waivers = _waivers(executor, ids)
    found: dict[int, dict[date, MonthFigures]] = {eid: {} for eid in ids}
    for eid, (start, end, terms) in engagements.items():
        found[eid] = month_figures(
            levels.get(eid, []),
            actuals.get(eid, {}),
            start,
            end,
            terms,
            waivers.get(eid, ()),
            on,
            wanted[eid],
        )
    return found


def stored_figures(executor, wanted: dict[int, set[date] | None]) -> dict[int, dict]:
    """{engagement id: {month: figures}} as stored, for the same selection as `fresh_figures`."""
    ids = list(wanted)
    rows = executor.execute(
        select(TABLE.c.engagement_id, TABLE.c.month, *(TABLE.c[n] for n in FIGURE_NAMES)).where(
            TABLE.c.engagement_id.in_(ids)
        )
    )
    found: dict[int, dict] = {eid: {} for eid in ids}
    for eid, month, *values in rows:
        months = wanted[eid]
        if months is None or month in months:
            found[eid][month] = MonthFigures(*values)
    return found


# --- writing -----------------------------------------------------------------------------


def _replace(executor, wanted: dict[int, set[date] | None], fresh: dict[int, dict]) -> int:
    """Delete the selected rows and insert the fresh ones; returns how many were written."""
    whole = [eid for eid, months in wanted.items() if months is None]
    if whole:
        executor.execute(delete(TABLE).where(TABLE.c.engagement_id.in_(whole)))
    pairs = [(eid, m) for eid, months in wanted.items() if months for m in months]
    for start in range(0, len(pairs), 500):
        executor.execute(
            delete(TABLE).where(
                tuple_(TABLE.c.engagement_id, TABLE.c.month).in_(pairs[start : start + 500])
            )
        )
    rows = [
        {"engagement_id": eid, "month": month, **_values(figures)}
        for eid, by_month in fresh.items()
        for month, figures in by_month.items()
    ]
    if rows:
        executor.execute(insert(TABLE), rows)
    return len(rows)


def _values(figures: MonthFigures) -> dict:
    return {name: getattr(figures, name) for name in FIGURE_NAMES}


def refresh(executor, touched: dict[int, set[date] | None], on: date | None = None) -> int:
    """Recompute the rows that changes of `touched` (engagement -> months, None: all) can
    affect, no more: a result's month and the earn-back months before it."""
    on = on or today()
    windows = dict(
        executor.execute(
            select(Engagement.id, Engagement.earn_back_months).where(
                Engagement.id.in_(list(touched))
            )
        ).all()
    )
    wanted: dict[int, set[date] | None] = {}
    for eid, months in touched.items():
        wanted[eid] = None if months is None else affected_months(months, windows.get(eid) or 0)
    return _replace(executor, wanted, fresh_figures(executor, wanted, on))


# --- the keeper of `flask rollups` -----------------------------------------------------------


def _all_engagement_ids(executor) -> list[int]:
    with_rows = select(TABLE.c.engagement_id).distinct()
    bpo = select(Engagement.id).where(Engagement.kind == Model.BPO)
    return sorted(set(executor.execute(bpo.union(with_rows)).scalars()))


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + BATCH] for i in range(0, len(ids), BATCH)]


def rebuild_all(executor, progress=None, on: date | None = None) -> int:
    """Recompute every engagement's rows; returns how many were written."""
    batches = _batches(_all_engagement_ids(executor))
    if progress is not None:
        batches = progress(batches, "BPO monthly rollups")
    written = 0
    for ids in batches:
        wanted = dict.fromkeys(ids)
        written += _replace(executor, wanted, fresh_figures(executor, wanted, on or today()))
    return written


def _money(value) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _differences(stored: MonthFigures, fresh: MonthFigures, on: date) -> list[tuple]:
    """A stored row's differences; `pending` is an as-of figure: once a month its credits wait
    for has ended (`pending_until`), they turned final without any write, which payable and
    every other figure already allow for, so pending alone is then not a difference."""
    found = stored.differences(fresh)
    aged = stored.pending_until is not None and stored.pending_until < first_of_month(on)
    if aged:
        found = [d for d in found if d[0] not in ("pending", "pending_until")]
    return found


def check_all(executor, on: date | None = None) -> list[str]:
    """Every difference between the stored rows and a fresh computation, one line each."""
    problems = []
    for ids in _batches(_all_engagement_ids(executor)):
        wanted = dict.fromkeys(ids)
        fresh = fresh_figures(executor, wanted, on or today())
        stored = stored_figures(executor, wanted)
        for eid in ids:
            for month in sorted(set(fresh[eid]) | set(stored[eid])):
                old, new = stored[eid].get(month), fresh[eid].get(month)
                if old is None or new is None:
                    problems.append(
                        f"engagement {eid}, {month:%Y-%m}: row "
                        + ("missing" if old is None else "not expected (no results)")
                    )
                    continue
                for name, was, fresh_value in _differences(old, new, on or today()):
                    problems.append(
                        f"engagement {eid}, {month:%Y-%m}, {name}: stored {_money(was)}, "
                        f"fresh {_money(fresh_value)}"
                    )
    return problems


@rollup_keeper("bpo")
class BpoRollupKeeper:
    """`flask rollups rebuild | check bpo` on the app's session."""

    @staticmethod
    def rebuild(progress) -> int:
        written = rebuild_all(db.session, progress)
        # What is built on the rollups (the stored vendor scorecards) is stale from now on.
        note_rollups_changed(db.session, _all_engagement_ids(db.session))
        return written

    @staticmethod
    def check() -> list[str]:
        return check_all(db.session)
