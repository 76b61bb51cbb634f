"""Load, check and write engagements (shared by the pages and the API)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pycountry
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from vendor_tracker.auth.models import User
from vendor_tracker.auth.scope import scope_filter
from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import (
    MONEY_FIELDS,
    EngagementStatus,
    PricingModel,
    credit_terms_problems,
    engagement_problems,
    kind_change_problem,
    money_problems,
    month_count,
    monthly_cost,
    monthly_savings,
    term_savings,
)
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import ServiceLine, Vendor
from vendor_tracker.vendors.rules import Model, Shore
from vendor_tracker.vendors.services import (
    MAX_ID,
    blocking_references,
    one_or_not_found,
    require_id,
)

ENGAGEMENT_SORTS = {
    "title": (Engagement.title,),
    "vendor": (Vendor.name_key, Engagement.title),
    "kind": (Engagement.kind, Engagement.title),
    "status": (Engagement.status, Engagement.title),
    "start": (Engagement.start_date,),
    "end": (Engagement.end_date.is_(None), Engagement.end_date),
}
# Fields an engagement takes from a form or an API body.
FIELDS = (
    "vendor_id",
    "title",
    "kind",
    "service_line_id",
    "status",
    "start_date",
    "end_date",
    "owner_id",
    "pricing_model",
    "currency",
    *MONEY_FIELDS,
    "delivery_shore",
    "at_risk_pct",
    "earn_back_months",
    "notes",
)


@cache
def currency_choices() -> list[tuple[str, str]]:
    """(ISO 4217 code, 'USD · US Dollar') for every currency, sorted by code."""
    return sorted((c.alpha_3, f"{c.alpha_3} · {c.name}") for c in pycountry.currencies)


@cache
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic code."""
    return frozenset(code for code, _label in currency_choices())


@dataclass(frozen=True)
class EngagementFilters:
    """What the engagement list is narrowed and ordered by (the page and the API share it)."""

    kind: str | None = None
    vendor_id: int | None = None
    status: str | None = None
    service_line_id: int | None = None
    sort: str = "start"
    descending: bool = True

    @classmethod
    def from_args(cls, args) -> "EngagementFilters":
        """Lenient reading of page query arguments: unknown values are ignored, never an error."""

        def small_int(name: str) -> int | None:
            raw = args.get(name, "")
            return int(raw) if raw.isdecimal() and len(raw) < 10 else None

        sort = args.get("sort", "start")
        return cls(
            kind=args.get("kind") if args.get("kind") in set(Model) else None,
            vendor_id=small_int("vendor_id"),
            status=args.get("status") if args.get("status") in set(EngagementStatus) else None,
            service_line_id=small_int("service_line_id"),
            sort=sort if sort in ENGAGEMENT_SORTS else "start",
            descending=args.get("dir", "desc" if "sort" not in args else "asc") == "desc",
        )


def engagement_query(filters: EngagementFilters):
    """The select behind the engagement list, with vendor, line and owner loaded alongside."""
    stmt = (
        select(Engagement)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(scope_filter(Engagement.vendor_id))
        .options(
            joinedload(Engagement.vendor),
            joinedload(Engagement.service_line),
            joinedload(Engagement.owner),
        )
    )
    for name in ("kind", "vendor_id", "status", "service_line_id"):
        value = getattr(filters, name)
        if value:
            stmt = stmt.where(getattr(Engagement, name) == value)
    columns = ENGAGEMENT_SORTS[filters.sort]
    order = [c.desc() if filters.descending else c.asc() for c in columns]
    return stmt.order_by(*order, Engagement.id.desc() if filters.descending else Engagement.id)


def list_engagements(filters: EngagementFilters, page: int, per_page: int):
    """One page of engagements."""
    return db.paginate(engagement_query(filters), page=page, per_page=per_page, error_out=False)


def load_engagement(engagement_id: int) -> Engagement:
    """An engagement with its vendor (and the vendor's lines), line and owner, or NotFound."""
    require_id(engagement_id, "No engagement has this number.")
    stmt = (
        select(Engagement)
        .where(Engagement.id == engagement_id, scope_filter(Engagement.vendor_id))
        .options(
            joinedload(Engagement.vendor).selectinload(Vendor.service_lines),
            joinedload(Engagement.service_line),
            joinedload(Engagement.owner),
        )
    )
    return one_or_not_found(stmt, "No engagement has this number.")


def vendor_choices() -> list[tuple[int, str]]:
    """(id, name) of every vendor the signed-in user may see, by name."""
    rows = db.session.execute(
        select(Vendor.id, Vendor.name).where(scope_filter(Vendor.id)).order_by(Vendor.name_key)
    ).all()
    return [(row.id, row.name) for row in rows]


def owner_choices() -> list[tuple[int, str]]:
    """(id, name) of the enabled users who may own an engagement."""
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.name, User.email)
    ).scalars()
    return [(u.id, f"{u.display_name} ({u.email})") for u in users]


def service_line_choices() -> dict[str, list[tuple[int, str]]]:
    """Service lines grouped by model, for a select with option groups."""
    lines = db.session.execute(
        select(ServiceLine).order_by(ServiceLine.model, ServiceLine.group, ServiceLine.name)
    ).scalars()
    grouped: dict[str, list[tuple[int, str]]] = {}
    for line in lines:
        grouped.setdefault(getattr(line.model, "value", line.model), []).append(
            (line.id, line.name)
        )
    return grouped


def terms(engagement: Engagement) -> dict[str, Any]:
    """Derived money facts: months of the term, cost per month, savings per month and in all."""
    months = (
        month_count(engagement.start_date, engagement.end_date) if engagement.end_date else None
    )
    cost = monthly_cost(
        engagement.monthly_fee,
        engagement.total_contract_value,
        engagement.start_date,
        engagement.end_date,
    )
    saving = monthly_savings(engagement.baseline_monthly_cost, cost)
    return {
        "months": months,
        "monthly_cost": cost,
        "monthly_savings": saving,
        "term_savings": term_savings(saving, months),
    }


def _get(model, ident, field: str, what: str, problems: dict[str, str]):
    if ident is None:
        problems[field] = f"Choose the {what}."
        return None
    found = db.session.get(model, ident) if 0 < ident <= MAX_ID else None
    if found is None:
        problems[field] = f"No {what} has the id {ident}."
    return found


def _references(merged: dict[str, Any], data: dict[str, Any], problems: dict[str, str]):
    """The vendor, service line and owner the ids name; problems for missing or disabled ones."""
    vendor = _get(Vendor, merged["vendor_id"], "vendor_id", "vendor", problems)
    line = _get(ServiceLine, merged["service_line_id"], "service_line_id", "service line", problems)
    owner = None
    if merged["owner_id"] is not None:
        owner = _get(User, merged["owner_id"], "owner_id", "user", problems)
        if owner is not None and not owner.active and "owner_id" in data:
            problems["owner_id"] = "This user is disabled; choose an enabled user."
    return vendor, line, owner


def _field_problems(merged: dict[str, Any], problems: dict[str, str]) -> None:
    """Required fields and choices outside their lists."""
    if not (merged["title"] or "").strip():
        problems["title"] = "Give the engagement a title."
    if merged["start_date"] is None:
        problems["start_date"] = "Give the start date."
    for name, enum_cls, what in (
        ("status", EngagementStatus, "status"),
        ("pricing_model", PricingModel, "pricing model"),
    ):
        if getattr(merged[name], "value", merged[name]) not in set(enum_cls):
            problems[name] = f"Choose the {what}."
    if merged["delivery_shore"] and merged["delivery_shore"] not in set(Shore):
        problems["delivery_shore"] = "Choose onshore, nearshore or offshore."
    if merged["currency"] not in currency_codes():
        problems["currency"] = "Choose an ISO 4217 currency."


def _rule_problems(kind: str, line, merged: dict[str, Any], problems: dict[str, str]) -> None:
    """The engagement rules: kind against line, dates, credit terms, money."""
    line_model = getattr(line.model, "value", line.model) if line else None
    if "kind" not in problems:
        problems.update(
            engagement_problems(kind, line_model, merged["start_date"], merged["end_date"])
        )
        problems.update(
            credit_terms_problems(kind, merged["at_risk_pct"], merged["earn_back_months"])
        )
    problems.update(money_problems({name: merged[name] for name in MONEY_FIELDS}))


def _apply(engagement: Engagement, merged: dict[str, Any], kind: str) -> None:
    """Copy the checked values onto the engagement, cleaned and typed."""
    for name in FIELDS:
        value = merged[name]
        if isinstance(value, str) and name != "kind":
            value = value.replace("\x00", "").strip()
        if isinstance(value, Decimal):
            value = value.quantize(Decimal("0.01"))
        setattr(engagement, name, value)
    engagement.kind = Model(kind)
    engagement.status = EngagementStatus(merged["status"])
    engagement.pricing_model = PricingModel(merged["pricing_model"])
    shore = merged["delivery_shore"]
    engagement.delivery_shore = Shore(shore) if shore else None


def save_engagement(
    engagement: Engagement | None, data: dict[str, Any]
) -> tuple[Engagement, list[str]]:
    """Create (engagement None) or update an engagement; returns it and warnings; caller commits.

    Keys left out of `data` keep their current value. Raises a Refusal with field errors.
    """
    creating = engagement is None
    if creating:
        engagement = Engagement(status=EngagementStatus.PLANNED, currency="USD")
    merged = {name: getattr(engagement, name) for name in FIELDS}
    merged.update({k: v for k, v in data.items() if k in FIELDS})
    problems: dict[str, str] = {}
    kind = getattr(merged["kind"], "value", merged["kind"])
    if not creating and (problem := kind_change_problem(engagement.kind.value, data.get("kind"))):
        problems["kind"] = problem
    elif kind not in set(Model):
        problems["kind"] = "Choose BPO or KPO."
    vendor, line, owner = _references(merged, data, problems)
    _field_problems(merged, problems)
    _rule_problems(kind, line, merged, problems)
    if problems:
        raise Refusal(NOT_VALID, problems)

    _apply(engagement, merged, kind)
    engagement.vendor, engagement.service_line, engagement.owner = vendor, line, owner
    if creating:
        db.session.add(engagement)
    db.session.flush()
    warnings = []
    if line not in vendor.service_lines:
        warnings.append(
            f"{vendor.name} does not list {line.name} among its service lines; check the vendor's "
            "profile or the line chosen."
        )
    return engagement, warnings


def delete_engagement(engagement: Engagement) -> None:
    """Delete an engagement nothing refers to yet; recorded work blocks it (terminate instead)."""
    blockers = blocking_references("engagements", engagement.id)
    if blockers:
        what = ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in blockers.items())
        raise Refusal(
            f"{engagement.title} cannot be deleted: it has recorded work ({what}). "
            "Set its status to Completed or Terminated instead.",
            conflict=True,
        )
    db.session.delete(engagement)
    db.session.flush()


def engagements_for_vendor(vendor_id: int) -> list[Engagement]:
    """A vendor's engagements, newest first, with line and owner loaded."""
    stmt = (
        select(Engagement)
        .where(Engagement.vendor_id == vendor_id, scope_filter(Engagement.vendor_id))
        .options(selectinload(Engagement.service_line), selectinload(Engagement.owner))
        .order_by(Engagement.start_date.desc(), Engagement.id.desc())
    )
    return list(db.session.execute(stmt).scalars())


def engagement_counts(vendor_ids: list[int]) -> dict[int, int]:
    """Engagements per vendor, in one grouped query."""
    rows = db.session.execute(
        select(Engagement.vendor_id, func.count())
        .where(Engagement.vendor_id.in_(vendor_ids))
        .group_by(Engagement.vendor_id)
    ).all()
    return dict(rows)


def today() -> date:
    """Today's date (one place to read the clock)."""
    return date.today()
