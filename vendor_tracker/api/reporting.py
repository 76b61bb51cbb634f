"""/api/v1 reporting: scorecards per vendor and for all, risks CRUD, the needs-attention items."""

from datetime import date

from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import (
    Blueprint,
    ErrorSchema,
    PageArgsSchema,
    check_id,
    error_docs,
    fail,
    page_of,
    paginate,
    problems_to_fields,
    require_version,
)
from vendor_tracker.api.fields import ID, enum_out, text
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.paging import paginate_list
from vendor_tracker.extensions import db
from vendor_tracker.reporting import risk_services, services
from vendor_tracker.reporting.models import Risk
from vendor_tracker.reporting.risk import (
    RiskCategory,
    RiskRating,
    RiskStatus,
    review_overdue,
)
from vendor_tracker.reporting.scorecard import (
    Band,
    Component,
    Trend,
    parse_period,
    previous_quarter,
    trend,
)
from vendor_tracker.vendors.models import Vendor

blp = Blueprint("api_reporting", "Reporting: scorecards, risks, needs attention")

PERIOD = validate.Regexp(
    r"^(\d{4}-[Qq][1-4]|[Tt][Tt][Mm])$", error="Use a quarter such as 2026-Q3, or ttm."
)
documented = error_docs(blp)


def _period(text_value: str | None, today: date):
    try:
        return parse_period(text_value, today)
    except ValueError as problem:
        fail(422, "The period is not valid.", {"period": [str(problem)]})


# --- scorecards -----------------------------------------------------------------------------


class PeriodSchema(Schema):
    key = fields.String(required=True, metadata={"description": "2026-Q3 or ttm"})
    label = fields.String(required=True)
    first_day = fields.Date(required=True)
    last_day = fields.Date(required=True)


class ComponentSchema(Schema):
    key = fields.String(required=True, validate=validate.OneOf([c.value for c in Component]))
    label = fields.String(required=True)
    value = fields.Float(
        required=True, allow_none=True, metadata={"description": "0..100; null: no data"}
    )
    sample = fields.Integer(required=True)
    sample_unit = fields.String(required=True)
    weight_used = fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "Share of the overall score in %, null when not counted."},
    )


class ScorecardSchema(Schema):
    vendor_id = fields.Integer(required=True)
    vendor_name = fields.String(required=True)
    period = fields.Nested(PeriodSchema, required=True)
    score = fields.Float(
        required=True, allow_none=True, metadata={"description": "0..100; null: not rated"}
    )
    band = fields.String(required=True, validate=validate.OneOf([b.value for b in Band]))
    previous_band = fields.String(
        required=True, allow_none=True, validate=validate.OneOf([b.value for b in Band])
    )
    trend = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf([t.value for t in Trend]),
        metadata={"description": "Against the previous quarter; null for ttm."},
    )
    components = fields.List(fields.Nested(ComponentSchema), required=True)


class ScorecardArgsSchema(Schema):
    period = fields.String(
        validate=PERIOD,
        metadata={"description": "2026-Q3 or ttm; the current quarter (to date) by default."},
    )


class ScorecardListArgsSchema(PageArgsSchema, ScorecardArgsSchema):
    pass


def _scorecard_dict(vendor_id: int, name: str, scored, previous) -> dict:
    card = scored.card
    return {
        "vendor_id": vendor_id,
        "vendor_name": name,
        "period": scored.period,
        "score": card.score,
        "band": card.band.value,
        "previous_band": previous.card.band.value if previous else None,
        "trend": trend(card.band, previous.card.band).value if previous else None,
        "components": [
            {
                "key": c.component.value,
                "label": c.component.label,
                "value": c.value if c.has_data else None,
                "sample": c.sample,
                "sample_unit": c.component.unit,
                "weight_used": card.weights_used.get(c.component),
            }
            for c in card.components
        ],
    }


def _scorecards(vendor_ids: list[int], period, today: date) -> list[dict]:
    settings = services.scorecard_settings()
    cards = services.vendor_scorecards(vendor_ids, period, today, settings)
    before = {}
    if period.key != "ttm":
        before = services.vendor_scorecards(vendor_ids, previous_quarter(period), today, settings)
    names = services.vendor_names(vendor_ids)
    return [_scorecard_dict(v, names[v], cards[v], before.get(v)) for v in vendor_ids]


@blp.route("/vendors/<int:vendor_id>/scorecard", methods=["GET"])
@documented(401, 404)
@blp.arguments(ScorecardArgsSchema, location="query")
@blp.response(200, ScorecardSchema)
@blp.alt_response(422, schema=ErrorSchema, description="The period is not valid.")
def vendor_scorecard(args, vendor_id: int):
    """One vendor's scorecard for a quarter (`2026-Q3`) or the trailing 12 months (`ttm`)."""
    today = date.today()
    if db.session.get(Vendor, check_id(vendor_id, "Vendor")) is None:
        fail(404, "Vendor not found.")
    period = _period(args.get("period"), today)
    return _scorecards([vendor_id], period, today)[0]


@blp.route("/scorecards", methods=["GET"])
@documented(401)
@blp.arguments(ScorecardListArgsSchema, location="query")
@blp.response(200, page_of(ScorecardSchema, "ScorecardPage"))
@blp.alt_response(422, schema=ErrorSchema, description="The period is not valid.")
def all_scorecards(args):
    """Every vendor's scorecard (offboarded ones aside) for one period, by vendor name."""
    today = date.today()
    period = _period(args.get("period"), today)
    ids = services.all_vendor_ids()
    page = paginate_list(ids, args["page"], args["per_page"])
    return {
        "items": _scorecards(page.items, period, today),
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }


# --- risks ----------------------------------------------------------------------------------


class RiskSchema(Schema):
    id = fields.Integer(required=True)
    vendor_id = fields.Integer(required=True)
    vendor_name = fields.Function(lambda r: r.vendor.name, required=True)
    engagement_id = fields.Integer(required=True, allow_none=True)
    title = fields.String(required=True)
    category = enum_out("category", RiskCategory)
    description = fields.String(required=True)
    likelihood = fields.Integer(required=True)
    impact = fields.Integer(required=True)
    score = fields.Integer(required=True, metadata={"description": "likelihood x impact, 1..25"})
    rating = enum_out("rating", RiskRating)
    mitigation = fields.String(required=True)
    owner_id = fields.Integer(required=True, allow_none=True)
    status = enum_out("status", RiskStatus)
    next_review_on = fields.Date(required=True, allow_none=True)
    review_overdue = fields.Function(
        lambda r: review_overdue(r.next_review_on, r.status, date.today()),
        required=True,
        metadata={"type": "boolean"},
    )
    version = fields.Integer(required=True)


class RiskWriteSchema(Schema):
    vendor_id = fields.Integer(strict=True, validate=ID, allow_none=True)
    engagement_id = fields.Integer(strict=True, validate=ID, allow_none=True)
    title = text(200, 1)
    category = fields.String(validate=validate.OneOf([c.value for c in RiskCategory]))
    description = text(5000)
    likelihood = fields.Integer(strict=True, validate=validate.Range(1, 5))
    impact = fields.Integer(strict=True, validate=validate.Range(1, 5))
    mitigation = text(5000)
    owner_id = fields.Integer(strict=True, validate=ID, allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in RiskStatus]))
    next_review_on = fields.Date(allow_none=True)


class RiskCreateSchema(RiskWriteSchema):
    title = text(200, 1, required=True)
    category = fields.String(
        required=True, validate=validate.OneOf([c.value for c in RiskCategory])
    )
    likelihood = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))
    impact = fields.Integer(required=True, strict=True, validate=validate.Range(1, 5))


class RiskPatchSchema(RiskWriteSchema):
    version = fields.Integer(required=True, strict=True, validate=ID)


class RiskListArgsSchema(PageArgsSchema):
    vendor_id = fields.Integer(validate=ID)
    engagement_id = fields.Integer(validate=ID)
    status = fields.String(
        load_default="live",
        validate=validate.OneOf(["live", "open", "mitigating", "closed", "all"]),
        metadata={"description": "live = open or mitigating"},
    )
    category = fields.String(validate=validate.OneOf([c.value for c in RiskCategory]))
    rating = fields.String(validate=validate.OneOf([r.value for r in RiskRating]))
    overdue = fields.Boolean(metadata={"description": "Only live risks past their review date."})
    sort = fields.String(
        load_default="-score",
        validate=validate.OneOf([f"{s}{k}" for k in risk_services.SORTS for s in ("", "-")]),
    )


RISK_DEFAULTS = {
    "vendor_id": None,
    "engagement_id": None,
    "description": "",
    "mitigation": "",
    "owner_id": None,
    "status": RiskStatus.OPEN.value,
    "next_review_on": None,
}


def _risk_or_404(risk_id: int) -> Risk:
    risk = db.session.get(Risk, check_id(risk_id, "Risk"))
    if risk is None:
        fail(404, "Risk not found.")
    return risk


def _save(risk: Risk | None, data: dict) -> Risk:
    try:
        saved = risk_services.save_risk(risk, data, date.today())
    except risk_services.RiskRefused as refused:
        db.session.rollback()
        fail(422, "Some fields are not valid.", problems_to_fields(refused.fields))
    db.session.commit()
    return saved


@blp.route("/risks", methods=["GET"])
@documented(401)
@blp.arguments(RiskListArgsSchema, location="query")
@blp.response(200, page_of(RiskSchema, "RiskPage"))
def list_risks(args):
    """The risk register, filtered like the risk page; `sort` with `-` for descending."""
    sort = args["sort"]
    filters = risk_services.RiskFilters(
        vendor_id=args.get("vendor_id"),
        engagement_id=args.get("engagement_id"),
        status=args["status"],
        category=RiskCategory(args["category"]) if args.get("category") else None,
        rating=RiskRating(args["rating"]) if args.get("rating") else None,
        overdue=bool(args.get("overdue")),
        sort=sort.lstrip("-"),
        direction="desc" if sort.startswith("-") else "asc",
    )
    return paginate(
        risk_services.risks_query(filters, date.today()), args["page"], args["per_page"]
    )


@blp.route("/risks", methods=["POST"])
@documented(401, 403)
@manager_required
@blp.arguments(RiskCreateSchema)
@blp.response(201, RiskSchema)
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid.")
def create_risk(payload):
    """Add a risk on a vendor, or on an engagement (it then belongs to that engagement's vendor)."""
    return _save(None, {**RISK_DEFAULTS, **payload})


@blp.route("/risks/<int:risk_id>", methods=["GET"])
@documented(401, 404)
@blp.response(200, RiskSchema)
def get_risk(risk_id: int):
    """One risk."""
    return _risk_or_404(risk_id)


@blp.route("/risks/<int:risk_id>", methods=["PATCH"])
@documented(401, 403, 404)
@manager_required
@blp.arguments(RiskPatchSchema)
@blp.response(200, RiskSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The risk changed since `version`.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid.")
def update_risk(payload, risk_id: int):
    """Change some fields of a risk; send the `version` you read."""
    risk = _risk_or_404(risk_id)
    require_version(risk, payload)
    current = {
        "vendor_id": risk.vendor_id,
        "engagement_id": risk.engagement_id,
        "title": risk.title,
        "category": risk.category.value,
        "description": risk.description,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "mitigation": risk.mitigation,
        "owner_id": risk.owner_id,
        "status": risk.status.value,
        "next_review_on": risk.next_review_on,
    }
    if "engagement_id" in payload and "vendor_id" not in payload:
        current["vendor_id"] = None  # the engagement decides the vendor
    return _save(risk, {**current, **payload})


@blp.route("/risks/<int:risk_id>", methods=["DELETE"])
@documented(401, 403, 404)
@manager_required
@blp.response(204)
def delete_risk(risk_id: int):
    """Remove a risk (its audit trail stays)."""
    risk_services.delete_risk(_risk_or_404(risk_id))
    db.session.commit()


# --- needs attention ------------------------------------------------------------------------


class AttentionItemSchema(Schema):
    kind = fields.String(required=True)
    title = fields.String(required=True)
    detail = fields.String(required=True)
    url = fields.String(required=True, metadata={"description": "The page to act on."})
    due = fields.Date(required=True, allow_none=True)


class AttentionPageSchema(Schema):
    items = fields.List(fields.Nested(AttentionItemSchema), required=True)
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "Items per kind, before the kind filter."},
    )
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    total = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class AttentionArgsSchema(PageArgsSchema):
    kind = text(60, metadata={"description": "Only items of this kind."})


@blp.route("/attention", methods=["GET"])
@documented(401)
@blp.arguments(AttentionArgsSchema, location="query")
@blp.response(200, AttentionPageSchema)
def attention_items(args):
    """Everything that needs attention today, earliest due first, with a link to act on it."""
    from vendor_tracker.reporting import attention

    items = attention.attention_items(date.today())
    counts = attention.counts_by_kind(items)
    if args.get("kind"):
        items = [i for i in items if i.kind == args["kind"]]
    page = paginate_list(items, args["page"], args["per_page"])
    return {
        "items": page.items,
        "counts": counts,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
    }
