"""SQL aggregations of results for pages over many engagements (the portfolio).

The status expression mirrors `sla.result_status`; tests compare both on the same data.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, TypeDecorator, and_, case, func, or_, select, type_coerce

from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import (
    SEVERITY,
    Attainment,
    Classification,
    Direction,
    MonthStatus,
    active_months,
    first_of_month,
)

STATUS_BY_SEVERITY = {value: MonthStatus(name) for name, value in SEVERITY.items()}


def _meets(level_column, result=Measurement):
    higher = ServiceLevel.direction == Direction.HIGHER
    return or_(
        and_(higher, result.actual >= level_column),
        and_(~higher, result.actual <= level_column),
    )


def status_severity_expr(result=Measurement):
    """SQL for the severity of a reported result: met 1, warning 2, breach 4 (see SEVERITY).
    `result` may be an alias of `Measurement` (another result of the same service level)."""
    return case(
        (_meets(ServiceLevel.target, result), SEVERITY["met"]),
        (
            and_(ServiceLevel.minimum.is_not(None), _meets(ServiceLevel.minimum, result)),
            SEVERITY["warning"],
        ),
        else_=SEVERITY["breach"],
    )


class MonthStats(NamedTuple):
    """Counts of one engagement-month (a tuple of ints: cheap for the garbage collector)."""

    met: int = 0
    reported: int = 0
    critical_met: int = 0
    critical_reported: int = 0
    worst_critical: int = 0  # the highest severity among reported critical results
    breaches: int = 0  # reported results of any level that breach


@dataclass
class EngagementStats:
    """What the portfolio shows of one engagement, from grouped SQL."""

    levels: int = 0
    critical_levels: int = 0
    months: dict[date, MonthStats] = field(default_factory=dict)


def month_stats(engagement_filter, first: date, last: date) -> dict[int, EngagementStats]:
    """Level counts and per-month result counts for the engagements a subquery selects."""
    stats: dict[int, EngagementStats] = {}
    critical = ServiceLevel.classification == Classification.CRITICAL
    level_rows = db_execute(
        select(
            ServiceLevel.engagement_id,
            func.count(),
            func.sum(case((critical, 1), else_=0)),
        )
        .where(ServiceLevel.engagement_id.in_(engagement_filter))
        .group_by(ServiceLevel.engagement_id)
    )
    for engagement_id, levels, critical_levels in level_rows:
        stats[engagement_id] = EngagementStats(levels, int(critical_levels or 0))
    severity = status_severity_expr()
    met = severity == SEVERITY["met"]
    rows = db_execute(
        select(
            Measurement.engagement_id,
            Measurement.period,
            func.sum(case((met, 1), else_=0)),
            func.count(),
            func.sum(case((and_(critical, met), 1), else_=0)),
            func.sum(case((critical, 1), else_=0)),
            func.max(case((critical, severity), else_=0)),
            func.sum(case((severity == SEVERITY["breach"], 1), else_=0)),
        )
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .where(
            Measurement.engagement_id.in_(engagement_filter),
            Measurement.period >= first_of_month(first),
            Measurement.period <= first_of_month(last),
        )
        .group_by(Measurement.engagement_id, Measurement.period)
    )
    for engagement_id, period, n_met, n_rep, c_met, c_rep, worst, n_breach in rows:
        entry = stats.setdefault(engagement_id, EngagementStats())
        entry.months[period] = MonthStats(
            int(n_met or 0),
            int(n_rep),
            int(c_met or 0),
            int(c_rep or 0),
            int(worst or 0),
            int(n_breach or 0),
        )
    return stats


class PlainDate(TypeDecorator):
    """A date column read with `date.fromisoformat` where the driver hands back text (SQLite);
    PostgreSQL drivers return dates, which pass through. Much cheaper than SQLite's date parsing
    when tens of thousands of rows come back."""

    impl = String
    cache_ok = True

    def process_result_value(self, value, _dialect):
        return date.fromisoformat(value) if isinstance(value, str) else value


class CriticalMonth(NamedTuple):
    """One reported month of a critical service level, with what the credit rules need."""

    engagement_id: int
    level_id: int
    name: str
    direction: str
    target: object
    minimum: object
    allocation_pct: object
    period: date
    severity: int


def critical_months(
    engagement_filter, breach_first: date, breach_last: date, first: date, through: date
) -> list[CriticalMonth]:
    """Results over [first, through] of the critical levels that breached in [breach_first,
    breach_last], for the engagements a subquery selects, in the rules' level order.

    Credits arise only from breaches of critical levels and earn-back looks only at the months
    after a breach, so this is everything the credit rules need, in one query.
    """
    critical = ServiceLevel.classification == Classification.CRITICAL
    severity = status_severity_expr()
    breached = (
        select(Measurement.service_level_id)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .where(
            Measurement.engagement_id.in_(engagement_filter),
            critical,
            Measurement.period >= first_of_month(breach_first),
            Measurement.period <= first_of_month(breach_last),
            severity == SEVERITY["breach"],
        )
    )
    # The levels' terms once per level, not once per month: Decimal conversion is not free.
    terms = {
        level_id: rest
        for level_id, *rest in db_execute(
            select(
                ServiceLevel.id,
                ServiceLevel.name,
                ServiceLevel.direction,
                ServiceLevel.target,
                ServiceLevel.minimum,
                ServiceLevel.allocation_pct,
            ).where(ServiceLevel.id.in_(breached))
        )
    }
    rows = db_execute(
        select(
            Measurement.engagement_id,
            Measurement.service_level_id,
            type_coerce(Measurement.period, PlainDate),
            severity,
        )
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .where(
            Measurement.service_level_id.in_(breached),
            Measurement.period >= first_of_month(first),
            Measurement.period <= first_of_month(through),
        )
        .order_by(
            Measurement.engagement_id,
            ServiceLevel.position,
            ServiceLevel.id,
            Measurement.period,
        )
    )
    return [
        CriticalMonth(engagement_id, level_id, *terms[level_id], period, severity)
        for engagement_id, level_id, period, severity in rows
    ]


def db_execute(stmt):
    from vendor_tracker.extensions import db

    return db.session.execute(stmt).all()


def summarise(
    stats: EngagementStats,
    start: date,
    end: date | None,
    first: date,
    last: date,
    today: date,
    months: list[date] | None = None,
) -> tuple[Attainment, Attainment, dict[date, MonthStatus | None]]:
    """Overall and critical attainment and the worst critical status per month, from counts.

    Counts the same way as the pure rules: each level-month of the window is expected once it
    has ended (or has a result); reported months count, gaps never count as met. `months` may
    pass the engagement's active months when the caller already knows them.
    """
    current = first_of_month(today)
    if months is None:
        months = active_months(start, end, first, last, today)
    met = reported = expected = c_met = c_reported = c_expected = 0
    worst: dict[date, MonthStatus | None] = {}
    empty = MonthStats()
    levels, critical_levels = stats.levels, stats.critical_levels
    gap_severity, open_severity = SEVERITY["not_reported"], SEVERITY["open"]
    for month in months:
        found = stats.months.get(month, empty)
        ended = month < current
        met += found.met
        reported += found.reported
        expected += levels if ended else found.reported
        c_met += found.critical_met
        c_reported += found.critical_reported
        c_expected += critical_levels if ended else found.critical_reported
        if not critical_levels:
            worst[month] = None
            continue
        severity = found.worst_critical
        if found.critical_reported < critical_levels:
            severity = max(severity, gap_severity if ended else open_severity)
        worst[month] = STATUS_BY_SEVERITY[severity]
    return (
        Attainment(met, reported, expected),
        Attainment(c_met, c_reported, c_expected),
        worst,
    )
