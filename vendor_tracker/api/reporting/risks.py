"""The risk register: list, read, add, change and remove risks."""

from datetime import date

from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import (
    ErrorSchema,
    PageArgsSchema,
    check_id,
    fail,
    page_of,
    paginate,
    require_version,
)
from vendor_tracker.api.fields import ID, enum_out, text
from vendor_tracker.api.reporting.blueprint import blp, documented
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.extensions import db
from vendor_tracker.reporting import risk_services
from vendor_tracker.reporting.models import Risk
from vendor_tracker.reporting.risk import (
    RiskCategory,
    RiskRating,
    RiskStatus,
    review_overdue,
)


class RiskSchema(Schema):
    id = fields.Integer(required=True)
    vendor_id = fields.Integer(required=True)
    vendor_name = fields.Function(
        lambda r: r.vendor.name, required=True, metadata={"type": "string"}
    )
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
    saved = risk_services.save_risk(risk, data, date.today())
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
