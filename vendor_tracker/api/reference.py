"""Reference data an integration needs to create records: service lines (with their model), the
KPI library, the KPO rubric templates and the selection criteria templates.

Read only and open to every signed-in role, providers included; each list is read through the
loader its package uses (`vendors` for service lines, `bpo.services.kpi_library`,
`selection.services.criteria_templates`, the default rubric `kpo.services.ensure_rubric` gives).
"""

from decimal import Decimal

from marshmallow import Schema, fields, validate
from sqlalchemy import select

from vendor_tracker.api.common import Blueprint, PageArgsSchema, error_docs, page_of, paginate
from vendor_tracker.auth.decorators import for_providers
from vendor_tracker.core.reference import load_json
from vendor_tracker.engagements.bpo import services as bpo_services
from vendor_tracker.engagements.bpo.sla import Direction
from vendor_tracker.selection import services as selection_services
from vendor_tracker.vendors.models import ServiceLine
from vendor_tracker.vendors.rules import Model

blp = Blueprint("api_reference", "Reference data: service lines, KPI library and templates")
documented = error_docs(blp)
MODELS = [m.value for m in Model]
DEFAULT_RUBRIC = "default"


class ServiceLineSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "the `service_line_id` to send"})
    code = fields.String(required=True)
    name = fields.String(required=True)
    model = fields.Function(
        lambda line: line.model.value,
        required=True,
        metadata={"type": "string", "enum": MODELS, "description": "BPO or KPO"},
    )
    group = fields.String(required=True)
    description = fields.String(required=True)


class ServiceLineArgs(PageArgsSchema):
    model = fields.String(validate=validate.OneOf(MODELS))


class KpiSchema(Schema):
    code = fields.String(required=True, metadata={"description": "a service level's metric_code"})
    name = fields.String(required=True)
    unit = fields.String(required=True)
    direction = fields.String(required=True, validate=validate.OneOf([d.value for d in Direction]))
    typical_target = fields.Decimal(as_string=True, required=True)
    typical_minimum = fields.Decimal(as_string=True, allow_none=True, required=True)
    description = fields.String(required=True)
    service_lines = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "codes of the service lines it suits; empty: every line"},
    )


class KpiArgs(PageArgsSchema):
    service_line = fields.String(
        validate=validate.Length(min=1, max=60),
        metadata={"description": "only the metrics that suit this service line (its code)"},
    )


class RubricCriterionSchema(Schema):
    name = fields.String(required=True)
    weight = fields.Integer(required=True, metadata={"description": "percent; they sum to 100"})
    description = fields.String(required=True)


class RubricTemplateSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    criteria = fields.List(fields.Nested(RubricCriterionSchema), required=True)


class RubricTemplateListSchema(Schema):
    items = fields.List(fields.Nested(RubricTemplateSchema), required=True)


class TemplateCriterionSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    weight = fields.Integer(required=True)


class CriteriaTemplateSchema(Schema):
    model = fields.String(
        required=True,
        validate=validate.OneOf(MODELS),
        metadata={"description": "send it as `template` to POST .../criteria"},
    )
    criteria = fields.List(fields.Nested(TemplateCriterionSchema), required=True)


class CriteriaTemplateListSchema(Schema):
    items = fields.List(fields.Nested(CriteriaTemplateSchema), required=True)


def _page(rows: list, page: int, per_page: int) -> dict:
    """A page of an in-memory list, in the API's envelope."""
    start = (page - 1) * per_page
    return {
        "items": rows[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(rows),
        "pages": -(-len(rows) // per_page),
    }


@blp.route("/service-lines", methods=["GET"])
@for_providers
@blp.arguments(ServiceLineArgs, location="query")
@blp.response(200, page_of(ServiceLineSchema, "ServiceLinePage"))
@documented(401)
def list_service_lines(args):
    """The service-line taxonomy: each line's id (for `service_line_id`), code and model."""
    stmt = select(ServiceLine).order_by(ServiceLine.model, ServiceLine.group, ServiceLine.name)
    if "model" in args:
        stmt = stmt.where(ServiceLine.model == Model(args["model"]))
    return paginate(stmt, args["page"], args["per_page"])


def _kpi(row: dict) -> dict:
    minimum = row.get("typical_minimum")
    return {
        "code": row["code"],
        "name": row["name"],
        "unit": row.get("unit", ""),
        "direction": row["direction"],
        "typical_target": Decimal(str(row["typical_target"])),
        "typical_minimum": None if minimum in (None, "") else Decimal(str(minimum)),
        "description": row.get("description", ""),
        "service_lines": list(row.get("service_lines") or []),
    }


@blp.route("/kpi-library", methods=["GET"])
@for_providers
@blp.arguments(KpiArgs, location="query")
@blp.response(200, page_of(KpiSchema, "KpiPage"))
@documented(401)
def list_kpis(args):
    """The KPI library: metrics with unit, direction, typical levels and the lines they suit."""
    rows = bpo_services.kpi_library_for(args.get("service_line"))
    return _page([_kpi(row) for row in rows], args["page"], args["per_page"])


@blp.route("/rubric-templates", methods=["GET"])
@for_providers
@blp.response(200, RubricTemplateListSchema)
@documented(401)
def list_rubric_templates():
    """KPO review rubrics: the default one every KPO engagement starts with."""
    template = {"code": DEFAULT_RUBRIC, "name": "Default KPO rubric", "criteria": default_rubric()}
    return {"items": [template]}


def default_rubric() -> list[dict]:
    """The default KPO rubric, read as `kpo.services.ensure_rubric` reads it."""
    return [
        {
            "name": row["name"].strip(),
            "weight": int(row["weight"]),
            "description": row.get("description", ""),
        }
        for row in load_json("default_rubric.json")
    ]


@blp.route("/criteria-templates", methods=["GET"])
@for_providers
@blp.response(200, CriteriaTemplateListSchema)
@documented(401)
def list_criteria_templates():
    """Selection criteria templates by model, as POST .../criteria applies them."""
    templates = selection_services.criteria_templates()
    return {
        "items": [
            {"model": model, "criteria": [dict(row) for row in templates.get(model, [])]}
            for model in MODELS
        ]
    }
