"""The needs-attention inbox: every item that calls for someone to act, with a link to it."""

from datetime import date, timedelta

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.core.templating import nice_date
from vendor_tracker.engagements.bpo import services as bpo_services
from vendor_tracker.engagements.kpo import services as kpo_services
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Qbr, QbrActionItem, QbrActionStatus
from vendor_tracker.reporting.risk_services import risks_due_for_review
from vendor_tracker.reporting.scorecard import Trend
from vendor_tracker.vendors.models import Certification, Vendor
from vendor_tracker.vendors.rules import CERT_WARNING_DAYS, expiry_wording

ENDING_WITHIN_DAYS = 90
RUNNING = (EngagementStatus.ACTIVE, EngagementStatus.ON_HOLD)

KIND_LABELS = {
    "certificate_expired": "Certificates expired",
    "certificate_expiring": f"Certificates expiring within {CERT_WARNING_DAYS} days",
    "engagement_ending": f"Engagements ending within {ENDING_WITHIN_DAYS} days (renew or exit)",
    "bpo_breach": "Service-level breaches last month",
    "bpo_credit_pending": "Credits pending earn-back",
    "bpo_report_submitted": "Provider's monthly results to verify",
    "bpo_credit_dispute": "Service credits disputed by the provider",
    "overdue_deliverable": "Overdue deliverables",
    "overdue_action_item": "Overdue action items",
    "qbr_action_overdue": "Overdue QBR action items",
    "risk_review_due": "Risks due for review",
    "standing_fell": "Vendors whose standing fell",
}
# Package services contribute their own items (`core.inbox.InboxItem`, as ours).


def days(count: int) -> str:
    """'1 day', '35 days'."""
    return f"{count} day" if count == 1 else f"{count} days"


def kind_label(kind: str) -> str:
    """A readable heading for an item kind (unknown kinds are humanised)."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def certificate_items(today: date) -> list[InboxItem]:
    """Certificates expired, or expiring within the warning window."""
    rows = db.session.execute(
        select(Certification.name, Certification.expires_on, Vendor.id, Vendor.name)
        .join(Vendor, Vendor.id == Certification.vendor_id)
        .where(Certification.expires_on <= today + timedelta(days=CERT_WARNING_DAYS))
        .order_by(Certification.expires_on, Vendor.name)
    ).all()
    items = []
    for name, expires_on, vendor_id, vendor in rows:
        expired = expires_on < today
        detail = f"{expiry_wording(expires_on, today)} ({nice_date(expires_on)})."
        items.append(
            InboxItem(
                "certificate_expired" if expired else "certificate_expiring",
                f"{name} of {vendor}",
                detail,
                url_for("vendors.detail", vendor_id=vendor_id),
                expires_on,
            )
        )
    return items


def ending_engagement_items(today: date) -> list[InboxItem]:
    """Running engagements whose end date falls within the next 90 days."""
    rows = db.session.execute(
        select(Engagement)
        .where(
            Engagement.status.in_(RUNNING),
            Engagement.end_date >= today,
            Engagement.end_date <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .options(joinedload(Engagement.vendor))
        .order_by(Engagement.end_date, Engagement.id)
    ).scalars()
    return [
        InboxItem(
            "engagement_ending",
            f"{e.title} ({e.vendor.name}, {getattr(e.kind, 'value', e.kind)})",
            f"Ends in {days((e.end_date - today).days)} ({nice_date(e.end_date)}): "
            "decide to renew or exit.",
            url_for("engagements.detail", engagement_id=e.id),
            e.end_date,
        )
        for e in rows
    ]


def risk_items(today: date) -> list[InboxItem]:
    """Open or mitigating risks whose review date is today or past."""
    return [
        InboxItem(
            "risk_review_due",
            f"{r.title} ({r.vendor.name})",
            f"Score {r.score} ({r.rating.value}); review was due {nice_date(r.next_review_on)}"
            + (
                f", {days((today - r.next_review_on).days)} ago."
                if r.next_review_on < today
                else ", today."
            ),
            url_for("reporting.risk_detail", risk_id=r.id),
            r.next_review_on,
        )
        for r in risks_due_for_review(today)
    ]


def qbr_action_items(today: date) -> list[InboxItem]:
    """Open QBR action items past their due date."""
    rows = db.session.execute(
        select(QbrActionItem)
        .where(QbrActionItem.status == QbrActionStatus.OPEN, QbrActionItem.due_on < today)
        .options(joinedload(QbrActionItem.qbr).joinedload(Qbr.vendor))
        .order_by(QbrActionItem.due_on, QbrActionItem.id)
    ).scalars()
    return [
        InboxItem(
            "qbr_action_overdue",
            f"{a.description[:80]} ({a.qbr.vendor.name})",
            f"From the {a.qbr}; owner {a.owner}, due {nice_date(a.due_on)}.",
            url_for("reporting.qbr_detail", qbr_id=a.qbr_id),
            a.due_on,
        )
        for a in rows
    ]


def standing_items(today: date) -> list[InboxItem]:
    """Vendors rated in both quarters whose band is lower this quarter than last."""
    from vendor_tracker.reporting.services import all_vendor_ids, current_standings, vendor_names

    standings = current_standings(all_vendor_ids(), today)
    fell = {vid: s for vid, s in standings.items() if s.trend is Trend.DOWN}
    names = vendor_names(list(fell))
    return [
        InboxItem(
            "standing_fell",
            f"{names[vid]}: {s.previous_band} → {s.band}",
            f"Score {s.score:.1f} in {s.period} (last quarter {s.previous_score:.1f}).",
            url_for("reporting.vendor_scorecard", vendor_id=vid),
            None,
        )
        for vid, s in fell.items()
    ]


def contributed_items(today: date) -> list[InboxItem]:
    """The BPO and KPO packages' own items (breaches, credits, deliverables, action items)."""
    return [*bpo_services.attention_items(today), *kpo_services.attention_items(today)]


def attention_items(today: date) -> list[InboxItem]:
    """Every inbox item, earliest due first (undated ones last)."""
    items = [
        *certificate_items(today),
        *ending_engagement_items(today),
        *contributed_items(today),
        *qbr_action_items(today),
        *risk_items(today),
        *standing_items(today),
    ]
    return sorted(items, key=lambda i: (i.due is None, i.due or today, i.kind))


def counts_by_kind(items: list[InboxItem]) -> dict[str, int]:
    """How many items of each kind, in the inbox's display order."""
    counts: dict[str, int] = {}
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    order = list(KIND_LABELS)
    return dict(sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
