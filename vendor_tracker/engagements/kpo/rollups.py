"""Keeping the KPO monthly rollups current, in the same transaction as every write.

After each flush that added, changed or removed a deliverable (its due date), a version (its
date or number) or a review (its date, decision or quality), the touched engagements' months are
recomputed from the pure rules (`rollup_rules.month_figures`) and the rows that differ are
written through the flush's own connection. An engagement's deliverables are few (tens to a few
hundred), so the whole engagement is recomputed (two indexed queries) and only changed months are
written. Writes that bypass the ORM (bulk inserts of the benchmark generator) are followed by
`flask rollups rebuild kpo`.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlalchemy.orm import Session

from vendor_tracker.core.hooks import note_rollups_changed, rollup_keeper
from vendor_tracker.engagements.kpo import rollup_rules
from vendor_tracker.engagements.kpo.models import Deliverable, Review, Submission
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup
from vendor_tracker.engagements.kpo.rollup_rules import FIELDS, MonthFigures
from vendor_tracker.engagements.kpo.services import _group_rounds, _round_columns
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model

# The attributes whose change can move a figure; others (titles, feedback, effort) cannot.
WATCHED = {
    Deliverable: ("due_on", "engagement_id"),
    Submission: ("version", "submitted_on", "deliverable_id"),
    Review: ("reviewed_on", "decision", "quality_score", "submission_id", "deliverable_id"),
}
CHUNK = 200

Figures = dict[tuple[int, date], MonthFigures]


# --- computing ----------------------------------------------------------------------------


def fresh_figures(connection, engagement_ids: Iterable[int]) -> Figures:
    """{(engagement, month): sums} of these engagements from their deliverables and rounds."""
    ids = sorted(set(engagement_ids))
    found: Figures = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        deliverables = connection.execute(
            select(Deliverable.id, Deliverable.engagement_id, Deliverable.due_on).where(
                Deliverable.engagement_id.in_(chunk)
            )
        ).all()
        rounds = _group_rounds(
            connection.execute(
                _round_columns()
                .join(Deliverable, Deliverable.id == Submission.deliverable_id)
                .where(Deliverable.engagement_id.in_(chunk))
            ).all()
        )
        per_engagement: dict[int, list] = {}
        for d_id, engagement_id, due_on in deliverables:
            per_engagement.setdefault(engagement_id, []).append((due_on, rounds.get(d_id, [])))
        for engagement_id, items in per_engagement.items():
            for month, figures in rollup_rules.month_figures(items).items():
                found[(engagement_id, month)] = figures
    return found


def _row_values(figures: MonthFigures) -> dict[str, Any]:
    return {name: getattr(figures, name) for name in FIELDS}


def figures_from_row(row) -> MonthFigures:
    """The `MonthFigures` of a stored rollup row (a Row or a `KpoMonthlyRollup`)."""
    values = {name: getattr(row, name) for name in FIELDS}
    values["accepted_rounds_histogram"] = values["accepted_rounds_histogram"] or ""
    return MonthFigures(**values)


def stored_figures(connection, engagement_ids: Iterable[int] | None = None) -> Figures:
    """{(engagement, month): sums} as stored, for these engagements (all with None)."""
    table = KpoMonthlyRollup.__table__
    stmt = select(table)
    if engagement_ids is not None:
        stmt = stmt.where(table.c.engagement_id.in_(sorted(set(engagement_ids))))
    return {(r.engagement_id, r.month): figures_from_row(r) for r in connection.execute(stmt)}


# --- writing ------------------------------------------------------------------------------


def store(connection, engagement_ids: Iterable[int]) -> int:
    """Recompute these engagements' rollups and write the rows that differ; how many."""
    ids = sorted(set(engagement_ids))
    if not ids:
        return 0
    table = KpoMonthlyRollup.__table__
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # One writer per engagement at a time (PostgreSQL): the second reads the first's rounds.
        connection.execute(select(Engagement.id).where(Engagement.id.in_(chunk)).with_for_update())
        fresh, stored = fresh_figures(connection, chunk), stored_figures(connection, chunk)
        gone = [key for key in stored if key not in fresh]
        for engagement_id, month in gone:
            connection.execute(
                delete(table).where(table.c.engagement_id == engagement_id, table.c.month == month)
            )
        new = [
            {"engagement_id": key[0], "month": key[1], **_row_values(figures)}
            for key, figures in fresh.items()
            if key not in stored
        ]
        if new:
            connection.execute(insert(table), new)
        for (engagement_id, month), figures in fresh.items():
            before = stored.get((engagement_id, month))
            if before is not None and before != figures:
                connection.execute(
                    update(table)
                    .where(table.c.engagement_id == engagement_id, table.c.month == month)
                    .values(**_row_values(figures))
                )
                written += 1
        written += len(gone) + len(new)
    return written


# --- the write path: session events -------------------------------------------------------


def _changed(obj, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _old_and_new(obj, name: str) -> set:
    history = inspect(obj).attrs[name].history
    return {v for v in (*history.added, *history.deleted, *history.unchanged) if v is not None}


def touched_engagements(session: Session) -> set[int]:
    """Engagements whose KPO figures this flush may have changed."""
    engagements: set[int] = set()
    deliverables: set[int] = set()
    for group, is_dirty in ((session.new, False), (session.deleted, False), (session.dirty, True)):
        for obj in group:
            names = WATCHED.get(type(obj))
            if names is None or (is_dirty and not _changed(obj, names)):
                continue
            if isinstance(obj, Deliverable):
                engagements |= _old_and_new(obj, "engagement_id")
            else:
                deliverables |= _old_and_new(obj, "deliverable_id")
    if deliverables:
        engagements |= set(
            session.connection()
            .execute(
                select(Deliverable.engagement_id).where(Deliverable.id.in_(sorted(deliverables)))
            )
            .scalars()
        )
    return engagements


def _after_flush(session: Session, _context: Any) -> None:
    engagements = touched_engagements(session)
    if engagements:
        store(session.connection(), engagements)
        note_rollups_changed(session, engagements)


def register_rollup_listener() -> None:
    """Keep the KPO rollups current after every flush of every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


# --- rebuild and check --------------------------------------------------------------------


def _kpo_engagements(connection) -> list[int]:
    """Every engagement with deliverables or rollup rows (the KPO ones, in practice)."""
    with_rows = select(KpoMonthlyRollup.engagement_id)
    with_deliverables = select(Deliverable.engagement_id)
    kpo = select(Engagement.id).where(Engagement.kind == Model.KPO)
    found = connection.execute(with_rows.union(with_deliverables, kpo)).scalars()
    return sorted(set(found))


def describe(key: tuple[int, date], name: str, stored: Any, fresh: Any) -> str:
    """One difference as `check` reports it."""
    engagement_id, month = key
    return (
        f"engagement {engagement_id}, month {month:%Y-%m}, {name}: stored {stored}, fresh {fresh}"
    )


def differences(stored: Figures, fresh: Figures) -> list[str]:
    """Every field of every month where the stored rows differ from a fresh computation."""
    empty = MonthFigures()
    found = []
    for key in sorted(set(stored) | set(fresh)):
        if key not in stored:
            found.append(describe(key, "row", "missing", "present"))
        elif key not in fresh:
            found.append(describe(key, "row", "present", "not expected"))
        for name in FIELDS:
            old = getattr(stored.get(key, empty), name)
            new = getattr(fresh.get(key, empty), name)
            if old != new:
                found.append(describe(key, name, old, new))
    return found


class KpoRollupKeeper:
    """`flask rollups rebuild | check kpo`."""

    def rebuild(self, progress: Callable) -> int:
        """Recompute every KPO engagement's months; the number of rows written."""
        connection = db.session.connection()
        ids = _kpo_engagements(connection)
        chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
        written = 0
        for chunk in progress(chunks, "KPO engagements"):
            written += store(connection, chunk)
        # What is built on the rollups (the stored vendor scorecards) is stale from now on.
        note_rollups_changed(db.session, ids)
        return written

    def check(self) -> list[str]:
        """Every difference between the stored rollups and the pure rules' figures."""
        connection = db.session.connection()
        ids = _kpo_engagements(connection)
        return differences(stored_figures(connection), fresh_figures(connection, ids))


rollup_keeper("kpo")(KpoRollupKeeper())
