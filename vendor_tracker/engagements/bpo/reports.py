"""Month reports: the provider's submissions and the client's verification or dispute.

Applies `reporting_rules` to the stored reports. A month without a report was keyed in by the
client and counts as verified; a client's write leaves an existing report as it is (the client
decides on a provider's month explicitly, by verifying or disputing it).
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.core.models import utcnow
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import notices
from vendor_tracker.engagements.bpo.models import Measurement, MonthReport, MonthReportEvent
from vendor_tracker.engagements.bpo.reporting_rules import (
    ReportAction,
    ReportState,
    dispute_reason_problems,
    effective_state,
    is_provisional,
    next_state,
    transition_problem,
)
from vendor_tracker.extensions import db

PROVISIONAL = (ReportState.SUBMITTED, ReportState.DISPUTED)


def report_of(engagement_id: int, month: date) -> MonthReport | None:
    """The report of one month (with its trail), or None when the client keyed it in."""
    return (
        db.session.execute(
            select(MonthReport)
            .options(
                joinedload(MonthReport.changed_by),
                joinedload(MonthReport.events).joinedload(MonthReportEvent.by),
            )
            .where(MonthReport.engagement_id == engagement_id, MonthReport.period == month)
        )
        .unique()
        .scalar_one_or_none()
    )


def reports_of(engagement_id: int, first: date | None = None, last: date | None = None):
    """{month: MonthReport} of an engagement (optionally within [first, last]), one query."""
    stmt = (
        select(MonthReport)
        .options(joinedload(MonthReport.changed_by))
        .where(MonthReport.engagement_id == engagement_id)
        .order_by(MonthReport.period.desc())
    )
    if first is not None:
        stmt = stmt.where(MonthReport.period >= first)
    if last is not None:
        stmt = stmt.where(MonthReport.period <= last)
    return {r.period: r for r in db.session.execute(stmt).scalars()}


def provisional_months(engagement_ids: Iterable[int]) -> dict[int, set[date]]:
    """{engagement id: months whose results are submitted or disputed}, in one query."""
    ids = list(dict.fromkeys(engagement_ids))
    found: dict[int, set[date]] = {eid: set() for eid in ids}
    if not ids:
        return found
    rows = db.session.execute(
        select(MonthReport.engagement_id, MonthReport.period).where(
            MonthReport.engagement_id.in_(ids), MonthReport.state.in_(PROVISIONAL)
        )
    )
    for engagement_id, period in rows:
        found[engagement_id].add(period)
    return found


def _change(report: MonthReport, state: ReportState, user_id, reasons: dict) -> None:
    report.state = state
    report.reasons = reasons
    report.changed_by_id = user_id
    report.changed_at = utcnow()
    report.events.append(MonthReportEvent(state=state, by_id=user_id, reasons=reasons))


def record_submission(engagement_id: int, months: Iterable[date], user_id: int | None) -> None:
    """A provider's write to `months`: each becomes (or stays) submitted, with an event."""
    months = sorted(set(months))
    if not months:
        return
    existing = {
        r.period: r
        for r in db.session.execute(
            select(MonthReport).where(
                MonthReport.engagement_id == engagement_id, MonthReport.period.in_(months)
            )
        ).scalars()
    }
    became = []  # months that now wait for the client (a correction of a submitted one does not)
    for month in months:
        report = existing.get(month)
        if report is None:
            report = MonthReport(engagement_id=engagement_id, period=month, reasons={})
            db.session.add(report)
        if report.state != ReportState.SUBMITTED:
            became.append(month)
        state = next_state(report.state, ReportAction.SUBMIT)
        _change(report, state, user_id, {})
    db.session.flush()
    notices.report_submitted(engagement_id, became, user_id)


def _decidable(engagement_id: int, month: date, action: ReportAction) -> MonthReport:
    report = report_of(engagement_id, month)
    if problem := transition_problem(report.state if report else None, action):
        raise Refusal(problem, conflict=True)
    return report


def verify_month(engagement_id: int, month: date, user_id: int) -> MonthReport:
    """The client accepts a submitted month; the caller commits."""
    report = _decidable(engagement_id, month, ReportAction.VERIFY)
    _change(report, next_state(report.state, ReportAction.VERIFY), user_id, {})
    db.session.flush()
    notices.month_decided(engagement_id, month, user_id, {})
    return report


def dispute_month(
    engagement_id: int, month: date, user_id: int, reasons: dict[int, str], level_ids
) -> MonthReport:
    """The client sends a submitted month back with a reason per service level."""
    report = _decidable(engagement_id, month, ReportAction.DISPUTE)
    if problems := dispute_reason_problems(reasons, level_ids):
        raise Refusal("The dispute needs a reason for each service level.", problems)
    cleaned = {str(level): reason.strip() for level, reason in sorted(reasons.items())}
    _change(report, next_state(report.state, ReportAction.DISPUTE), user_id, cleaned)
    db.session.flush()
    notices.month_decided(engagement_id, month, user_id, cleaned)
    return report


def month_states(engagement_id: int) -> list[dict]:
    """One entry per month with results or a report, newest first: period, state (months the
    client keyed in count as verified), provisional, who last changed it and when. Two queries."""
    found = reports_of(engagement_id)
    months = set(found) | set(
        db.session.execute(
            select(Measurement.period).where(Measurement.engagement_id == engagement_id).distinct()
        ).scalars()
    )
    entries = []
    for month in sorted(months, reverse=True):
        report = found.get(month)
        state = effective_state(report.state if report else None)
        entries.append(
            {
                "period": month,
                "state": state.value,
                "provisional": is_provisional(report.state if report else None),
                "changed_by_id": report.changed_by_id if report else None,
                "changed_by": report.changed_by.display_name
                if report and report.changed_by
                else None,
                "changed_at": report.changed_at if report else None,
                "reasons": dict(report.reasons or {})
                if report and report.state == ReportState.DISPUTED
                else {},
            }
        )
    return entries


def open_reports_for_vendor(vendor_id: int) -> list[tuple[MonthReport, str]]:
    """The vendor's months that wait for someone (disputed: the provider corrects; submitted:
    the client verifies), with the engagement's title, oldest first, in one query."""
    from vendor_tracker.engagements.models import Engagement

    rows = db.session.execute(
        select(MonthReport, Engagement.title)
        .join(Engagement, Engagement.id == MonthReport.engagement_id)
        .where(Engagement.vendor_id == vendor_id, MonthReport.state.in_(PROVISIONAL))
        .order_by(MonthReport.period, Engagement.title)
    )
    return [(report, title) for report, title in rows]


def vendor_has_bpo(vendor_id: int) -> bool:
    """True when the vendor has at least one BPO engagement."""
    from vendor_tracker.engagements.models import Engagement
    from vendor_tracker.vendors.rules import Model

    stmt = select(Engagement.id).where(
        Engagement.vendor_id == vendor_id, Engagement.kind == Model.BPO
    )
    return db.session.execute(stmt.limit(1)).first() is not None
