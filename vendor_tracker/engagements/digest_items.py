"""What still waits on someone in the weekly digest (registered with `notifications.digest`).

Unlike a notification, which the user may have read and left, these are read from the records'
state each week: still waiting means still listed.

- A client user, for the engagements they own: BPO months the provider submitted and nobody
  verified or disputed yet, credit disputes still open, KPO versions submitted and not reviewed.
- A provider's user, for their own vendor only: BPO months the client disputed (to correct and
  submit again).

Three queries for a client user, one for a provider's user, however many engagements.
"""

from datetime import date

from sqlalchemy import select

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.engagements.bpo.models import CreditDispute, MonthReport, ServiceLevel
from vendor_tracker.engagements.bpo.reporting_rules import DisputeState, ReportState
from vendor_tracker.engagements.kpo.models import Deliverable, Review, Submission
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.notifications.digest import digest_source
from vendor_tracker.vendors.models import Vendor


def _link(engagement_id: int) -> str:
    return f"/engagements/{engagement_id}"


def _months_submitted(owner_id: int) -> list[InboxItem]:
    rows = db.session.execute(
        select(MonthReport.period, Engagement.id, Engagement.title, Vendor.name)
        .join(Engagement, Engagement.id == MonthReport.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(Engagement.owner_id == owner_id, MonthReport.state == ReportState.SUBMITTED)
        .order_by(MonthReport.period, Engagement.id)
    ).all()
    return [
        InboxItem(
            "bpo_report_submitted",
            f"Verify or dispute {period:%b %Y}",
            f"{vendor} · {title}: results submitted by the provider",
            _link(engagement_id),
            None,
        )
        for period, engagement_id, title, vendor in rows
    ]


def _disputes_open(owner_id: int) -> list[InboxItem]:
    rows = db.session.execute(
        select(
            CreditDispute.period, ServiceLevel.name, Engagement.id, Engagement.title, Vendor.name
        )
        .join(ServiceLevel, ServiceLevel.id == CreditDispute.service_level_id)
        .join(Engagement, Engagement.id == CreditDispute.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(Engagement.owner_id == owner_id, CreditDispute.state == DisputeState.OPEN)
        .order_by(CreditDispute.period, CreditDispute.id)
    ).all()
    return [
        InboxItem(
            "bpo_credit_dispute",
            f"Decide the disputed credit of {level}, {period:%b %Y}",
            f"{vendor} · {title}",
            _link(engagement_id),
            None,
        )
        for period, level, engagement_id, title, vendor in rows
    ]


def _versions_to_review(owner_id: int) -> list[InboxItem]:
    rows = db.session.execute(
        select(
            Submission.version,
            Submission.submitted_on,
            Deliverable.title,
            Engagement.id,
            Engagement.title,
            Vendor.name,
        )
        .join(Deliverable, Deliverable.id == Submission.deliverable_id)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .outerjoin(Review, Review.submission_id == Submission.id)
        .where(Engagement.owner_id == owner_id, Review.id.is_(None))
        .order_by(Submission.submitted_on, Submission.id)
    ).all()
    return [
        InboxItem(
            "version_to_review",
            f"Review version {version} of {deliverable}",
            f"{vendor} · {title}: submitted {submitted_on:%d %b %Y}",
            _link(engagement_id),
            None,
        )
        for version, submitted_on, deliverable, engagement_id, title, vendor in rows
    ]


def _months_disputed(vendor_id: int) -> list[InboxItem]:
    rows = db.session.execute(
        select(MonthReport.period, Engagement.id, Engagement.title)
        .join(Engagement, Engagement.id == MonthReport.engagement_id)
        .where(Engagement.vendor_id == vendor_id, MonthReport.state == ReportState.DISPUTED)
        .order_by(MonthReport.period, Engagement.id)
    ).all()
    return [
        InboxItem(
            "bpo_month_disputed",
            f"Correct and submit {period:%b %Y} again",
            f"{title}: the client disputed this month's results",
            _link(engagement_id),
            None,
        )
        for period, engagement_id, title in rows
    ]


@digest_source
def waiting_items(user, _today: date) -> list[InboxItem]:
    """What waits on `user`: in the engagements they own (client) or for their vendor
    (provider)."""
    if user.is_provider:
        return _months_disputed(user.vendor_id) if user.vendor_id else []
    return [*_months_submitted(user.id), *_disputes_open(user.id), *_versions_to_review(user.id)]
