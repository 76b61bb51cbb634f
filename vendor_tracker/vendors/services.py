"""Load, check and write vendors and their centers, contacts and certificates (pages and API)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pycountry
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from vendor_tracker.auth.scope import scope_filter
from vendor_tracker.core.hooks import vendor_counts, vendor_list_columns
from vendor_tracker.core.refusals import NOT_VALID, NotFound, Refusal
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import (
    Certification,
    Contact,
    DeliveryCenter,
    ServiceLine,
    Vendor,
    vendor_service_lines,
)
from vendor_tracker.vendors.rules import (
    Model,
    VendorStatus,
    attrition_problem,
    certificate_state,
    certification_problems,
    format_languages,
    models_served,
    name_key,
)

MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds


def require_id(record_id: int, description: str) -> None:
    """Not found for ids no row can have (beyond INTEGER they would overflow the driver)."""
    if not 0 < record_id <= MAX_ID:
        raise NotFound(description)


def one_or_not_found(stmt, description: str):
    """The one row `stmt` selects, or NotFound with `description`."""
    found = db.session.execute(stmt).scalar_one_or_none()
    if found is None:
        raise NotFound(description)
    return found


NAME_TAKEN = "Another vendor already has this name (names ignore case)."
VENDOR_SORTS = {
    "name": (Vendor.name_key,),
    "status": (Vendor.status, Vendor.name_key),
    "country": (Vendor.hq_country, Vendor.name_key),
    "attrition": (Vendor.attrition_pct.is_(None), Vendor.attrition_pct, Vendor.name_key),
}
# Tables whose rows go with a deleted vendor; anything else pointing at a vendor blocks deletion.
VENDOR_OWNED_TABLES = frozenset(
    {"vendor_service_lines", "delivery_centers", "contacts", "certifications"}
)


@cache
def country_choices() -> list[tuple[str, str]]:
    """(alpha-2 code, name) of every ISO 3166 country, sorted by name."""
    return sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])


@cache
def country_codes() -> frozenset[str]:
    """Every ISO 3166 alpha-2 code."""
    return frozenset(code for code, _name in country_choices())


@dataclass(frozen=True)
class VendorFilters:
    """What the vendor list is narrowed and ordered by (the page and the API share it)."""

    q: str = ""
    model: str | None = None
    service_line_id: int | None = None
    status: str | None = None
    country: str | None = None
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_args(cls, args) -> "VendorFilters":
        """Lenient reading of page query arguments: unknown values are ignored, never an error."""
        line = args.get("service_line_id", "")
        sort = args.get("sort", "name")
        country = args.get("country", "").upper()
        return cls(
            q=args.get("q", "").strip()[:120],
            model=args.get("model") if args.get("model") in set(Model) else None,
            service_line_id=int(line) if line.isdecimal() and len(line) < 10 else None,
            status=args.get("status") if args.get("status") in set(VendorStatus) else None,
            country=country if country in country_codes() else None,
            sort=sort if sort in VENDOR_SORTS else "name",
            descending=args.get("dir") == "desc",
        )


def vendor_query(filters: VendorFilters):
    """The select behind the vendor list, with service lines loaded alongside."""
    stmt = select(Vendor).where(scope_filter(Vendor.id)).options(selectinload(Vendor.service_lines))
    if filters.q:
        stmt = stmt.where(Vendor.name_key.contains(name_key(filters.q), autoescape=True))
    if filters.model:
        offering = (
            select(vendor_service_lines.c.vendor_id)
            .join(ServiceLine, ServiceLine.id == vendor_service_lines.c.service_line_id)
            .where(ServiceLine.model == filters.model)
        )
        stmt = stmt.where(Vendor.id.in_(offering))
    if filters.service_line_id:
        offering = select(vendor_service_lines.c.vendor_id).where(
            vendor_service_lines.c.service_line_id == filters.service_line_id
        )
        stmt = stmt.where(Vendor.id.in_(offering))
    if filters.status:
        stmt = stmt.where(Vendor.status == filters.status)
    if filters.country:
        stmt = stmt.where(Vendor.hq_country == filters.country)
    order = [c.desc() if filters.descending else c.asc() for c in VENDOR_SORTS[filters.sort]]
    return stmt.order_by(*order, Vendor.id)


def engagement_counts(vendor_ids: list[int]) -> dict[int, int]:
    """Engagements per vendor, counted by the engagements package (registered in core.hooks)."""
    return vendor_counts("engagements", vendor_ids)


def list_vendors(filters: VendorFilters, page: int, per_page: int):
    """One page of vendors plus per-row facts: engagement counts and extra columns."""
    pagination = db.paginate(vendor_query(filters), page=page, per_page=per_page, error_out=False)
    ids = [v.id for v in pagination.items]
    return pagination, engagement_counts(ids), vendor_list_columns(ids) if ids else []


def service_lines_by_model() -> dict[str, list[ServiceLine]]:
    """The taxonomy grouped {"BPO": [...], "KPO": [...]}, each sorted by group and name."""
    lines = db.session.execute(
        select(ServiceLine).order_by(ServiceLine.model, ServiceLine.group, ServiceLine.name)
    ).scalars()
    grouped: dict[str, list[ServiceLine]] = {m.value: [] for m in Model}
    for line in lines:
        grouped[getattr(line.model, "value", line.model)].append(line)
    return grouped


def load_vendor(vendor_id: int) -> Vendor:
    """A vendor with everything its page shows, or NotFound."""
    require_id(vendor_id, "No vendor has this number.")
    stmt = (
        select(Vendor)
        .where(Vendor.id == vendor_id, scope_filter(Vendor.id))
        .options(
            selectinload(Vendor.service_lines),
            selectinload(Vendor.centers),
            selectinload(Vendor.contacts),
            selectinload(Vendor.certifications),
        )
    )
    return one_or_not_found(stmt, "No vendor has this number.")


def vendor_models(vendor: Vendor) -> list[Model]:
    """BPO, KPO or both, from the service lines the vendor offers."""
    return models_served([getattr(s.model, "value", s.model) for s in vendor.service_lines])


def grouped_lines(vendor: Vendor) -> dict[str, list[ServiceLine]]:
    """The vendor's service lines grouped by model; models it does not serve are left out."""
    grouped: dict[str, list[ServiceLine]] = {}
    for line in vendor.service_lines:
        grouped.setdefault(getattr(line.model, "value", line.model), []).append(line)
    return {m.value: grouped[m.value] for m in Model if m.value in grouped}


def certificates_with_state(vendor: Vendor, today: date) -> list[tuple[Certification, str]]:
    """Each certificate with its state (valid, expiring, expired, no_expiry) on `today`."""
    return [(c, certificate_state(c.expires_on, today).value) for c in vendor.certifications]


def _name_taken(key: str, vendor_id: int | None) -> bool:
    stmt = select(Vendor.id).where(Vendor.name_key == key)
    if vendor_id is not None:
        stmt = stmt.where(Vendor.id != vendor_id)
    return db.session.execute(stmt).first() is not None


def _service_lines(ids: list[int]) -> list[ServiceLine]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    stmt = select(ServiceLine).where(ServiceLine.id.in_(wanted))
    found = list(db.session.execute(stmt).scalars())
    missing = sorted(set(wanted) - {line.id for line in found})
    if missing:
        raise Refusal(
            "Unknown service line.",
            {"service_line_ids": f"No service line has the id {', '.join(map(str, missing))}."},
        )
    return found


def _vendor_problems(vendor: Vendor | None, data: dict[str, Any]) -> dict[str, str]:
    """Field problems of a create (vendor None) or an update with `data`."""
    creating = vendor is None
    problems: dict[str, str] = {}
    if "name" in data:
        key = name_key(data["name"])
        if not key:
            problems["name"] = "Give the vendor's name."
        elif _name_taken(key, None if creating else vendor.id):
            problems["name"] = NAME_TAKEN
    elif creating:
        problems["name"] = "Give the vendor's name."
    country = data.get("hq_country") or ""
    if ("hq_country" in data or creating) and country.upper() not in country_codes():
        problems["hq_country"] = "Choose a country (ISO 3166 two-letter code)."
    if "attrition_pct" in data and (problem := attrition_problem(data["attrition_pct"])):
        problems["attrition_pct"] = problem
    if "status" in data and data["status"] not in set(VendorStatus):
        problems["status"] = "Choose one of the statuses."
    return problems


def _apply_vendor(vendor: Vendor, data: dict[str, Any]) -> None:
    """Copy the checked values present in `data` onto the vendor, cleaned and typed."""
    if "name" in data:
        vendor.name = " ".join(data["name"].split())
        vendor.name_key = name_key(data["name"])
    if "hq_country" in data:
        vendor.hq_country = (data.get("hq_country") or "").upper()
    for plain in ("website", "description"):
        if plain in data:
            setattr(vendor, plain, (data[plain] or "").strip())
    if "status" in data:
        vendor.status = VendorStatus(data["status"])
    if "attrition_pct" in data:
        value = data["attrition_pct"]
        vendor.attrition_pct = None if value is None else Decimal(value).quantize(Decimal("0.01"))
    if "languages" in data:
        vendor.languages = format_languages(data["languages"] or "")


def save_vendor(vendor: Vendor | None, data: dict[str, Any]) -> Vendor:
    """Create (vendor None) or update a vendor from checked values; the caller commits.

    `data` may hold name, website, hq_country, description, status, service_line_ids,
    attrition_pct and languages; keys left out keep their current value.
    """
    creating = vendor is None
    problems = _vendor_problems(vendor, data)
    if problems:
        if problems == {"name": NAME_TAKEN}:
            raise Refusal(NAME_TAKEN, problems, conflict=True)
        raise Refusal(NOT_VALID, problems)
    lines = _service_lines(data["service_line_ids"]) if "service_line_ids" in data else None

    vendor = vendor or Vendor(status=VendorStatus.PROSPECT)
    _apply_vendor(vendor, data)
    if lines is not None:
        vendor.service_lines = sorted(lines, key=lambda line: line.name)
    if creating:
        db.session.add(vendor)
    db.session.flush()
    return vendor


def blocking_references(table: str, record_id: int, owned: frozenset[str] = frozenset()) -> dict:
    """{referencing table: row count} for rows elsewhere that point at this record."""
    counts: dict[str, int] = {}
    for other in db.metadata.tables.values():
        if other.name in owned:
            continue
        for fk in other.foreign_keys:
            if fk.column.table.name != table or fk.column.name != "id":
                continue
            n = db.session.execute(
                select(func.count()).select_from(other).where(fk.parent == record_id)
            ).scalar_one()
            if n:
                counts[other.name] = counts.get(other.name, 0) + n
    return counts


def delete_vendor(vendor: Vendor) -> None:
    """Delete a vendor nothing else refers to; engagements block it (offboard instead)."""
    blockers = blocking_references("vendors", vendor.id, VENDOR_OWNED_TABLES)
    if blockers:
        engagements = blockers.pop("engagements", 0)
        plural = "s" if engagements != 1 else ""
        parts = [f"{engagements} engagement{plural}"] if engagements else []
        parts += [f"{n} {table.replace('_', ' ')} record(s)" for table, n in blockers.items()]
        raise Refusal(
            f"{vendor.name} cannot be deleted: it has {', '.join(parts)}. Its history must stay; "
            "set its status to Offboarded instead.",
            conflict=True,
        )
    db.session.delete(vendor)
    db.session.flush()


# --- delivery centers, contacts and certifications -------------------------------------------

CHILD_MODELS = {"centers": DeliveryCenter, "contacts": Contact, "certifications": Certification}


def load_child(vendor: Vendor, kind: str, child_id: int):
    """A center, contact or certificate of this vendor, or NotFound."""
    model = CHILD_MODELS[kind]
    require_id(child_id, "This vendor has no such record.")
    stmt = select(model).where(model.id == child_id, model.vendor_id == vendor.id)
    return one_or_not_found(stmt, "This vendor has no such record.")


def save_child(vendor: Vendor, kind: str, child, data: dict[str, Any]):
    """Create (child None) or update a center, contact or certificate; the caller commits."""
    model = CHILD_MODELS[kind]
    problems: dict[str, str] = {}
    if kind == "centers" and data.get("country", "").upper() not in country_codes():
        problems["country"] = "Choose a country (ISO 3166 two-letter code)."
    if kind == "certifications":
        problems.update(certification_problems(data.get("issued_on"), data.get("expires_on")))
        name = (data.get("name") or "").strip()
        taken = select(Certification.id).where(
            Certification.vendor_id == vendor.id, func.lower(Certification.name) == name.lower()
        )
        if child is not None:
            taken = taken.where(Certification.id != child.id)
        if db.session.execute(taken).first():
            problems["name"] = "This vendor already has a certificate with this name."
    if problems:
        raise Refusal(NOT_VALID, problems)
    child = child or model(vendor_id=vendor.id)
    for key, value in data.items():
        if isinstance(value, str):
            value = value.strip()
            if key == "country":
                value = value.upper()
        setattr(child, key, value)
    db.session.add(child)
    db.session.flush()
    return child


def delete_child(child) -> None:
    """Remove a center, contact or certificate; the caller commits."""
    db.session.delete(child)
    db.session.flush()
