"""BPO figures of many engagements at once, in a fixed number of queries.

Other packages (reporting's exports and QBR pack, the vendor summaries) call these instead of
looping over engagements; every figure still comes from the pure rules (`sla`, `credits`,
`compliance`), fed only the rows they need.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import select

from vendor_tracker.engagements.bpo.compliance import (
    LevelInput,
    MonthCell,
    evaluate_engagement,
)
from vendor_tracker.engagements.bpo.credits import CreditedLevel, CreditTerms, Ledger, credit_ledger
from vendor_tracker.engagements.bpo.disputes import waivers_for
from vendor_tracker.engagements.bpo.queries import (
    STATUS_BY_SEVERITY,
    CriticalMonth,
    critical_months,
)
from vendor_tracker.engagements.bpo.services import level_inputs_for, load_results
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    LevelTerms,
    MonthStatus,
    active_months,
    first_of_month,
    month_status,
    shift_month,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor


class EngagementTerms(NamedTuple):
    """The columns of an engagement the BPO rules need (plus what items and exports label)."""

    id: int
    vendor_id: int
    vendor_name: str
    title: str
    start_date: date
    end_date: date | None
    currency: str
    monthly_fee: object
    at_risk_pct: object
    earn_back_months: int | None

    @property
    def credit_terms(self) -> CreditTerms:
        return CreditTerms(
            self.monthly_fee,
            self.at_risk_pct,
            self.earn_back_months or 0,
            first_of_month(self.end_date) if self.end_date else None,
        )


def load_engagements(*conditions) -> dict[int, EngagementTerms]:
    """{id: EngagementTerms} of the engagements matching `conditions`, by id, in one query."""
    rows = db.session.execute(
        select(
            Engagement.id,
            Engagement.vendor_id,
            Vendor.name,
            Engagement.title,
            Engagement.start_date,
            Engagement.end_date,
            Engagement.currency,
            Engagement.monthly_fee,
            Engagement.at_risk_pct,
            Engagement.earn_back_months,
        )
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(*conditions)
        .order_by(Engagement.id)
    )
    return {row[0]: EngagementTerms(*row) for row in rows}


def credit_window_end(engagements: Iterable[EngagementTerms], last: date, today: date) -> date:
    """The last month earn-back can look at: `last` plus the longest window, at most today."""
    longest = max((e.earn_back_months or 0 for e in engagements), default=0)
    return min(first_of_month(today), shift_month(first_of_month(last), longest))


def ledgers_from_months(
    engagements: dict[int, EngagementTerms],
    rows: list[CriticalMonth],
    first: date,
    last: date,
    through: date,
    today: date,
    only_with_rows: bool = False,
    waivers: dict[int, frozenset] | None = None,
) -> dict[int, Ledger]:
    """The pure credits ledger over [first, last] of each engagement, from `critical_months` rows.

    Months without a row inside the engagement's window are gaps (or open), as the rules judge
    them; rows outside the window are ignored, as the rules ignore them. `waivers` holds each
    engagement's waived credits (`disputes.waivers_for`).
    """
    waivers = waivers or {}
    grouped: dict[int, list[CriticalMonth]] = defaultdict(list)
    for row in rows:
        grouped[row.engagement_id].append(row)
    current = first_of_month(today)
    last_month = first_of_month(last)
    ledgers = {}
    for engagement_id, engagement in engagements.items():
        found = grouped.get(engagement_id, [])
        if only_with_rows and not found:
            continue
        judged = active_months(engagement.start_date, engagement.end_date, first, through, today)
        inside = set(judged)
        levels: dict[int, CreditedLevel] = {}
        reported: dict[int, dict[date, MonthStatus]] = {}
        for row in found:
            if row.level_id not in levels:
                terms = LevelTerms(
                    Direction(row.direction),
                    row.target,
                    row.minimum,
                    Classification.CRITICAL,
                    row.allocation_pct,
                )
                levels[row.level_id] = CreditedLevel(row.level_id, row.name, terms)
                reported[row.level_id] = {}
            if row.period in inside:
                reported[row.level_id][row.period] = STATUS_BY_SEVERITY[row.severity]
        statuses = {
            level_id: {
                month: by_month.get(month)
                or (MonthStatus.OPEN if month >= current else MonthStatus.NOT_REPORTED)
                for month in judged
            }
            for level_id, by_month in reported.items()
        }
        shown = [month for month in judged if month <= last_month]
        ledgers[engagement_id] = credit_ledger(
            engagement.credit_terms,
            list(levels.values()),
            statuses,
            shown,
            waivers.get(engagement_id, frozenset()),
        )
    return ledgers


# --- for other packages ----------------------------------------------------------------------


def _reports(engagement_ids, first, last, today):
    ids = list(dict.fromkeys(engagement_ids))
    if not ids:
        return {}, {}
    engagements = load_engagements(Engagement.id.in_(ids))
    levels = level_inputs_for(ids)
    results = load_results(ids, first, max(first_of_month(today), first_of_month(first)))
    waivers = waivers_for(ids)
    return engagements, {
        eid: evaluate_engagement(
            levels[eid],
            results[eid],
            e.start_date,
            e.end_date,
            first,
            last,
            today,
            e.credit_terms,
            waivers[eid],
        )
        for eid, e in engagements.items()
    }


def engagement_bpo_summaries(
    engagement_ids: list[int], first_month: date, last_month: date, today: date
) -> dict[int, dict]:
    """Per engagement: met, reported, expected, attainment, coverage, breaches (of critical
    levels: they carry credits), key_breaches (of key levels), gross, earned_back, pending,
    payable and currency over [first_month, last_month]."""
    found = {}
    engagements, reports = _reports(engagement_ids, first_month, last_month, today)
    for eid, report in reports.items():
        overall, ledger = report.overall, report.ledger
        found[eid] = {
            "met": overall.met,
            "reported": overall.reported,
            "expected": overall.expected,
            "attainment": overall.rate,
            "coverage": overall.coverage,
            "breaches": ledger.breaches,
            "key_breaches": sum(
                cell.status is MonthStatus.BREACH
                for lr in report.levels
                if lr.level.terms.classification is Classification.KEY
                for cell in lr.cells.values()
            ),
            "gross": ledger.gross,
            "earned_back": ledger.earned_back,
            "pending": ledger.pending,
            "payable": ledger.payable,
            "currency": engagements[eid].currency,
        }
    return found


def measurement_rows(
    engagement_ids: list[int], first: date, last: date, today: date
) -> dict[int, list[tuple[LevelInput, MonthCell]]]:
    """Per engagement, every (service level, month cell) of [first, last] inside its window, in
    level order then month order; statuses from `sla.month_status`. Three queries."""
    ids = list(dict.fromkeys(engagement_ids))
    if not ids:
        return {}
    engagements = load_engagements(Engagement.id.in_(ids))
    levels = level_inputs_for(ids)
    results = load_results(ids, first, last)
    found: dict[int, list[tuple[LevelInput, MonthCell]]] = {}
    for eid, engagement in engagements.items():
        months = active_months(engagement.start_date, engagement.end_date, first, last, today)
        by_key = results[eid]
        cells = []
        for level in levels[eid]:
            for month in months:
                result = by_key.get((level.id, month))
                actual = result.actual if result else None
                cells.append(
                    (
                        level,
                        MonthCell(
                            month,
                            month_status(level.terms, actual, month, today),
                            actual,
                            result.volume if result else None,
                        ),
                    )
                )
        found[eid] = cells
    return found


def credit_ledger_rows(
    engagement_ids: list[int], first: date, last: date, today: date
) -> dict[int, Ledger]:
    """Per engagement its credits ledger over [first, last] (a line for every month of its
    window, earn-back judged up to today, waived credits not payable): four queries, only
    breached critical levels read."""
    ids = list(dict.fromkeys(engagement_ids))
    if not ids:
        return {}
    engagements = load_engagements(Engagement.id.in_(ids))
    through = credit_window_end(engagements.values(), last, today)
    rows = critical_months(
        select(Engagement.id).where(Engagement.id.in_(ids)), first, last, first, through
    )
    return ledgers_from_months(
        engagements, rows, first, last, through, today, waivers=waivers_for(ids)
    )
