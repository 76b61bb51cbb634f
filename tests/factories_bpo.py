"""Builders for BPO rows: service levels and monthly results."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.credits import EarnBack
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    MonthStatus,
    Source,
    first_of_month,
    shift_month,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


def make_level(
    engagement,
    name="Service level",
    unit="%",
    direction="higher",
    target="80",
    minimum="75",
    classification="key",
    allocation=None,
    metric_code=None,
    position=0,
):
    level = ServiceLevel(
        engagement_id=engagement.id,
        name=name,
        unit=unit,
        metric_code=metric_code,
        direction=Direction(direction),
        target=Decimal(target),
        minimum=Decimal(minimum) if minimum is not None else None,
        classification=Classification(classification),
        allocation_pct=Decimal(allocation) if allocation is not None else None,
        position=position,
    )
    db.session.add(level)
    db.session.flush()
    return level


def make_result(level, period: date, actual, volume=None, note=""):
    measurement = Measurement(
        engagement_id=level.engagement_id,
        service_level_id=level.id,
        period=period,
        actual=Decimal(str(actual)),
        volume=volume,
        note=note,
        source=Source.FORM,
    )
    db.session.add(measurement)
    db.session.flush()
    return measurement


def make_provider_user(vendor, password, email="provider@example.com"):
    """A provider's user bound to `vendor` (the fixtures' provider@ rebound when it exists)."""
    from vendor_tracker.auth.services import create_user, user_by_email

    user = user_by_email(email) or create_user(email, password, "provider", "Provider Person")
    user.role, user.vendor_id = "provider", vendor.id
    db.session.flush()
    return user


def make_report(engagement, period: date, state="submitted", by=None, reasons=None):
    """A month report in `state`, with one event per state it went through."""
    from vendor_tracker.engagements.bpo.models import MonthReport, MonthReportEvent
    from vendor_tracker.engagements.bpo.reporting_rules import ReportState

    report = MonthReport(
        engagement_id=engagement.id,
        period=period,
        state=ReportState(state),
        reasons=reasons or {},
        changed_by_id=by.id if by else None,
    )
    report.events.append(MonthReportEvent(state=ReportState.SUBMITTED, by_id=report.changed_by_id))
    if state != "submitted":
        report.events.append(MonthReportEvent(state=ReportState(state), reasons=reasons or {}))
    db.session.add(report)
    db.session.flush()
    return report


def make_credit_dispute(level, period: date, state="open", category="other", note=""):
    from vendor_tracker.engagements.bpo.models import CreditDispute
    from vendor_tracker.engagements.bpo.reporting_rules import DisputeCategory, DisputeState

    dispute = CreditDispute(
        engagement_id=level.engagement_id,
        service_level_id=level.id,
        period=period,
        category=DisputeCategory(category),
        reason="The outage was on the client's side.",
        state=DisputeState(state),
        note=note,
    )
    db.session.add(dispute)
    db.session.flush()
    return dispute


def portal_world(password, today: date | None = None) -> dict:
    """Vendor A's BPO engagement (a critical level carrying 100 % of the pool, a key level),
    results for the last three months with a breach of the critical level two months back,
    vendor B's engagement, and provider@example.com bound to vendor A. Returns the ids."""
    from tests import factories
    from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

    this_month = first_of_month(today or date.today())
    window = {"start": shift_month(this_month, -12), "end": shift_month(this_month, 12)}
    vendor_a, vendor_b = factories.make_vendor("Vendor A"), factories.make_vendor("Vendor B")
    # 100 000 a month, 10 % at risk, no earn-back: a breach of `sl` costs 10 000.00, final.
    engagement = factories.make_engagement(vendor_a, earn_back_months=0, **window)
    other = factories.make_engagement(vendor_b, **window)
    sl = make_level(engagement, "Answer rate", classification="critical", allocation="100")
    aht = make_level(engagement, "AHT", unit="s", direction="lower", target="360", minimum=None)
    other_level = make_level(other, "Answer rate", classification="critical", allocation="100")
    for back in (1, 2, 3):
        month = shift_month(this_month, -back)
        make_result(sl, month, "70" if back == 2 else "85", 1000)
        make_result(aht, month, "300")
        make_result(other_level, month, "70")
    provider = make_provider_user(vendor_a, password)
    db.session.commit()
    return {
        "engagement": engagement.id,
        "other": other.id,
        "sl": sl.id,
        "aht": aht.id,
        "other_level": other_level.id,
        "provider": provider.id,
        "vendor_a": vendor_a.id,
        "this_month": this_month,
        "last_month": shift_month(this_month, -1),
        "breach_month": shift_month(this_month, -2),
    }


def reference_attention(today: date) -> list[tuple]:
    """The inbox's BPO breach and pending-credit items as (kind, engagement id, title, detail,
    due), by the full pure rules (`services.compliance_report`) over the last twelve months of
    each running BPO engagement, by engagement id: the oracle the SQL inbox is tested against."""
    this_month = first_of_month(today)
    last_month = shift_month(this_month, -1)
    engagements = db.session.execute(
        select(Engagement)
        .where(Engagement.kind == "BPO", Engagement.status == "active")
        .order_by(Engagement.id)
    ).scalars()
    found = []
    for engagement in engagements:
        report = services.compliance_report(
            engagement, shift_month(last_month, -11), last_month, today
        )
        label = f"{engagement.vendor.name} · {engagement.title}"
        names = [
            lr.level.name
            for lr in report.levels
            if (cell := lr.cell(last_month)) and cell.status is MonthStatus.BREACH
        ]
        if names:
            title = f"{len(names)} service level breach{'es' if len(names) > 1 else ''}"
            found.append(
                (
                    "bpo_breach",
                    engagement.id,
                    f"{title} in {last_month:%b %Y}",
                    f"{label}: {', '.join(names)}",
                    None,
                )
            )
        pending = [c for c in report.ledger.credits() if c.state is EarnBack.PENDING]
        if pending:
            amount = sum((c.amount for c in pending), Decimal("0.00"))
            window = engagement.earn_back_months
            found.append(
                (
                    "bpo_credit_pending",
                    engagement.id,
                    f"{engagement.currency} {amount:,.2f} of service credits pending earn-back",
                    f"{label}: " + ", ".join(f"{c.level_name} ({c.month:%b %Y})" for c in pending),
                    max(shift_month(c.month, window + 1) for c in pending) - timedelta(days=1),
                )
            )
    return found


def attention_tuples(items) -> list[tuple]:
    """Inbox items of those two kinds in the shape `reference_attention` gives."""
    return [
        (i.kind, int(i.url.rsplit("/", 1)[1]), i.title, i.detail, i.due)
        for i in items
        if i.kind in ("bpo_breach", "bpo_credit_pending")
    ]
