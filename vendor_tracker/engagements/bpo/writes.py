"""The one write path for monthly results: load what the planner needs, plan, apply the plan.

The monthly form, the CSV import and the API parse their input into `results.IncomingRow`s,
call `plan_writes`, present its problems their own way and, when it is clean, call `apply_plan`
in the request's single unit of work.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.core.models import utcnow
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import notices, rollups
from vendor_tracker.engagements.bpo.bulk_insert import insert_results
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.reports import record_submission
from vendor_tracker.engagements.bpo.results import (
    IncomingRow,
    Intent,
    LevelSpec,
    ResultPlan,
    StoredResult,
    plan_results,
)
from vendor_tracker.engagements.bpo.sla import Source, Window
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

# Another writer stored results of the same months between planning and writing.
RESULTS_CHANGED_MEANWHILE = (
    "Someone else saved results of these months at the same moment; nothing was saved. "
    "Reload and try again."
)


@dataclass(frozen=True)
class Written:
    """What applying a plan did."""

    created: int
    updated: int
    cleared: int
    unchanged: int


def source_for(user, client_source: Source = Source.FORM) -> Source:
    """The source a writer records: `provider` for a provider's user, else the writer's own."""
    return Source.PROVIDER if getattr(user, "is_provider", False) else client_source


def window_of(engagement: Engagement, today: date) -> Window:
    """The months the engagement takes results for, as of today."""
    return Window.of(engagement.start_date, engagement.end_date, today)


def level_specs(engagement_id: int) -> list[LevelSpec]:
    """The engagement's service levels as the planner needs them, in one column query."""
    rows = db.session.execute(
        select(ServiceLevel.id, ServiceLevel.name, ServiceLevel.unit).where(
            ServiceLevel.engagement_id == engagement_id
        )
    )
    return [LevelSpec(*row) for row in rows]


def stored_results(
    engagement_id: int, months: Iterable[date] | None = None
) -> dict[tuple[int, date], StoredResult]:
    """The engagement's stored results (of `months`, or all), keyed by (level id, month)."""
    stmt = select(
        Measurement.id,
        Measurement.service_level_id,
        Measurement.period,
        Measurement.actual,
        Measurement.volume,
        Measurement.note,
        Measurement.version,
    ).where(Measurement.engagement_id == engagement_id)
    if months is not None:
        stmt = stmt.where(Measurement.period.in_(set(months)))
    return {
        (level_id, period): StoredResult(mid, level_id, period, actual, volume, note or "", version)
        for mid, level_id, period, actual, volume, note, version in db.session.execute(stmt)
    }


def plan_writes(
    engagement: Engagement,
    rows: Iterable[IncomingRow],
    intent: Intent,
    today: date,
    *,
    months: Iterable[date] | None = None,
    **options,
) -> ResultPlan:
    """Plan `rows` against the engagement's levels, window and stored results (of `months`,
    when the writer knows which months it touches; otherwise all of them)."""
    return plan_results(
        level_specs(engagement.id),
        window_of(engagement, today),
        stored_results(engagement.id, months),
        rows,
        intent,
        **options,
    )


def apply_plan(
    engagement: Engagement,
    plan: ResultPlan,
    source: Source,
    user_id: int | None,
    actor: str,
    *,
    bulk: bool = False,
    filename: str = "",
) -> Written:
    """Write a clean plan in the current transaction (the caller commits once).

    Row by row through the ORM, so every created, changed and cleared result is in the audit
    trail; with `bulk` (a file of thousands of rows) in one insert and one update, recorded as
    one import event. Raises a `Refusal` conflict when another writer got there first.
    A provider's write makes every month it changes `submitted` (`reports.record_submission`).
    """
    if not plan.ok:
        raise ValueError("A plan with problems is never applied.")
    try:
        if bulk:
            _apply_in_bulk(engagement, plan, source, user_id, actor, filename)
        else:
            _apply_row_by_row(engagement, plan, source, user_id)
        if source is Source.PROVIDER:
            record_submission(engagement.id, plan.periods, user_id)
        notices.critical_breaches(engagement, plan, user_id)
        db.session.flush()
    except (IntegrityError, StaleDataError) as lost_race:
        db.session.rollback()
        raise Refusal(RESULTS_CHANGED_MEANWHILE, conflict=True) from lost_race
    return Written(len(plan.insert), len(plan.update), len(plan.clear), plan.unchanged)


def _apply_row_by_row(engagement, plan: ResultPlan, source: Source, user_id) -> None:
    ids = [stored.id for stored, _values in plan.update] + [stored.id for stored in plan.clear]
    loaded = {
        m.id: m
        for m in db.session.execute(select(Measurement).where(Measurement.id.in_(ids))).scalars()
    }
    for values in plan.insert:
        db.session.add(
            Measurement(
                engagement_id=engagement.id,
                service_level_id=values.level_id,
                period=values.period,
                actual=values.actual,
                volume=values.volume,
                note=values.note,
                source=source,
                recorded_by_id=user_id,
            )
        )
    for stored, values in plan.update:
        measurement = _current(loaded, stored)
        measurement.actual, measurement.volume, measurement.note = values[2:]
        measurement.source, measurement.recorded_by_id = source, user_id
    for stored in plan.clear:
        db.session.delete(_current(loaded, stored))


def _current(loaded: dict, stored: StoredResult) -> Measurement:
    """The row the plan read, still at the version the plan read."""
    measurement = loaded.get(stored.id)
    if measurement is None or measurement.version != stored.version:
        raise StaleDataError("changed since it was planned")
    return measurement


# --- bulk ----------------------------------------------------------------------------------


def _apply_in_bulk(engagement, plan: ResultPlan, source, user_id, actor, filename) -> None:
    now = utcnow()
    insert_results(engagement.id, plan.insert, source, user_id, now)
    if plan.update:
        table = Measurement.__table__
        result = db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values(
                actual=bindparam("b_actual"),
                volume=bindparam("b_volume"),
                note=bindparam("b_note"),
                source=source.value,
                recorded_by_id=user_id,
                recorded_at=now,
                version=table.c.version + 1,
            ),
            [
                {
                    "b_id": stored.id,
                    "b_version": stored.version,
                    "b_actual": values.actual,
                    "b_volume": values.volume,
                    "b_note": values.note,
                }
                for stored, values in plan.update
            ],
        )
        if result.rowcount not in (-1, len(plan.update)):
            raise StaleDataError("changed since it was planned")
    for stored in plan.clear:
        db.session.delete(db.session.get(Measurement, stored.id))
    rollups.touch(db.session, engagement.id, plan.periods)  # Core writes skip the ORM events
    periods = plan.periods
    db.session.add(
        AuditEvent(
            user_id=user_id,
            actor=actor,
            action="import",
            record_type="bpo_measurements",
            parent_type="engagements",
            parent_id=str(engagement.id),
            summary=f"import of {plan.rows} monthly results"
            + (f" from {filename}" if filename else ""),
            changes={
                "created": [None, len(plan.insert)],
                "replaced": [None, len(plan.update)],
                "unchanged": [None, plan.unchanged],
                "months": [None, f"{periods[0]:%Y-%m} to {periods[-1]:%Y-%m}" if periods else ""],
            },
        )
    )
