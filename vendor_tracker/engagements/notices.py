"""Dates coming up that people should hear about: the daily scans of certificates that expire
and engagements that end, registered with `notifications.services.scan`.

Each event is told once per person (its dedupe key names the record, the date and the window),
however often the scans run; a changed date is a new event.
"""

from datetime import date, timedelta

from sqlalchemy import select

from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import NotificationKind
from vendor_tracker.notifications.services import Notice, notify_all, provider_users, scan
from vendor_tracker.vendors.models import Certification, Vendor

# Days before expiry at which a certificate is announced: two events, the nearer one wins.
CERTIFICATE_WINDOWS = (30, 60)
ENDING_WITHIN = 90


def certificate_window(expires_on: date, today: date) -> int | None:
    """The smallest window (30 or 60 days) that `expires_on` falls in; None when it is further
    off or already past."""
    days_left = (expires_on - today).days
    if days_left < 0:
        return None
    return next((w for w in CERTIFICATE_WINDOWS if days_left <= w), None)


def _days(count: int) -> str:
    return "today" if count == 0 else f"in {count} day{'' if count == 1 else 's'}"


@scan
def certificates_expiring(today: date) -> int:
    """Certificates that expire within 60 days and within 30 days: the vendor's provider users
    and the owners of the vendor's active engagements."""
    last = today + timedelta(days=max(CERTIFICATE_WINDOWS))
    certificates = db.session.execute(
        select(Certification, Vendor.name)
        .join(Vendor, Vendor.id == Certification.vendor_id)
        .where(Certification.expires_on >= today, Certification.expires_on <= last)
        .order_by(Certification.expires_on, Certification.id)
    ).all()
    vendor_ids = sorted({c.vendor_id for c, _name in certificates})
    owners: dict[int, set[int]] = {vendor_id: set() for vendor_id in vendor_ids}
    for vendor_id, owner_id in db.session.execute(
        select(Engagement.vendor_id, Engagement.owner_id).where(
            Engagement.vendor_id.in_(vendor_ids),
            Engagement.status == EngagementStatus.ACTIVE,
            Engagement.owner_id.is_not(None),
        )
    ):
        owners[vendor_id].add(owner_id)
    providers = {vendor_id: provider_users(vendor_id) for vendor_id in vendor_ids}
    notices = []
    for certificate, vendor in certificates:
        window = certificate_window(certificate.expires_on, today)
        days_left = (certificate.expires_on - today).days
        notices.append(
            Notice(
                tuple(providers[certificate.vendor_id] + sorted(owners[certificate.vendor_id])),
                f"{vendor}: {certificate.name} expires {_days(days_left)}",
                f"{vendor}'s certificate {certificate.name} expires on "
                f"{certificate.expires_on:%d %b %Y} ({_days(days_left)}). Record the renewed "
                f"certificate on the company profile once it is issued.",
                f"/vendors/{certificate.vendor_id}",
                certificate.vendor_id,
                None,
                f"certificate_expiring:{certificate.id}:{certificate.expires_on:%Y-%m-%d}:{window}",
            )
        )
    return notify_all(NotificationKind.CERTIFICATE_EXPIRING, notices)


@scan
def engagements_ending(today: date) -> int:
    """Active engagements that end within 90 days: their owners, once per end date."""
    rows = db.session.execute(
        select(Engagement, Vendor.name)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(
            Engagement.status == EngagementStatus.ACTIVE,
            Engagement.owner_id.is_not(None),
            Engagement.end_date >= today,
            Engagement.end_date <= today + timedelta(days=ENDING_WITHIN),
        )
        .order_by(Engagement.end_date, Engagement.id)
    ).all()
    notices = [
        Notice(
            (engagement.owner_id,),
            f"{engagement.title} ends {_days((engagement.end_date - today).days)}",
            f"Your engagement {engagement.title} with {vendor} ends on "
            f"{engagement.end_date:%d %b %Y} ({_days((engagement.end_date - today).days)}). "
            f"Decide whether to renew, extend or let it end.",
            f"/engagements/{engagement.id}",
            engagement.vendor_id,
            engagement.id,
            f"engagement_ending:{engagement.id}:{engagement.end_date:%Y-%m-%d}",
        )
        for engagement, vendor in rows
    ]
    return notify_all(NotificationKind.ENGAGEMENT_ENDING, notices)
