"""Stored vendor scorecards (`score_models`): kept valid by the write path, filled by readers.

- Every transaction that recomputes engagements' monthly rollups (the keepers note them with
  `core.hooks.note_rollups_changed`), or moves or deletes an engagement, raises the generation
  of the vendors concerned before it commits: their stored scorecards are stale from then on.
- A reader asks `fresh_scores(periods, today, settings)` first: the vendors whose row for a
  period is missing or stale (other settings, an older generation, or another day, unless the
  period is a quarter that had ended when the row was stored: `settled_after`) are scored from
  the rollups with the pure rules (`services.vendor_scorecards_many`) and stored. On a quiet
  day that is nobody; after a write, the vendors written to; on a new day, everybody once for
  the running quarter and the trailing twelve months; after new settings, everybody once.
- `flask rollups rebuild vendor-scores` scores every vendor for the recent quarters and the
  trailing twelve months at once (after a restore, or nightly so the first reader of a day does
  not wait); `flask rollups check vendor-scores` compares every row a reader would use with a
  fresh computation.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from flask import g, has_app_context
from sqlalchemy import delete, func, inspect, not_, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from vendor_tracker.core import stored_answers
from vendor_tracker.core.database import listen_on_every_session
from vendor_tracker.core.hooks import ROLLUPS_CHANGED, rollup_keeper
from vendor_tracker.engagements.kpo.contracts import KpoPeriodSums
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.periods import TRAILING_KEY
from vendor_tracker.reporting.score_models import (
    COMPONENT_COLUMNS,
    KPO_SUM_COLUMNS,
    VendorPeriodScore,
    VendorScoreState,
)
from vendor_tracker.reporting.scorecard import (
    Component,
    Period,
    parse_period,
    previous_quarter,
    recent_quarters,
    trailing_twelve_months,
)
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import VendorStatus

SCORES = VendorPeriodScore.__table__
STATE = VendorScoreState.__table__
CHUNK = 500  # rows per INSERT (SQLite's limit on bound parameters)
# session.info key: vendors whose engagements were deleted or moved in this transaction.
MOVED = "vendor_scores_moved"
# flask.g key: what `fresh_scores` already made current in this app context.
CHECKED = "vendor_scores_checked"


def settings_key(settings) -> str:
    """The scorecard settings a stored score was computed with, as one comparable text."""
    weights, bands, minimums = settings.weights, settings.bands, settings.minimums
    parts = [
        *(weights[c] for c in Component),
        bands.excellent,
        bands.good,
        bands.watch,
        minimums.bpo_months,
        minimums.kpo_deliverables,
    ]
    return "|".join(format(Decimal(p).normalize(), "f") for p in parts)


def standard_periods(today: date) -> list[Period]:
    """The periods the pages offer (the last eight quarters, and the one before the oldest for
    its trend) and the trailing twelve months."""
    quarters = recent_quarters(today, 8)
    return [*quarters, previous_quarter(quarters[-1]), trailing_twelve_months(today)]


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(table)


# --- the write path: raise the generation of the vendors whose figures changed ------------


def bump(session, vendor_ids: Iterable[int]) -> None:
    """Mark every stored scorecard of these vendors stale (in the caller's transaction)."""
    ids = sorted(set(vendor_ids))  # one lock order for concurrent writers (PostgreSQL)
    for start in range(0, len(ids), CHUNK):
        rows = [{"vendor_id": vid, "generation": 1} for vid in ids[start : start + CHUNK]]
        stmt = _insert(STATE).values(rows)
        session.execute(
            stmt.on_conflict_do_update(
                index_elements=["vendor_id"], set_={"generation": STATE.c.generation + 1}
            )
        )


def _after_flush(session: Session, _context) -> None:
    """Note the vendors of engagements deleted or moved to another vendor."""
    for obj in (*session.deleted, *session.dirty):
        if isinstance(obj, Engagement):
            history = inspect(obj).attrs.vendor_id.history
            if obj in session.deleted or history.has_changes():
                found = (*history.added, *history.unchanged, *history.deleted)
                session.info.setdefault(MOVED, set()).update(v for v in found if v)


def _before_commit(session: Session) -> None:
    from vendor_tracker.engagements.bpo.rollup_events import settle

    # Every listener's notes first: the commit's own flush comes after this hook, so flush
    # now; then the BPO rollups of this transaction, whatever the order the listeners run in
    # (a flush may have come before the commit, so nothing shows as new or dirty while their
    # months still wait to be recomputed).
    session.flush()
    settle(session)
    answers_stale = stored_answers.inputs_changed(session)
    changed = session.info.pop(ROLLUPS_CHANGED, None)
    vendors = session.info.pop(MOVED, set())
    if changed:
        found = session.execute(
            select(Engagement.vendor_id).where(Engagement.id.in_(sorted(changed))).distinct()
        )
        vendors |= set(found.scalars())
    if vendors:
        bump(session, vendors)
        forget_checked()
    if changed or vendors or answers_stale:
        stored_answers.bump(session)


def _forget(session: Session, *_args) -> None:
    session.info.pop(ROLLUPS_CHANGED, None)
    session.info.pop(MOVED, None)


def register_score_listeners() -> None:
    """Keep the stored scorecards' and answers' generations current on every session
    (idempotent)."""
    stored_answers.register_answer_listeners()
    listen_on_every_session(
        {"after_flush": _after_flush, "before_commit": _before_commit, "after_rollback": _forget}
    )


# --- the read path: score the vendors whose rows are missing or stale ----------------------


def settled_after(period: Period, today: date) -> date | None:
    """The day after which the period's scorecards no longer change with the day: the last day
    of a calendar quarter that has ended (every month of it is then wholly before today, so
    every deliverable due in it is decided and no live day is read); None for the running
    quarter and the trailing twelve months, which move with the day."""
    if period.key == TRAILING_KEY or period.last_day >= today:
        return None
    return period.last_day


def _day_ok(as_of, period: Period, today: date):
    """Whether a row stored on `as_of` holds today for the period (a column or a date)."""
    settled = settled_after(period, today)
    return as_of == today if settled is None else as_of > settled


def _stale(period: Period, today: date, key: str) -> dict[int, int]:
    """{vendor id: its current generation} of the reported vendors (offboarded ones aside)
    without a valid row for the period."""
    row = aliased(VendorPeriodScore)
    generation = func.coalesce(VendorScoreState.generation, 0)
    found = db.session.execute(
        select(Vendor.id, generation)
        .outerjoin(VendorScoreState, VendorScoreState.vendor_id == Vendor.id)
        .outerjoin(row, (row.vendor_id == Vendor.id) & (row.period_key == period.key))
        .where(
            Vendor.status != VendorStatus.OFFBOARDED,
            or_(
                row.vendor_id.is_(None),
                not_(_day_ok(row.as_of, period, today)),
                row.settings_key != key,
                row.generation != generation,
            ),
        )
    )
    return dict(found.all())


def row_values(vendor_id: int, scored) -> dict:
    """A `services.VendorScorecard`'s stored columns (without the day, settings and
    generation): its scorecard, and the counts its figures were worked out from."""
    card = scored.card
    values = {"vendor_id": vendor_id, "score": card.score, "band": card.band.value}
    for component, (value_column, sample_column) in zip(Component, COMPONENT_COLUMNS, strict=True):
        found = card.component(component)
        values[value_column] = found.value
        values[sample_column] = found.sample
    values["bpo_met"] = scored.bpo.met if scored.bpo else 0
    values["bpo_reported"] = scored.bpo.reported if scored.bpo else 0
    sums = scored.kpo.sums if scored.kpo else KpoPeriodSums()
    for name, column in KPO_SUM_COLUMNS:
        values[column] = getattr(sums, name)
    return values


def store(periods: list[Period], vendors: dict[int, int], today: date, settings) -> int:
    """Score `vendors` ({id: generation}) for `periods` and upsert their rows; how many."""
    from vendor_tracker.reporting.services import vendor_scorecards_many

    if not vendors or not periods:
        return 0
    ids = sorted(vendors)
    key = settings_key(settings)
    rows = []
    for period, cards in zip(
        periods, vendor_scorecards_many(ids, periods, today, settings), strict=True
    ):
        for vid in ids:
            rows.append(
                {
                    **row_values(vid, cards[vid]),
                    "period_key": period.key,
                    "as_of": today,
                    "settings_key": key,
                    "generation": vendors[vid],
                }
            )
    names = [c.name for c in SCORES.columns if c.name not in ("vendor_id", "period_key")]
    for start in range(0, len(rows), CHUNK):
        stmt = _insert(SCORES).values(rows[start : start + CHUNK])
        db.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["vendor_id", "period_key"],
                set_={name: stmt.excluded[name] for name in names},
            )
        )
    return len(rows)


def _checked() -> set:
    """The (period, day, settings) made current in this app context since its last write."""
    return g.setdefault(CHECKED, set()) if has_app_context() else set()


def fresh_scores(periods: list[Period], today: date, settings) -> None:
    """Make every reported vendor's row for each period current, scoring only the stale ones,
    and commit them (a reader's transaction holds no other writes). A period already made
    current in this request (the inbox counts, then lists) is not looked at again."""
    key = settings_key(settings)
    checked = _checked()
    periods = [p for p in periods if (p.key, today, key) not in checked]
    stale: dict[Period, dict[int, int]] = {p: _stale(p, today, key) for p in periods}
    vendors = {vid: gen for found in stale.values() for vid, gen in found.items()}
    if vendors:
        store([p for p in periods if stale[p]], vendors, today, settings)
        db.session.commit()
    checked.update((p.key, today, key) for p in periods)


def forget_checked() -> None:
    """After a write: the periods must be looked at again."""
    if has_app_context():
        g.pop(CHECKED, None)


# --- the keeper of `flask rollups rebuild | check vendor-scores` ------------------------------


def _settings():
    from vendor_tracker.reporting.services import scorecard_settings

    return scorecard_settings()


def rebuild(progress, today: date | None = None) -> int:
    """Drop every stored scorecard and score every vendor for the standard periods."""
    today = today or date.today()
    settings = _settings()
    db.session.execute(delete(SCORES))
    forget_checked()
    key, written = settings_key(settings), 0
    for period in progress(standard_periods(today), "Vendor scorecards"):
        written += store([period], _stale(period, today, key), today, settings)
    return written


def check(today: date | None = None) -> list[str]:
    """Every difference between a stored row a reader would use and a fresh computation."""
    from vendor_tracker.reporting.services import vendor_scorecards

    today = today or date.today()
    settings = _settings()
    generation = func.coalesce(VendorScoreState.generation, 0)
    current = db.session.execute(
        select(VendorPeriodScore)
        .outerjoin(VendorScoreState, VendorScoreState.vendor_id == VendorPeriodScore.vendor_id)
        .where(
            VendorPeriodScore.as_of <= today,
            VendorPeriodScore.settings_key == settings_key(settings),
            VendorPeriodScore.generation == generation,
        )
        .order_by(VendorPeriodScore.period_key, VendorPeriodScore.vendor_id)
    ).scalars()
    by_period: dict[str, list[VendorPeriodScore]] = {}
    for row in current:
        by_period.setdefault(row.period_key, []).append(row)
    problems = []
    for period_key, stored in by_period.items():
        period = parse_period(period_key, today)
        rows = [row for row in stored if _day_ok(row.as_of, period, today)]
        if not rows:
            continue
        cards = vendor_scorecards([r.vendor_id for r in rows], period, today, settings)
        for row in rows:
            fresh = row_values(row.vendor_id, cards[row.vendor_id])
            for name, value in fresh.items():
                if getattr(row, name) != value:
                    problems.append(
                        f"vendor {row.vendor_id}, {period_key}, {name}: "
                        f"stored {getattr(row, name)}, fresh {value}"
                    )
    return problems


class VendorScoreKeeper:
    """`flask rollups rebuild | check vendor-scores` on the app's session."""

    @staticmethod
    def rebuild(progress) -> int:
        return rebuild(progress)

    @staticmethod
    def check() -> list[str]:
        return check()


rollup_keeper("vendor-scores")(VendorScoreKeeper())
