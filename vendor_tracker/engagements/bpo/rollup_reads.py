"""Reads of the BPO monthly rollups for pages over many engagements.

The same shapes the grouped SQL of `queries` produced (`EngagementStats` of `MonthStats`), now
read from one row per engagement-month instead of every result: a fixed number of queries, and
rows in proportion to engagements x months, not to service levels. `settle` first folds in any
change of the current transaction, so a reader never sees rollups older than its own writes.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import case, func, literal, select, type_coerce, union_all

from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.queries import EngagementStats, MonthStats, PlainDate
from vendor_tracker.engagements.bpo.rollup_events import settle
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup as Rollup
from vendor_tracker.engagements.bpo.sla import Classification, first_of_month
from vendor_tracker.extensions import db


def rollup_stats(
    engagement_filter, first: date, last: date
) -> tuple[dict[int, EngagementStats], dict[int, dict[date, Decimal]]]:
    """Level counts and per-month counts of the engagements a subquery selects over [first,
    last], and {engagement id: {month: credits payable}} for the months with a payable amount.
    Two queries."""
    settle(db.session)
    stats = level_counts(engagement_filter)
    # On the connection, not through the ORM: thousands of plain tuples, dates parsed cheaply.
    rows = db.session.connection().execute(
        select(
            Rollup.engagement_id,
            type_coerce(Rollup.month, PlainDate),
            Rollup.met,
            Rollup.reported,
            Rollup.critical_met,
            Rollup.critical_reported,
            Rollup.worst_critical,
            Rollup.breaches,
            Rollup.payable,
        ).where(
            Rollup.engagement_id.in_(engagement_filter),
            Rollup.month >= first_of_month(first),
            Rollup.month <= first_of_month(last),
        )
    )
    payable: dict[int, dict[date, Decimal]] = defaultdict(dict)
    for engagement_id, month, *counts, amount in rows:
        entry = stats.setdefault(engagement_id, EngagementStats())
        entry.months[month] = MonthStats(*counts)
        if amount:
            payable[engagement_id][month] = amount
    return stats, payable


def level_counts(engagement_filter) -> dict[int, EngagementStats]:
    """{engagement id: EngagementStats with its level and critical level counts}, one query."""
    critical = ServiceLevel.classification == Classification.CRITICAL
    level_rows = db.session.execute(
        select(ServiceLevel.engagement_id, func.count(), func.sum(case((critical, 1), else_=0)))
        .where(ServiceLevel.engagement_id.in_(engagement_filter))
        .group_by(ServiceLevel.engagement_id)
    )
    return {
        engagement_id: EngagementStats(levels, int(critical_levels or 0))
        for engagement_id, levels, critical_levels in level_rows
    }


def payable_over(payable: dict[date, Decimal], months) -> Decimal:
    """Credits payable over `months` (the engagement's active months of a period)."""
    return sum((payable.get(month, Decimal("0.00")) for month in months), Decimal("0.00"))


class PeriodSums(NamedTuple):
    """One engagement's rollup sums over one period (its rows lie inside its window)."""

    met: int
    reported: int
    breaches: int
    payable: Decimal
    reported_now: int  # results of the running month (expected only once reported)


def period_sums(engagement_filter, bounds: list[tuple[date, date]], today: date) -> list[dict]:
    """[{engagement id: PeriodSums} per (first, last) month], in one grouped query whatever
    the number of periods: rows in proportion to engagements, not to months."""
    settle(db.session)
    current = first_of_month(today)
    parts = [
        select(
            literal(index).label("period"),
            Rollup.engagement_id,
            func.sum(Rollup.met),
            func.sum(Rollup.reported),
            func.sum(Rollup.breaches),
            func.sum(Rollup.payable),
            func.sum(case((Rollup.month == current, Rollup.reported), else_=0)),
        )
        .where(
            Rollup.engagement_id.in_(engagement_filter),
            Rollup.month >= first_of_month(first),
            Rollup.month <= first_of_month(last),
        )
        .group_by(Rollup.engagement_id)
        for index, (first, last) in enumerate(bounds)
    ]
    found: list[dict] = [{} for _ in bounds]
    if not parts:
        return found
    for (
        index,
        engagement_id,
        met,
        reported,
        breaches,
        payable,
        now,
    ) in db.session.connection().execute(union_all(*parts)):
        found[index][engagement_id] = PeriodSums(
            int(met or 0),
            int(reported or 0),
            int(breaches or 0),
            Decimal(str(payable or 0)).quantize(Decimal("0.01")),
            int(now or 0),
        )
    return found
