"""The risk register: filtered lists, the heat map, create, update, delete."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from vendor_tracker.auth.models import User
from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Risk
from vendor_tracker.reporting.risk import (
    RATING_BOUNDS,
    RiskCategory,
    RiskRating,
    RiskStatus,
    heat_map,
    risk_problems,
)
from vendor_tracker.vendors.models import Vendor

LIVE = (RiskStatus.OPEN, RiskStatus.MITIGATING)
SORTS = ("score", "title", "vendor", "category", "status", "next_review_on")


def _int_arg(value) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdecimal() and len(text) < 10 else None


def _choice(value, enum_cls):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class RiskFilters:
    """What the risk list (and its export) is narrowed to; unknown values are ignored."""

    vendor_id: int | None = None
    engagement_id: int | None = None
    status: str = "live"  # live | open | mitigating | closed | all
    category: RiskCategory | None = None
    rating: RiskRating | None = None
    overdue: bool = False
    sort: str = "score"
    direction: str = "desc"

    @classmethod
    def from_args(cls, args) -> "RiskFilters":
        status = args.get("status", "live")
        sort = args.get("sort", "score")
        direction = args.get("dir", "desc")
        return cls(
            vendor_id=_int_arg(args.get("vendor_id")),
            engagement_id=_int_arg(args.get("engagement_id")),
            status=status if status in ("live", "open", "mitigating", "closed", "all") else "live",
            category=_choice(args.get("category"), RiskCategory),
            rating=_choice(args.get("rating"), RiskRating),
            overdue=args.get("overdue") in ("1", "on", "true"),
            sort=sort if sort in SORTS else "score",
            direction=direction if direction in ("asc", "desc") else "desc",
        )


def _score():
    return Risk.likelihood * Risk.impact


def _rating_range(rating: RiskRating) -> tuple[int, int]:
    lower = 1
    for upper, name in RATING_BOUNDS:
        if name is rating:
            return lower, upper
        lower = upper + 1
    return lower, 25


def _filtered(stmt, filters: RiskFilters, today: date, with_status: bool = True):
    if filters.vendor_id:
        stmt = stmt.where(Risk.vendor_id == filters.vendor_id)
    if filters.engagement_id:
        stmt = stmt.where(Risk.engagement_id == filters.engagement_id)
    if with_status and filters.status == "live":
        stmt = stmt.where(Risk.status.in_(LIVE))
    elif with_status and filters.status != "all":
        stmt = stmt.where(Risk.status == RiskStatus(filters.status))
    if filters.category:
        stmt = stmt.where(Risk.category == filters.category)
    if filters.rating:
        low, high = _rating_range(filters.rating)
        stmt = stmt.where(_score().between(low, high))
    if filters.overdue:
        stmt = stmt.where(Risk.status.in_(LIVE), Risk.next_review_on < today)
    return stmt


def risks_query(filters: RiskFilters, today: date):
    """The select for a filtered, sorted risk list with vendor, engagement and owner loaded."""
    order = {
        "score": _score(),
        "title": func.lower(Risk.title),
        "vendor": func.lower(Vendor.name),
        "category": Risk.category,
        "status": Risk.status,
        "next_review_on": Risk.next_review_on,
    }[filters.sort]
    order = order.desc() if filters.direction == "desc" else order.asc()
    stmt = (
        select(Risk)
        .join(Vendor, Vendor.id == Risk.vendor_id)
        .options(joinedload(Risk.vendor), joinedload(Risk.engagement), joinedload(Risk.owner))
        .order_by(order, Risk.id)
    )
    return _filtered(stmt, filters, today)


def list_risks(filters: RiskFilters, today: date, page: int, per_page: int):
    """One page of the filtered risk list."""
    return db.paginate(risks_query(filters, today), page=page, per_page=per_page, error_out=False)


def open_heat_map(filters: RiskFilters, today: date) -> list[list[int]]:
    """The 5 x 5 grid of open (open or mitigating) risks under the filters, in one query."""
    stmt = (
        select(Risk.likelihood, Risk.impact, func.count())
        .where(Risk.status.in_(LIVE))
        .group_by(Risk.likelihood, Risk.impact)
    )
    stmt = _filtered(stmt, filters, today, with_status=False)
    pairs = []
    for likelihood, impact, count in db.session.execute(stmt).all():
        pairs.extend([(likelihood, impact)] * count)
    return heat_map(pairs)


def risks_due_for_review(today: date) -> list[Risk]:
    """Live risks whose next review is today or earlier, vendor loaded, earliest first."""
    return list(
        db.session.execute(
            select(Risk)
            .where(Risk.status.in_(LIVE), Risk.next_review_on <= today)
            .options(joinedload(Risk.vendor))
            .order_by(Risk.next_review_on, Risk.id)
        ).scalars()
    )


def open_risks_for_vendor(vendor_id: int) -> list[Risk]:
    """A vendor's live risks, highest score first, engagement and owner loaded."""
    return list(
        db.session.execute(
            select(Risk)
            .where(Risk.vendor_id == vendor_id, Risk.status.in_(LIVE))
            .options(joinedload(Risk.engagement), joinedload(Risk.owner))
            .order_by(_score().desc(), Risk.id)
        ).scalars()
    )


def save_risk(risk: Risk | None, data: dict, today: date) -> Risk:
    """Create (risk=None) or update a risk after checking the rules; the caller commits."""
    problems = risk_problems(
        data.get("likelihood"),
        data.get("impact"),
        data.get("next_review_on"),
        data.get("status"),
        today,
    )
    engagement = None
    if data.get("engagement_id") is not None:
        engagement = db.session.get(Engagement, data["engagement_id"])
        if engagement is None:
            problems["engagement_id"] = "That engagement does not exist."
        elif data.get("vendor_id") and data["vendor_id"] != engagement.vendor_id:
            problems["engagement_id"] = "This engagement belongs to another vendor."
    vendor_id = engagement.vendor_id if engagement else data.get("vendor_id")
    if vendor_id is None or db.session.get(Vendor, vendor_id) is None:
        problems.setdefault("vendor_id", "Choose an existing vendor.")
    if data.get("owner_id") is not None and db.session.get(User, data["owner_id"]) is None:
        problems["owner_id"] = "That user does not exist."
    try:
        category = RiskCategory(data.get("category"))
    except ValueError:
        problems["category"] = "Choose a category from the list."
    try:
        status = RiskStatus(data.get("status") or RiskStatus.OPEN)
    except ValueError:
        problems["status"] = "Choose open, mitigating or closed."
    if problems:
        raise Refusal(NOT_VALID, problems)
    risk = risk or Risk()
    risk.vendor_id = vendor_id
    risk.engagement_id = engagement.id if engagement else None
    risk.title = data["title"]
    risk.category = category
    risk.description = data.get("description") or ""
    risk.likelihood = data["likelihood"]
    risk.impact = data["impact"]
    risk.mitigation = data.get("mitigation") or ""
    risk.owner_id = data.get("owner_id")
    risk.status = status
    risk.next_review_on = data.get("next_review_on")
    db.session.add(risk)
    db.session.flush()
    return risk


def delete_risk(risk: Risk) -> None:
    """Remove a risk (its audit trail stays)."""
    db.session.delete(risk)
    db.session.flush()


def vendor_choices() -> list[tuple[int, str]]:
    """(id, name) of every vendor, by name."""
    return list(db.session.execute(select(Vendor.id, Vendor.name).order_by(Vendor.name)).all())


def engagement_choices(vendor_id: int | None) -> list[tuple[int, str]]:
    """(id, 'Vendor — title') of the vendor's engagements, or all when no vendor is given."""
    stmt = (
        select(Engagement.id, Vendor.name, Engagement.title)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .order_by(Vendor.name, Engagement.title)
    )
    if vendor_id:
        stmt = stmt.where(Engagement.vendor_id == vendor_id)
    return [(eid, f"{vendor} — {title}") for eid, vendor, title in db.session.execute(stmt)]


def user_choices() -> list[tuple[int, str]]:
    """(id, name) of active users who can own a risk."""
    rows = db.session.execute(
        select(User.id, User.name, User.email).where(User.active.is_(True)).order_by(User.name)
    ).all()
    return [(uid, name or email) for uid, name, email in rows]
