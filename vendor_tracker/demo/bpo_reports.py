"""Demo month reports and a credit dispute for Concentrix: last month submitted by the provider
and awaiting verification, the month three back disputed by the client, and an open dispute of
the CSAT credit pending earn-back. Running it again adds nothing that already exists."""

from datetime import date

from sqlalchemy import select

from vendor_tracker.auth.models import User
from vendor_tracker.demo import demo_engagement
from vendor_tracker.engagements.bpo.models import (
    CreditDispute,
    Measurement,
    MonthReport,
    MonthReportEvent,
    ServiceLevel,
)
from vendor_tracker.engagements.bpo.reporting_rules import (
    DisputeCategory,
    DisputeState,
    ReportState,
)
from vendor_tracker.engagements.bpo.sla import Source, first_of_month, shift_month
from vendor_tracker.extensions import db


def _provider_user(vendor_id: int):
    """The demo provider user of a vendor, when one exists (created with the demo users)."""
    return (
        db.session.execute(
            select(User)
            .where(User.role == "provider", User.vendor_id == vendor_id)
            .order_by(User.id)
        )
        .scalars()
        .first()
    )


def _client_manager():
    return (
        db.session.execute(
            select(User)
            .where(User.role.in_(("manager", "admin")))
            .order_by(User.role.desc(), User.id)
        )
        .scalars()
        .first()
    )


def seed_reports(today: date, key: tuple[str, str]) -> tuple[int, int]:
    """(reports added, disputes added) on the demo engagement `key` (vendor, title), whose
    first level is the service level and second the CSAT level of `demo.bpo.LEVELS`."""
    engagement = demo_engagement(*key)
    if engagement is None:
        return 0, 0
    current = first_of_month(today)
    provider = _provider_user(engagement.vendor_id)
    manager = _client_manager()
    levels = {
        lv.name: lv
        for lv in db.session.execute(
            select(ServiceLevel).where(ServiceLevel.engagement_id == engagement.id)
        ).scalars()
    }
    names = [lv.name for lv in sorted(levels.values(), key=lambda lv: lv.position)]
    stored = {
        r.period
        for r in db.session.execute(
            select(MonthReport).where(MonthReport.engagement_id == engagement.id)
        ).scalars()
    }
    added = 0
    by = provider.id if provider else None
    for back, disputed in ((1, False), (3, True)):
        month = shift_month(current, -back)
        if month in stored or month < first_of_month(engagement.start_date):
            continue
        for m in db.session.execute(
            select(Measurement).where(
                Measurement.engagement_id == engagement.id, Measurement.period == month
            )
        ).scalars():
            m.source, m.recorded_by_id = Source.PROVIDER, by
        report = MonthReport(
            engagement_id=engagement.id, period=month, state=ReportState.SUBMITTED, reasons={}
        )
        report.changed_by_id = by
        report.events.append(MonthReportEvent(state=ReportState.SUBMITTED, by_id=by, reasons={}))
        if disputed:
            reasons = {
                str(levels[names[0]].id): "The ACD export shows 78.9 %, not the figure reported; "
                "please send the interval report."
            }
            report.state, report.reasons = ReportState.DISPUTED, reasons
            report.changed_by_id = manager.id if manager else None
            report.events.append(
                MonthReportEvent(
                    state=ReportState.DISPUTED, by_id=report.changed_by_id, reasons=reasons
                )
            )
        db.session.add(report)
        added += 1
    disputes_added = 0
    csat = levels.get(names[1])
    month = shift_month(current, -2)
    exists = db.session.execute(
        select(CreditDispute.id).where(CreditDispute.engagement_id == engagement.id)
    ).first()
    if csat is not None and exists is None:
        db.session.add(
            CreditDispute(
                engagement_id=engagement.id,
                service_level_id=csat.id,
                period=month,
                category=DisputeCategory.CLIENT_CAUSED,
                reason="The client's CRM was down for two days that month; the survey links "
                "customers received were broken.",
                state=DisputeState.OPEN,
                raised_by_id=by,
            )
        )
        disputes_added = 1
    db.session.flush()
    return added, disputes_added
