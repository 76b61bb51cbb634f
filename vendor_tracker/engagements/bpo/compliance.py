"""Pure assembly of an engagement's compliance report: statuses, attainment, credits ledger.

The one function pages, the API and the CSV exports call with loaded values.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from vendor_tracker.engagements.bpo.credits import (
    CreditedLevel,
    CreditTerms,
    Ledger,
    credit_ledger,
)
from vendor_tracker.engagements.bpo.sla import (
    NO_ATTAINMENT,
    Attainment,
    Classification,
    LevelTerms,
    MonthStatus,
    active_months,
    attainment,
    first_of_month,
    result_status,
    worst_status,
)


@dataclass(frozen=True)
class LevelInput:
    """A service level as the rules see it."""

    id: int
    name: str
    unit: str
    terms: LevelTerms


@dataclass(frozen=True)
class MonthCell:
    month: date
    status: MonthStatus
    actual: Decimal | None
    volume: int | None = None


@dataclass(frozen=True)
class LevelReport:
    level: LevelInput
    cells: Mapping[date, MonthCell]
    attainment: Attainment

    def cell(self, month: date) -> MonthCell | None:
        """The month's cell, or None when the month lies outside the engagement's window."""
        return self.cells.get(month)


@dataclass(frozen=True)
class EngagementReport:
    """Compliance of one engagement over the months [first, last] it was active."""

    months: tuple[date, ...]
    levels: tuple[LevelReport, ...]
    critical: Attainment
    key: Attainment
    ledger: Ledger

    @property
    def overall(self) -> Attainment:
        return self.critical + self.key

    def worst_critical(self, month: date) -> MonthStatus | None:
        """The worst critical result of a month (None without critical levels in it)."""
        return worst_status(
            lr.cells[month].status
            for lr in self.levels
            if lr.level.terms.classification is Classification.CRITICAL and month in lr.cells
        )


@dataclass(frozen=True)
class Result:
    actual: Decimal
    volume: int | None = None


def evaluate_engagement(
    levels: Sequence[LevelInput],
    results: Mapping[tuple[int, date], Result],
    start: date,
    end: date | None,
    first: date,
    last: date,
    today: date,
    terms: CreditTerms,
    waived: Collection[tuple[int, date]] = (),
) -> EngagementReport:
    """Statuses and attainment for [first, last]; earn-back looks at results up to today.

    `results` maps (service level id, first day of month) to the reported result and should hold
    every month from `first` to today so that earn-back can be judged; `waived` holds the
    (service level id, month) of waived credits (`credits.credit_ledger`).
    """
    shown = active_months(start, end, first, last, today)
    judged = active_months(start, end, first, today, today)
    statuses: dict[int, dict[date, MonthStatus]] = {}
    reports = []
    critical, key = NO_ATTAINMENT, NO_ATTAINMENT
    last_month, current = first_of_month(last), first_of_month(today)
    for level in levels:
        by_month = {}
        cells = {}
        for month in judged:
            result = results.get((level.id, month))
            if result is not None:
                status = result_status(level.terms, result.actual)
            else:  # as month_status: the current month is open, an ended one a gap
                status = MonthStatus.OPEN if month >= current else MonthStatus.NOT_REPORTED
            by_month[month] = status
            if month <= last_month:
                cells[month] = MonthCell(
                    month,
                    status,
                    result.actual if result else None,
                    result.volume if result else None,
                )
        statuses[level.id] = by_month
        level_attainment = attainment(cell.status for cell in cells.values())
        if level.terms.classification is Classification.CRITICAL:
            critical += level_attainment
        else:
            key += level_attainment
        reports.append(LevelReport(level, cells, level_attainment))
    ledger = credit_ledger(
        terms,
        [CreditedLevel(lv.id, lv.name, lv.terms) for lv in levels],
        statuses,
        shown,
        waived,
    )
    return EngagementReport(tuple(shown), tuple(reports), critical, key, ledger)
