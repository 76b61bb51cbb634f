"""Pure rules of the BPO monthly rollups: one engagement-month's figures from the SLA and credit
rules, and which months a change can affect.

Every figure is what `sla` and `credits` say for the month, so sums of these rows equal what
`compliance.evaluate_engagement` reports over any period (tested against it). Counts do not
depend on the date; of the credits only `pending` does (a pending credit turns final when a
month it waits for ends unreported, see `pending_until`); `expected` months are not stored: a
reader counts the levels of each ended month as the rules do.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from vendor_tracker.engagements.bpo.compliance import LevelInput
from vendor_tracker.engagements.bpo.credits import (
    ZERO,
    CreditedLevel,
    CreditTerms,
    EarnBack,
    MonthCredits,
    credit_ledger,
)
from vendor_tracker.engagements.bpo.sla import (
    SEVERITY,
    Classification,
    MonthStatus,
    active_months,
    first_of_month,
    result_status,
    shift_month,
)


@dataclass(frozen=True)
class MonthFigures:
    """What the reports read of one engagement-month (a month of its window with results)."""

    reported: int = 0
    met: int = 0
    critical_reported: int = 0
    critical_met: int = 0
    worst_critical: int = 0  # highest `SEVERITY` among reported critical results, 0 for none
    breaches: int = 0  # reported results of any level that breach
    critical_breaches: int = 0
    credits: int = 0  # credit lines of the ledger (waived ones included)
    gross: Decimal = ZERO
    earned_back: Decimal = ZERO
    pending: Decimal = ZERO
    waived: Decimal = ZERO
    payable: Decimal = ZERO
    pending_until: date | None = None

    def differences(self, other: "MonthFigures") -> list[tuple[str, object, object]]:
        """(field, this value, other value) for every field where the two differ."""
        return [
            (f.name, getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)
            if getattr(self, f.name) != getattr(other, f.name)
        ]


FIGURE_NAMES = tuple(f.name for f in fields(MonthFigures))


def affected_months(changed: Iterable[date], earn_back_months: int) -> set[date]:
    """Months whose figures a change of results in `changed` can alter: each month itself and
    the `earn_back_months` before it (their credits are earned back by the changed month)."""
    window = max(earn_back_months or 0, 0)
    found: set[date] = set()
    for month in changed:
        start = first_of_month(month)
        found.update(shift_month(start, -step) for step in range(window + 1))
    return found


def _pending_until(line: MonthCredits, window: int, statuses) -> date | None:
    """The first later month a pending credit of the line waits for (the earliest of them)."""
    found = []
    for credit in line.credits:
        if credit.state is not EarnBack.PENDING:
            continue
        for step in range(1, window + 1):
            later = shift_month(line.month, step)
            if statuses[credit.level_id].get(later) is not MonthStatus.MET:
                found.append(later)
                break
    return min(found) if found else None


def month_figures(
    levels: Sequence[LevelInput],
    actuals: Mapping[tuple[int, date], Decimal],
    start: date,
    end: date | None,
    terms: CreditTerms,
    waived: Collection[tuple[int, date]],
    today: date,
    months: Collection[date] | None = None,
) -> dict[date, MonthFigures]:
    """{month: figures} for the months of the engagement's window (of `months`, when given)
    that have a result; statuses and the ledger exactly as `compliance.evaluate_engagement`
    judges them as of `today` (earn-back looks at results up to today)."""
    wanted = None if months is None else {first_of_month(m) for m in months}
    first = min(wanted) if wanted else first_of_month(start)
    judged = active_months(start, end, first, today, today)
    current = first_of_month(today)
    statuses: dict[int, dict[date, MonthStatus]] = {}
    counts: dict[date, list[int]] = {}
    for level in levels:
        critical = level.terms.classification is Classification.CRITICAL
        by_month = statuses[level.id] = {}
        for month in judged:
            actual = actuals.get((level.id, month))
            if actual is None:
                by_month[month] = MonthStatus.OPEN if month >= current else MonthStatus.NOT_REPORTED
                continue
            status = by_month[month] = result_status(level.terms, actual)
            if wanted is not None and month not in wanted:
                continue
            # reported, met, critical reported, critical met, worst critical, breaches,
            # critical breaches
            row = counts.setdefault(month, [0] * 7)
            met, breach = status is MonthStatus.MET, status is MonthStatus.BREACH
            row[0] += 1
            row[1] += met
            row[5] += breach
            if critical:
                row[2] += 1
                row[3] += met
                row[4] = max(row[4], SEVERITY[status.value])
                row[6] += breach
    ledger = credit_ledger(
        terms,
        [CreditedLevel(lv.id, lv.name, lv.terms) for lv in levels],
        statuses,
        sorted(counts),
        waived,
    )
    window = terms.earn_back_months or 0
    found = {}
    for line in ledger.months:
        found[line.month] = MonthFigures(
            *counts[line.month],
            line.breaches,
            line.gross,
            line.earned_back,
            line.pending,
            line.waived,
            line.payable,
            _pending_until(line, window, statuses),
        )
    return found
