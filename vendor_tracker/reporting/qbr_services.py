"""Quarterly business reviews: records, action items, and the QBR pack's contents."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Qbr, QbrActionItem, QbrActionStatus
from vendor_tracker.reporting.risk_services import open_risks_for_vendor
from vendor_tracker.reporting.scorecard import previous_quarter, quarter_period, trend
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model


@dataclass(frozen=True)
class QbrFilters:
    vendor_id: int | None = None
    year: int | None = None

    @classmethod
    def from_args(cls, args) -> "QbrFilters":
        def number(name, low, high):
            raw = (args.get(name) or "").strip()
            return int(raw) if raw.isdecimal() and low <= int(raw) <= high else None

        return cls(number("vendor_id", 1, 2**31), number("year", 2000, 2100))


def list_qbrs(filters: QbrFilters, page: int, per_page: int, direction: str = "desc"):
    """One page of QBRs, newest quarter first, vendor and action items loaded."""
    order = (
        (Qbr.year.desc(), Qbr.quarter.desc()) if direction == "desc" else (Qbr.year, Qbr.quarter)
    )
    stmt = (
        select(Qbr)
        .options(joinedload(Qbr.vendor), selectinload(Qbr.action_items))
        .order_by(*order, Qbr.held_on.desc(), Qbr.id)
    )
    if filters.vendor_id:
        stmt = stmt.where(Qbr.vendor_id == filters.vendor_id)
    if filters.year:
        stmt = stmt.where(Qbr.year == filters.year)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def load_qbr(qbr_id: int) -> Qbr | None:
    """A QBR with its vendor and action items."""
    return db.session.execute(
        select(Qbr)
        .where(Qbr.id == qbr_id)
        .options(joinedload(Qbr.vendor), selectinload(Qbr.action_items))
    ).scalar_one_or_none()


def save_qbr(qbr: Qbr | None, data: dict) -> Qbr:
    """Create or update a QBR; one per vendor and quarter. The caller commits."""
    problems = {}
    if db.session.get(Vendor, data.get("vendor_id") or 0) is None:
        problems["vendor_id"] = "Choose an existing vendor."
    clash = db.session.execute(
        select(Qbr.id).where(
            Qbr.vendor_id == data.get("vendor_id"),
            Qbr.year == data.get("year"),
            Qbr.quarter == data.get("quarter"),
            Qbr.id != (qbr.id if qbr and qbr.id else 0),
        )
    ).first()
    if clash:
        problems["quarter"] = "This vendor already has a QBR for that quarter; edit that one."
    if problems:
        raise Refusal(NOT_VALID, problems)
    qbr = qbr or Qbr()
    for name in ("vendor_id", "year", "quarter", "held_on"):
        setattr(qbr, name, data[name])
    for name in ("attendees", "decisions", "notes"):
        setattr(qbr, name, data.get(name) or "")
    db.session.add(qbr)
    db.session.flush()
    return qbr


def delete_qbr(qbr: Qbr) -> None:
    """Remove a QBR and its action items."""
    db.session.delete(qbr)
    db.session.flush()


def save_action_item(qbr: Qbr, item: QbrActionItem | None, data: dict) -> QbrActionItem:
    """Create or update an action item of a QBR. The caller commits."""
    item = item or QbrActionItem(qbr=qbr)
    item.description = data["description"]
    item.owner = data["owner"]
    item.due_on = data["due_on"]
    try:
        item.status = QbrActionStatus(data.get("status") or "open")
    except ValueError as wrong:
        raise Refusal(NOT_VALID, {"status": "Choose open, done or dropped."}) from wrong
    db.session.add(item)
    db.session.flush()
    return item


def open_action_items_for_vendor(vendor_id: int) -> list[QbrActionItem]:
    """Open action items of every QBR of a vendor, earliest due first."""
    return list(
        db.session.execute(
            select(QbrActionItem)
            .join(Qbr, Qbr.id == QbrActionItem.qbr_id)
            .where(Qbr.vendor_id == vendor_id, QbrActionItem.status == QbrActionStatus.OPEN)
            .options(joinedload(QbrActionItem.qbr))
            .order_by(QbrActionItem.due_on, QbrActionItem.id)
        ).scalars()
    )


def open_action_counts(qbr_ids: list[int]) -> dict[int, int]:
    """{qbr_id: open action items} in one query."""
    if not qbr_ids:
        return {}
    rows = db.session.execute(
        select(QbrActionItem.qbr_id, func.count())
        .where(QbrActionItem.qbr_id.in_(qbr_ids), QbrActionItem.status == QbrActionStatus.OPEN)
        .group_by(QbrActionItem.qbr_id)
    )
    return dict(rows.all())


def _bpo_by_engagement(engagements: list[Engagement], period, today: date) -> dict[int, dict]:
    """SLA attainment and credits per BPO engagement, from the BPO package (three queries)."""
    from vendor_tracker.engagements.bpo.bulk import engagement_bpo_summaries

    ids = [e.id for e in engagements if Model(e.kind) == Model.BPO]
    return engagement_bpo_summaries(ids, period.first_month, period.last_month, today)


def _kpo_by_engagement(engagements: list[Engagement], today: date) -> dict[int, object]:
    """Review-round statistics per KPO engagement, to date, from the KPO package (two queries)."""
    from vendor_tracker.engagements.kpo.summaries import engagement_review_stats_many

    ids = [e.id for e in engagements if Model(e.kind) == Model.KPO]
    return engagement_review_stats_many(ids, today)


@dataclass(frozen=True)
class QbrBreaches:
    """Breaches of a QBR's quarter over the vendor's BPO engagements: of critical levels (they
    carry service credits) and of key levels (shown in red on the grid, no credit)."""

    critical: int
    key: int
    engagements: int  # BPO engagements looked at


def breaches_of(bpo_by_engagement: dict[int, dict]) -> QbrBreaches:
    """Both breach counts summed over the engagements of `_bpo_by_engagement`."""
    rows = bpo_by_engagement.values()
    return QbrBreaches(
        sum(row["breaches"] for row in rows),
        sum(row["key_breaches"] for row in rows),
        len(bpo_by_engagement),
    )


def qbr_breaches(qbr: Qbr, today: date) -> QbrBreaches:
    """The QBR quarter's critical- and key-level breaches of the vendor's BPO engagements."""
    period = quarter_period(qbr.year, qbr.quarter, today)
    engagements = list(
        db.session.execute(
            select(Engagement).where(Engagement.vendor_id == qbr.vendor_id)
        ).scalars()
    )
    return breaches_of(_bpo_by_engagement(engagements, period, today))


def qbr_pack(qbr: Qbr, today: date) -> dict:
    """Everything the printable QBR pack assembles for the QBR's vendor and quarter."""
    from vendor_tracker.reporting.services import scorecard_settings, vendor_scorecards_many

    settings = scorecard_settings()
    period = quarter_period(qbr.year, qbr.quarter, today)
    history_periods = [period]
    while len(history_periods) < 4:
        history_periods.append(previous_quarter(history_periods[-1]))
    history = [
        cards[qbr.vendor_id]
        for cards in vendor_scorecards_many([qbr.vendor_id], history_periods, today, settings)
    ]
    previous = history[1]  # the quarter before the QBR's
    engagements = list(
        db.session.execute(
            select(Engagement)
            .where(Engagement.vendor_id == qbr.vendor_id)
            .options(joinedload(Engagement.service_line))
            .order_by(Engagement.kind, Engagement.title)
        ).scalars()
    )
    bpo = _bpo_by_engagement(engagements, period, today)
    return {
        "period": period,
        "scorecard": history[0],
        "trend": trend(history[0].card.band, previous.card.band).value,
        "history": history,
        "engagements": engagements,
        "bpo": bpo,
        "breaches": breaches_of(bpo),
        "kpo": _kpo_by_engagement(engagements, today),
        "risks": open_risks_for_vendor(qbr.vendor_id),
        "actions": open_action_items_for_vendor(qbr.vendor_id),
    }
