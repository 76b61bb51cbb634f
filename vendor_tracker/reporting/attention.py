"""The needs-attention inbox: every item that calls for someone to act, with a link to it."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.core.templating import nice_date
from vendor_tracker.engagements.bpo import attention as bpo_attention
from vendor_tracker.engagements.bpo import services as bpo_services
from vendor_tracker.engagements.kpo import attention as kpo_attention
from vendor_tracker.engagements.kpo import services as kpo_services
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.reporting import score_reads
from vendor_tracker.reporting.models import Qbr, QbrActionItem, QbrActionStatus, Risk
from vendor_tracker.reporting.risk_services import LIVE
from vendor_tracker.reporting.scorecard import current_quarter, previous_quarter
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


def partial_query(query, **fixed):
    """A query of today with some arguments fixed."""
    return lambda today: query(today, **fixed)


def days(count: int) -> str:
    """'1 day', '35 days'."""
    return f"{count} day" if count == 1 else f"{count} days"


def kind_label(kind: str) -> str:
    """A readable heading for an item kind (unknown kinds are humanised)."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


# --- kinds counted and paged in SQL: a query (most urgent first) and a row's item -----------


def _certificates(today: date, expired: bool) -> Select:
    soon = today + timedelta(days=CERT_WARNING_DAYS)
    window = (
        Certification.expires_on < today
        if expired
        else Certification.expires_on.between(today, soon)
    )
    return (
        select(Certification.name, Certification.expires_on, Vendor.id, Vendor.name)
        .join(Vendor, Vendor.id == Certification.vendor_id)
        .where(window)
        .order_by(Certification.expires_on, Vendor.name, Certification.id)
    )


def _certificate_item(row, today: date) -> InboxItem:
    name, expires_on, vendor_id, vendor = row
    return InboxItem(
        "certificate_expired" if expires_on < today else "certificate_expiring",
        f"{name} of {vendor}",
        f"{expiry_wording(expires_on, today)} ({nice_date(expires_on)}).",
        url_for("vendors.detail", vendor_id=vendor_id),
        expires_on,
    )


def _ending(today: date) -> Select:
    return (
        select(Engagement.id, Engagement.title, Engagement.kind, Engagement.end_date, Vendor.name)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(
            Engagement.status.in_(RUNNING),
            Engagement.end_date >= today,
            Engagement.end_date <= today + timedelta(days=ENDING_WITHIN_DAYS),
        )
        .order_by(Engagement.end_date, Engagement.id)
    )


def _ending_item(row, today: date) -> InboxItem:
    engagement_id, title, kind, end_date, vendor = row
    return InboxItem(
        "engagement_ending",
        f"{title} ({vendor}, {getattr(kind, 'value', kind)})",
        f"Ends in {days((end_date - today).days)} ({nice_date(end_date)}): "
        "decide to renew or exit.",
        url_for("engagements.detail", engagement_id=engagement_id),
        end_date,
    )


def _risks(today: date) -> Select:
    return (
        select(Risk)
        .where(Risk.status.in_(LIVE), Risk.next_review_on <= today)
        .order_by(Risk.next_review_on, Risk.id)
    )


def _risk_item(row, today: date) -> InboxItem:
    r = row[0]
    ago = (
        f", {days((today - r.next_review_on).days)} ago."
        if r.next_review_on < today
        else ", today."
    )
    return InboxItem(
        "risk_review_due",
        f"{r.title} ({r.vendor.name})",
        f"Score {r.score} ({r.rating.value}); review was due {nice_date(r.next_review_on)}{ago}",
        url_for("reporting.risk_detail", risk_id=r.id),
        r.next_review_on,
    )


def _qbr_actions(today: date) -> Select:
    return (
        select(QbrActionItem)
        .where(QbrActionItem.status == QbrActionStatus.OPEN, QbrActionItem.due_on < today)
        .order_by(QbrActionItem.due_on, QbrActionItem.id)
    )


def _qbr_action_item(row, _today: date) -> InboxItem:
    a = row[0]
    return InboxItem(
        "qbr_action_overdue",
        f"{a.description[:80]} ({a.qbr.vendor.name})",
        f"From the {a.qbr}; owner {a.owner}, due {nice_date(a.due_on)}.",
        url_for("reporting.qbr_detail", qbr_id=a.qbr_id),
        a.due_on,
    )


# kind -> (query of today, item of a row, loader options for the page's rows)
SQL_KINDS = {
    "certificate_expired": (partial_query(_certificates, expired=True), _certificate_item, ()),
    "certificate_expiring": (partial_query(_certificates, expired=False), _certificate_item, ()),
    "engagement_ending": (_ending, _ending_item, ()),
    "qbr_action_overdue": (
        _qbr_actions,
        _qbr_action_item,
        (joinedload(QbrActionItem.qbr).joinedload(Qbr.vendor),),
    ),
    "risk_review_due": (_risks, _risk_item, (joinedload(Risk.vendor),)),
}


def sql_counts(today: date) -> dict[str, int]:
    """How many items of each kind above, one COUNT query each (kinds with none left out)."""
    counts = {}
    for kind, (query, _build, _options) in SQL_KINDS.items():
        found = db.session.execute(
            select(func.count()).select_from(query(today).order_by(None).subquery())
        ).scalar_one()
        if found:
            counts[kind] = found
    return counts


def sql_slice(today: date, kind: str, limit: int | None, offset: int = 0) -> list[InboxItem]:
    """Up to `limit` items of one kind above (all when None) from `offset`, most urgent first."""
    query, build, options = SQL_KINDS[kind]
    rows = db.session.execute(query(today).options(*options).limit(limit).offset(offset))
    return [build(row, today) for row in rows.all()]


def certificate_items(today: date) -> list[InboxItem]:
    """Certificates expired, or expiring within the warning window."""
    items = sql_slice(today, "certificate_expired", None)
    items += sql_slice(today, "certificate_expiring", None)
    return items


def ending_engagement_items(today: date) -> list[InboxItem]:
    """Running engagements whose end date falls within the next 90 days."""
    return sql_slice(today, "engagement_ending", None)


def risk_items(today: date) -> list[InboxItem]:
    """Open or mitigating risks whose review date is today or past."""
    return sql_slice(today, "risk_review_due", None)


def qbr_action_items(today: date) -> list[InboxItem]:
    """Open QBR action items past their due date."""
    return sql_slice(today, "qbr_action_overdue", None)


def _quarters(today: date):
    from vendor_tracker.reporting.services import scorecard_settings

    this_quarter = current_quarter(today)
    return this_quarter, previous_quarter(this_quarter), today, scorecard_settings()


def standing_counts(today: date) -> dict[str, int]:
    """How many vendors' standing fell this quarter (from the stored scorecards)."""
    found = score_reads.standing_fell_count(*_quarters(today))
    return {"standing_fell": found} if found else {}


def standing_slice(today: date, kind: str, limit: int | None, offset: int = 0) -> list[InboxItem]:
    """Vendors rated in both quarters whose band is lower this quarter than last, by name."""
    this_quarter, *rest = _quarters(today)
    return [
        InboxItem(
            "standing_fell",
            f"{name}: {band_before} → {band}",
            f"Score {score:.1f} in {this_quarter.key} (last quarter {score_before:.1f}).",
            url_for("reporting.vendor_scorecard", vendor_id=vid),
            None,
        )
        for vid, name, score, band, score_before, band_before in score_reads.standing_fell_rows(
            this_quarter, *rest, limit, offset
        )
    ]


def standing_items(today: date) -> list[InboxItem]:
    """Every vendor whose standing fell this quarter."""
    return standing_slice(today, "standing_fell", None)


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
    return ordered(counts)


# --- the inbox page: counts of every kind, items only for what is shown ----------------------


@dataclass(frozen=True)
class CountedSource:
    """Kinds counted by cheap SQL and listed a page at a time (LIMIT/OFFSET)."""

    counts: Callable[[date], dict[str, int]]
    slice: Callable[[date, str, int | None, int], list[InboxItem]]


COUNTED_SOURCES: list[CountedSource] = [
    CountedSource(sql_counts, sql_slice),
    CountedSource(kpo_attention.attention_counts, kpo_attention.attention_slice),
    CountedSource(standing_counts, standing_slice),
    CountedSource(bpo_attention.attention_counts, bpo_attention.attention_slice),
]


class Inbox:
    """The inbox of one day: `counts()` per kind without building items, and `items(kind,
    limit, offset)` building only the items shown, most urgent first."""

    def __init__(self, today: date):
        self.today = today
        self._counted: dict[str, CountedSource] = {}
        self._counts: dict[str, int] | None = None

    def counts(self) -> dict[str, int]:
        """How many items of each kind, in the inbox's display order (kinds with none left out)."""
        if self._counts is None:
            counts: dict[str, int] = {}
            for source in COUNTED_SOURCES:
                for kind, found in source.counts(self.today).items():
                    self._counted[kind] = source
                    counts[kind] = counts.get(kind, 0) + found
            self._counts = ordered(counts)
        return self._counts

    def items(self, kind: str, limit: int, offset: int = 0) -> list[InboxItem]:
        """Up to `limit` items of one kind from `offset`, most urgent first."""
        if kind in self.counts():
            return self._counted[kind].slice(self.today, kind, limit, offset)
        return []


def ordered(counts: dict[str, int]) -> dict[str, int]:
    """Counts per kind in the inbox's display order (unknown kinds last)."""
    order = list(KIND_LABELS)
    return dict(sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99))
