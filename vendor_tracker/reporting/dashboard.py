"""Counts shown on the dashboard, each from one grouped query."""

from datetime import date, timedelta

from sqlalchemy import func, select

from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Certification, ServiceLine, Vendor, vendor_service_lines
from vendor_tracker.vendors.rules import CERT_WARNING_DAYS


def dashboard_counts(today: date | None = None) -> dict:
    """Vendors by model and status, engagements by kind and status, certificates expiring."""
    today = today or date.today()
    vendors_by_status = dict(
        db.session.execute(select(Vendor.status, func.count()).group_by(Vendor.status)).all()
    )
    vendors_by_model = dict(
        db.session.execute(
            select(ServiceLine.model, func.count(func.distinct(vendor_service_lines.c.vendor_id)))
            .join(vendor_service_lines, vendor_service_lines.c.service_line_id == ServiceLine.id)
            .group_by(ServiceLine.model)
        ).all()
    )
    engagement_rows = db.session.execute(
        select(Engagement.kind, Engagement.status, func.count()).group_by(
            Engagement.kind, Engagement.status
        )
    ).all()
    engagements: dict = {}
    for kind, status, count in engagement_rows:
        engagements.setdefault(kind, {})[status] = count
    cert_rows = db.session.execute(
        select(func.count())
        .select_from(Certification)
        .where(Certification.expires_on <= today + timedelta(days=CERT_WARNING_DAYS))
        .where(Certification.expires_on >= today)
    ).scalar_one()
    expired = db.session.execute(
        select(func.count()).select_from(Certification).where(Certification.expires_on < today)
    ).scalar_one()
    return {
        "vendors_by_status": vendors_by_status,
        "vendors_total": sum(vendors_by_status.values()),
        "vendors_by_model": vendors_by_model,
        "engagements": engagements,
        "engagements_total": sum(c for _k, _s, c in engagement_rows),
        "certificates_expiring": cert_rows,
        "certificates_expired": expired,
    }
