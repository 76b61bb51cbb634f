"""/api/v1/engagements: list (with the page's filters), create, read, update (PATCH), delete."""

from marshmallow import Schema, fields, post_dump, validate

from vendor_tracker.api.common import (
    Blueprint,
    ErrorSchema,
    PageArgsSchema,
    error_docs,
    page_of,
    paginate,
    require_version,
    sort_order,
)
from vendor_tracker.api.fields import ID, Number, UtcDateTime, enum_out, plain_text, text
from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.auth.scope import vendor_scope
from vendor_tracker.engagements import services
from vendor_tracker.engagements.rules import (
    AT_RISK_MAX_PCT,
    EARN_BACK_MAX_MONTHS,
    EngagementStatus,
    PricingModel,
)
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model, Shore

blp = Blueprint("api_engagements", "Engagements: contracted BPO or KPO work with one vendor")

MONEY = validate.Range(min=0, max=10**11)
KINDS = [m.value for m in Model]
STATUSES = [s.value for s in EngagementStatus]


class EngagementSchema(Schema):
    """An engagement with its terms and the money figures derived from them."""

    id = fields.Integer(required=True)
    vendor_id = fields.Integer(required=True)
    vendor_name = fields.Function(
        lambda e: e.vendor.name, required=True, metadata={"type": "string"}
    )
    title = fields.String(required=True)
    kind = enum_out("kind", KINDS)
    service_line_id = fields.Integer(required=True)
    service_line_name = fields.Function(
        lambda e: e.service_line.name, required=True, metadata={"type": "string"}
    )
    status = enum_out("status", STATUSES)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True, allow_none=True)
    owner_id = fields.Integer(required=True, allow_none=True)
    pricing_model = enum_out("pricing_model", [p.value for p in PricingModel])
    currency = fields.String(required=True, metadata={"description": "ISO 4217"})
    monthly_fee = Number(required=True, allow_none=True)
    total_contract_value = Number(required=True, allow_none=True)
    baseline_monthly_cost = Number(required=True, allow_none=True)
    delivery_shore = enum_out("delivery_shore", [s.value for s in Shore], nullable=True)
    at_risk_pct = Number(required=True, allow_none=True, metadata={"description": "% of fee"})
    earn_back_months = fields.Integer(required=True, allow_none=True)
    notes = fields.String(required=True)
    months = fields.Function(
        lambda e: services.terms(e)["months"],
        required=True,
        metadata={"type": "integer", "nullable": True, "description": "Months of the term"},
    )
    monthly_cost = fields.Function(
        lambda e: _float(services.terms(e)["monthly_cost"]),
        required=True,
        metadata={"type": "number", "nullable": True, "description": "Vendor cost a month"},
    )
    monthly_savings = fields.Function(
        lambda e: _float(services.terms(e)["monthly_savings"]),
        required=True,
        metadata={"type": "number", "nullable": True, "description": "Baseline minus cost"},
    )
    warnings = fields.Function(
        lambda e: getattr(e, "api_warnings", []),
        required=True,
        metadata={"type": "array", "items": {"type": "string"}},
    )
    version = fields.Integer(required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)

    @post_dump
    def _client_figures_only(self, data, **_kwargs):
        """A provider's token sees no in-house baseline, savings or the client's notes."""
        if vendor_scope() is not None:
            data.update(baseline_monthly_cost=None, monthly_savings=None, notes="")
        return data


def _float(value):
    return None if value is None else float(value)


class EngagementWriteSchema(Schema):
    """Fields a client may set; PATCH sends any subset plus `version` (the kind is fixed)."""

    vendor_id = fields.Integer(strict=True, validate=ID)
    title = fields.String(
        validate=[validate.Length(min=1, max=200), validate.Regexp(r"^\s*\S"), plain_text]
    )
    service_line_id = fields.Integer(strict=True, validate=ID)
    status = fields.String(validate=validate.OneOf(STATUSES))
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    owner_id = fields.Integer(strict=True, allow_none=True, validate=ID)
    pricing_model = fields.String(validate=validate.OneOf([p.value for p in PricingModel]))
    currency = fields.String(validate=validate.OneOf(sorted(services.currency_codes())))
    monthly_fee = Number(allow_none=True, places=2, validate=MONEY)
    total_contract_value = Number(allow_none=True, places=2, validate=MONEY)
    baseline_monthly_cost = Number(allow_none=True, places=2, validate=MONEY)
    delivery_shore = fields.String(
        allow_none=True, validate=validate.OneOf([s.value for s in Shore])
    )
    at_risk_pct = Number(
        allow_none=True, places=2, validate=validate.Range(min=0, max=AT_RISK_MAX_PCT)
    )
    earn_back_months = fields.Integer(
        strict=True, allow_none=True, validate=validate.Range(min=0, max=EARN_BACK_MAX_MONTHS)
    )
    notes = text(5000)


class EngagementCreateSchema(EngagementWriteSchema):
    vendor_id = fields.Integer(required=True, strict=True, validate=ID)
    title = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=200), validate.Regexp(r"^\s*\S"), plain_text],
    )
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    service_line_id = fields.Integer(required=True, strict=True, validate=ID)
    start_date = fields.Date(required=True)
    pricing_model = fields.String(
        required=True, validate=validate.OneOf([p.value for p in PricingModel])
    )


class EngagementPatchSchema(EngagementWriteSchema):
    kind = fields.String(
        validate=validate.OneOf(KINDS), metadata={"description": "Must equal the current kind."}
    )
    version = fields.Integer(required=True, strict=True, validate=ID)


SORTS = [f"{sign}{key}" for key in services.ENGAGEMENT_SORTS for sign in ("", "-")]


class EngagementListArgsSchema(PageArgsSchema):
    kind = fields.String(validate=validate.OneOf(KINDS))
    vendor_id = fields.Integer(validate=ID)
    status = fields.String(validate=validate.OneOf(STATUSES))
    service_line_id = fields.Integer(validate=ID)
    sort = fields.String(load_default="-start", validate=validate.OneOf(SORTS))


documented = error_docs(blp, not_found="No such engagement.")


@blp.route("/engagements", methods=["GET"])
@for_providers
@documented(401)
@blp.arguments(EngagementListArgsSchema, location="query")
@blp.response(200, page_of(EngagementSchema, "EngagementPage"))
def list_engagements(args):
    """Engagements, filtered like the engagement page and sorted by `sort` (`-` descending)."""
    filters = services.EngagementFilters(
        kind=args.get("kind"),
        vendor_id=args.get("vendor_id"),
        status=args.get("status"),
        service_line_id=args.get("service_line_id"),
        **sort_order(args["sort"]),
    )
    return paginate(services.engagement_query(filters), args["page"], args["per_page"])


@blp.route("/engagements", methods=["POST"])
@documented(401, 403)
@manager_required
@blp.arguments(EngagementCreateSchema)
@blp.response(201, EngagementSchema)
def create_engagement(payload):
    """Create an engagement (manager role); `warnings` says when the vendor lacks the line."""
    from flask_login import current_user

    payload.setdefault("owner_id", current_user.id)
    engagement, warnings = services.save_engagement(None, payload)
    db.session.commit()
    engagement = services.load_engagement(engagement.id)
    engagement.api_warnings = warnings
    return engagement


@blp.route("/engagements/<int:engagement_id>", methods=["GET"])
@for_providers
@documented(401, 404)
@blp.response(200, EngagementSchema)
def get_engagement(engagement_id: int):
    """One engagement with its terms, cost per month and savings."""
    return services.load_engagement(engagement_id)


@blp.route("/engagements/<int:engagement_id>", methods=["PATCH"])
@documented(401, 403, 404)
@manager_required
@blp.arguments(EngagementPatchSchema)
@blp.response(200, EngagementSchema)
@blp.alt_response(409, schema=ErrorSchema, description="Someone saved a newer version.")
def update_engagement(payload, engagement_id: int):
    """Change some fields (manager role); send the `version` you read, a stale one gets 409."""
    engagement = services.load_engagement(engagement_id)
    require_version(engagement, payload)
    engagement, warnings = services.save_engagement(engagement, payload)
    db.session.commit()
    engagement = services.load_engagement(engagement_id)
    engagement.api_warnings = warnings
    return engagement


@blp.route("/engagements/<int:engagement_id>", methods=["DELETE"])
@documented(401, 403, 404)
@manager_required
@blp.response(204)
@blp.alt_response(409, schema=ErrorSchema, description="Work is recorded against it.")
def delete_engagement(engagement_id: int):
    """Delete an engagement with no recorded work (manager role); otherwise 409."""
    engagement = services.load_engagement(engagement_id)
    services.delete_engagement(engagement)
    db.session.commit()
    return ""
