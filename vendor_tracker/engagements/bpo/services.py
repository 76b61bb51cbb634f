"""Loading and writing BPO data; the only code that both touches rows and applies the rules."""

from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import func, select

from vendor_tracker.auth.scope import in_scope
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.core.refusals import NotFound
from vendor_tracker.engagements.bpo.compliance import (
    EngagementReport,
    LevelInput,
    Result,
    evaluate_engagement,
)
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.bpo.credits import CreditTerms
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    LevelTerms,
    first_of_month,
    level_problems,
    shift_month,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model


@lru_cache(maxsize=1)
def _library() -> tuple[dict, ...]:
    from vendor_tracker.core.reference import load_json

    return tuple(load_json("kpi_library.json"))


def kpi_library() -> list[dict]:
    """The KPI library (seed_data/kpi_library.json): code, name, unit, direction, typical levels."""
    return [dict(row) for row in _library()]


def kpi_by_code(code: str | None) -> dict | None:
    return next((dict(row) for row in _library() if row["code"] == code), None)


def kpi_suits(kpi: dict, service_line_code: str | None) -> bool:
    """A library metric suits the service lines it lists; one that lists none suits every line,
    and every metric suits an unknown line."""
    lines = kpi.get("service_lines") or ()
    return not lines or service_line_code is None or service_line_code in lines


def kpi_library_for(service_line_code: str | None) -> list[dict]:
    """The library metrics that suit a service line (its code), in library order."""
    return [row for row in kpi_library() if kpi_suits(row, service_line_code)]


# --- loading -----------------------------------------------------------------------------


def bpo_engagement_or_404(engagement_id: int) -> Engagement:
    """The BPO engagement with this id, or NotFound, a 404 (KPO engagements have no service
    levels; another vendor's engagement is not found for a provider's user, as a missing one)."""
    engagement = db.session.get(Engagement, engagement_id)
    if engagement is None or not in_scope(engagement.vendor_id):
        raise NotFound()
    if engagement.kind != Model.BPO:
        raise NotFound("Service levels belong to BPO engagements only.")
    return engagement


def service_levels_of(engagement_id: int) -> list[ServiceLevel]:
    """An engagement's service levels, critical first, in their chosen order."""
    return list(
        db.session.execute(
            select(ServiceLevel)
            .where(ServiceLevel.engagement_id == engagement_id)
            .order_by(ServiceLevel.classification, ServiceLevel.position, ServiceLevel.id)
        ).scalars()
    )


def level_input(level: ServiceLevel) -> LevelInput:
    return LevelInput(level.id, level.name, level.unit, level.terms)


def level_inputs_for(engagement_ids: list[int], executor=None) -> dict[int, list[LevelInput]]:
    """The rules' view of several engagements' service levels, in one column query (on the
    app's session, or on `executor`: the connection a rollup refresh or a migration uses)."""
    found: dict[int, list[LevelInput]] = {eid: [] for eid in engagement_ids}
    if not engagement_ids:
        return found
    rows = (executor or db.session).execute(
        select(
            ServiceLevel.engagement_id,
            ServiceLevel.id,
            ServiceLevel.name,
            ServiceLevel.unit,
            ServiceLevel.direction,
            ServiceLevel.target,
            ServiceLevel.minimum,
            ServiceLevel.classification,
            ServiceLevel.allocation_pct,
        )
        .where(ServiceLevel.engagement_id.in_(engagement_ids))
        .order_by(ServiceLevel.classification, ServiceLevel.position, ServiceLevel.id)
    )
    for eid, lid, name, unit, direction, target, minimum, kind, allocation in rows:
        terms = LevelTerms(Direction(direction), target, minimum, Classification(kind), allocation)
        found[eid].append(LevelInput(lid, name, unit, terms))
    return found


def credit_terms(engagement: Engagement) -> CreditTerms:
    """The engagement's service-credit terms as the rules need them."""
    return CreditTerms(
        engagement.monthly_fee,
        engagement.at_risk_pct,
        engagement.earn_back_months or 0,
        first_of_month(engagement.end_date) if engagement.end_date else None,
    )


def load_results(
    engagement_ids: list[int], first: date, last: date
) -> dict[int, dict[tuple[int, date], Result]]:
    """Results per engagement keyed by (service level id, month), in one query."""
    found: dict[int, dict[tuple[int, date], Result]] = {eid: {} for eid in engagement_ids}
    if not engagement_ids:
        return found
    rows = db.session.execute(
        select(
            Measurement.engagement_id,
            Measurement.service_level_id,
            Measurement.period,
            Measurement.actual,
            Measurement.volume,
        ).where(
            Measurement.engagement_id.in_(engagement_ids),
            Measurement.period >= first_of_month(first),
            Measurement.period <= first_of_month(last),
        )
    )
    for engagement_id, level_id, period, actual, volume in rows:
        found[engagement_id][(level_id, period)] = Result(actual, volume)
    return found


def compliance_report(
    engagement: Engagement,
    first: date,
    last: date,
    today: date,
    levels: list[ServiceLevel] | None = None,
) -> EngagementReport:
    """Statuses, attainment and the credits ledger (waived credits excluded from what is
    payable) of one engagement over [first, last]."""
    from vendor_tracker.engagements.bpo.disputes import waivers_for

    levels = service_levels_of(engagement.id) if levels is None else levels
    results = load_results([engagement.id], first, max(first_of_month(today), first))
    return evaluate_engagement(
        [level_input(lv) for lv in levels],
        results[engagement.id],
        engagement.start_date,
        engagement.end_date,
        first,
        last,
        today,
        credit_terms(engagement),
        waivers_for([engagement.id])[engagement.id],
    )


def last_twelve_months(today: date) -> tuple[date, date]:
    """The window of the engagement page: the current month and the eleven before it."""
    last = first_of_month(today)
    return shift_month(last, -11), last


def measurements_of(engagement_id: int, month: date) -> dict[int, Measurement]:
    """The results of one month by service level id."""
    rows = db.session.execute(
        select(Measurement).where(
            Measurement.engagement_id == engagement_id, Measurement.period == month
        )
    ).scalars()
    return {m.service_level_id: m for m in rows}


def measurements_by_keys(engagement_id: int, keys: list[tuple[int, date]]) -> list[Measurement]:
    """The stored results for (service level id, month) pairs, in the order asked."""
    months = {month for _level, month in keys}
    found = {
        (m.service_level_id, m.period): m
        for m in db.session.execute(
            select(Measurement).where(
                Measurement.engagement_id == engagement_id, Measurement.period.in_(months)
            )
        ).scalars()
    }
    return [found[key] for key in keys if key in found]


# --- service levels ----------------------------------------------------------------------


def other_allocations(engagement_id: int, exclude_id: int | None) -> Decimal:
    """Sum of the allocation % of the other critical service levels of the engagement."""
    stmt = select(func.coalesce(func.sum(ServiceLevel.allocation_pct), 0)).where(
        ServiceLevel.engagement_id == engagement_id,
        ServiceLevel.classification == Classification.CRITICAL,
    )
    if exclude_id is not None:
        stmt = stmt.where(ServiceLevel.id != exclude_id)
    return Decimal(str(db.session.execute(stmt).scalar_one()))


def name_taken(engagement_id: int, name: str, exclude_id: int | None) -> bool:
    stmt = select(ServiceLevel.id).where(
        ServiceLevel.engagement_id == engagement_id,
        func.lower(ServiceLevel.name) == name.strip().lower(),
    )
    if exclude_id is not None:
        stmt = stmt.where(ServiceLevel.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def service_level_problems(engagement: Engagement, data: dict, exclude_id=None) -> dict[str, str]:
    """Field errors for a service level's data (names, unit range, minimum side, allocations)."""
    problems: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        problems["name"] = "Give the service level a name."
    elif len(name) > 120:
        problems["name"] = "Use at most 120 characters."
    elif name_taken(engagement.id, name, exclude_id):
        problems["name"] = "This engagement already has a service level with this name."
    unit = (data.get("unit") or "").strip()
    if not unit:
        problems["unit"] = "Give the unit (%, s, hours, items...)."
    elif len(unit) > 20:
        problems["unit"] = "Use at most 20 characters."
    code = data.get("metric_code") or None
    if code and kpi_by_code(code) is None:
        problems["metric_code"] = "Choose a metric from the library, or a custom one."
    allocation = data.get("allocation_pct")
    problems.update(
        level_problems(
            unit,
            Direction(data["direction"]),
            data.get("target"),
            data.get("minimum"),
            Classification(data["classification"]),
            allocation,
            other_allocations(engagement.id, exclude_id),
        )
    )
    return problems


LEVEL_FIELDS = (
    "name",
    "metric_code",
    "unit",
    "direction",
    "target",
    "minimum",
    "classification",
    "allocation_pct",
)


def apply_service_level(level: ServiceLevel, data: dict) -> ServiceLevel:
    """Copy validated data onto a service level (key levels carry no allocation)."""
    for key in LEVEL_FIELDS:
        if key in data:
            setattr(level, key, data[key])
    level.name = level.name.strip()
    level.unit = level.unit.strip()
    level.metric_code = level.metric_code or None
    if level.classification != Classification.CRITICAL:
        level.allocation_pct = None
    return level


def create_service_level(engagement: Engagement, data: dict) -> ServiceLevel:
    """Add a validated service level at the end of the engagement's list; the caller commits."""
    position = db.session.execute(
        select(func.coalesce(func.max(ServiceLevel.position), 0)).where(
            ServiceLevel.engagement_id == engagement.id
        )
    ).scalar_one()
    level = apply_service_level(
        ServiceLevel(engagement_id=engagement.id, position=position + 1), data
    )
    db.session.add(level)
    db.session.flush()
    return level


def delete_service_level(level: ServiceLevel) -> int:
    """Delete a service level and its results (each recorded in the audit trail)."""
    results = list(
        db.session.execute(
            select(Measurement).where(Measurement.service_level_id == level.id)
        ).scalars()
    )
    for measurement in results:
        db.session.delete(measurement)
    db.session.delete(level)
    db.session.flush()
    return len(results)


def add_suggested_service_levels(engagement: Engagement, kpi_codes: list[str]) -> list:
    """Create key service levels from library codes with typical target and minimum; codes of
    metrics that do not suit the engagement's service line are left out."""
    existing = {lv.metric_code for lv in service_levels_of(engagement.id)}
    line = engagement.service_line.code if engagement.service_line else None
    created = []
    for code in kpi_codes:
        kpi = kpi_by_code(code)
        if kpi is None or code in existing or not kpi_suits(kpi, line):
            continue
        data = {
            "name": kpi["name"],
            "metric_code": code,
            "unit": kpi["unit"],
            "direction": Direction(kpi["direction"]),
            "target": Decimal(kpi["typical_target"]),
            "minimum": Decimal(kpi["typical_minimum"]) if kpi.get("typical_minimum") else None,
            "classification": Classification.KEY,
            "allocation_pct": None,
        }
        if name_taken(engagement.id, data["name"], None):
            continue
        created.append(create_service_level(engagement, data))
        existing.add(code)
    return created


# --- measurements ------------------------------------------------------------------------


def engagement_url(engagement_id: int) -> str:
    """The engagement page (the engagements package), or the service levels when it is absent."""
    from flask import has_request_context, url_for
    from werkzeug.routing import BuildError

    if not has_request_context():
        return f"/engagements/{engagement_id}"
    try:
        return url_for("engagements.detail", engagement_id=engagement_id)
    except BuildError:
        return url_for("bpo.service_levels", engagement_id=engagement_id)


# --- contracts with other packages (implemented in summaries.py) ---------------------------


def vendor_bpo_summary(
    vendor_ids: list[int], first_month: date, last_month: date, today: date
) -> dict[int, BpoVendorSummary]:
    """Per vendor over its BPO engagements: level-months, attainment, breaches, credits."""
    from vendor_tracker.engagements.bpo.summaries import vendor_summary

    return vendor_summary(vendor_ids, first_month, last_month, today)


def vendor_bpo_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date, credits: bool = True
) -> list[dict[int, BpoVendorSummary]]:
    """`vendor_bpo_summary` for several (first month, last month) periods, in one pass.

    `credits=False` skips the credit ledgers (`credits_payable` is None) for attainment-only
    callers.
    """
    from vendor_tracker.engagements.bpo.summaries import vendor_summaries

    return vendor_summaries(vendor_ids, periods, today, credits=credits)


def attention_items(today: date) -> list[InboxItem]:
    """Breaches of last month, credits pending earn-back, open credit disputes and months
    awaiting verification, for the needs-attention inbox (counted and paged in SQL by
    `bpo.attention`)."""
    from vendor_tracker.engagements.bpo.attention import attention_items as every_item

    return every_item(today)
