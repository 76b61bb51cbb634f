"""API endpoints for monthly results: read them, or write them through the one results planner."""

from datetime import date

from flask import request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from vendor_tracker.api.bpo.blueprint import blp
from vendor_tracker.api.bpo.schemas import (
    MAX_ITEMS,
    MeasurementInSchema,
    MeasurementQuerySchema,
    MeasurementSchema,
    PostQuerySchema,
    PostResultSchema,
)
from vendor_tracker.api.common import fail, page_of, paginate
from vendor_tracker.auth.decorators import for_providers, manager_or_provider_required
from vendor_tracker.engagements.bpo import services, writes
from vendor_tracker.engagements.bpo.models import Measurement
from vendor_tracker.engagements.bpo.results import IncomingRow, Intent, ProblemKind
from vendor_tracker.engagements.bpo.sla import Source
from vendor_tracker.extensions import db

# The body the handler reads itself (one result, or a list answered item by item).
RESULTS_BODY = {
    "required": True,
    "description": "One result, or a list of 1 to 5000 results (all or nothing).",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    MeasurementInSchema,
                    {
                        "type": "array",
                        "items": MeasurementInSchema,
                        "minItems": 1,
                        "maxItems": MAX_ITEMS,
                    },
                ]
            }
        }
    },
}


def _parse_items(raw_items: list) -> tuple[list[IncomingRow], dict]:
    """The body's items as planner rows (ref = list index), and the items it cannot parse."""
    schema = MeasurementInSchema()
    rows, errors = [], {}
    for index, raw in enumerate(raw_items):
        if not isinstance(raw, dict):
            errors[str(index)] = {"_schema": ["Each item is an object."]}
            continue
        try:
            data = schema.load(raw)
        except ValidationError as invalid:
            errors[str(index)] = invalid.messages
            continue
        rows.append(
            IncomingRow(
                index,
                data["service_level_id"],
                data["period"],
                data["actual"],
                data["volume"],
                data["note"],
            )
        )
    return rows, errors


def _problems_by_item(problems, kind=None) -> dict:
    """Planner problems as {"index": {field: [reasons]}}, with the API's field names."""
    found: dict = {}
    for problem in problems:
        if kind is not None and problem.kind is not kind:
            continue
        name = "service_level_id" if problem.field == "service_level" else problem.field
        found.setdefault(str(problem.ref), {}).setdefault(name, []).append(problem.reason)
    return found


@blp.route("/engagements/<int:engagement_id>/measurements")
class Measurements(MethodView):
    @for_providers
    @blp.arguments(MeasurementQuerySchema, location="query")
    @blp.response(200, page_of(MeasurementSchema, "MeasurementPage"))
    def get(self, args, engagement_id):
        """Monthly results, newest month first; filter by service level and months."""
        services.bpo_engagement_or_404(engagement_id)
        stmt = select(Measurement).where(Measurement.engagement_id == engagement_id)
        if args.get("service_level_id"):
            stmt = stmt.where(Measurement.service_level_id == args["service_level_id"])
        if args.get("from_"):
            stmt = stmt.where(Measurement.period >= args["from_"])
        if args.get("to"):
            stmt = stmt.where(Measurement.period <= args["to"])
        stmt = stmt.order_by(Measurement.period.desc(), Measurement.service_level_id)
        return paginate(stmt, args["page"], args["per_page"])

    @manager_or_provider_required
    @blp.arguments(PostQuerySchema, location="query")
    @blp.response(201, PostResultSchema)
    @blp.doc(requestBody=RESULTS_BODY)
    def post(self, args, engagement_id):
        """Record one result or a list (all or nothing; per-item errors by list index).

        A month that already has a different result is a 409 conflict unless `?replace=true`;
        sending the same values again changes nothing. A provider's user writes for their own
        vendor's engagements (source `provider`; the months become `submitted`).
        """
        engagement = services.bpo_engagement_or_404(engagement_id)
        body = request.get_json(silent=True)
        single = isinstance(body, dict)
        if not single and not isinstance(body, list):
            fail(422, "Send a JSON object or a list of objects.", {"_schema": ["Invalid body."]})
        raw_items = [body] if single else body
        if not raw_items:
            fail(422, "The list is empty.", {"_schema": ["Send at least one result."]})
        if len(raw_items) > MAX_ITEMS:
            fail(413, f"Send at most {MAX_ITEMS} results per request.")
        rows, errors = _parse_items(raw_items)
        plan = writes.plan_writes(
            engagement,
            rows,
            Intent.REPLACE if args["replace"] else Intent.ADD,
            date.today(),
            months={row.period for row in rows},
            row_word="Item",
        )
        errors.update(_problems_by_item(plan.problems, ProblemKind.INVALID))
        if errors:
            fields_ = errors.get("0", {}) if single else errors
            fail(422, "Some results are not valid; nothing was saved.", fields_)
        if not plan.ok:
            conflicts = _problems_by_item(plan.problems)
            fail(
                409,
                "Some months already have different results; nothing was saved "
                "(send ?replace=true to overwrite them).",
                conflicts.get("0", {}) if single else conflicts,
            )
        # A lost race to another writer is a Refusal conflict: the API's handler answers 409.
        done = writes.apply_plan(
            engagement,
            plan,
            writes.source_for(current_user, Source.API),
            current_user.id,
            current_user.email,
        )
        saved = services.measurements_by_keys(engagement_id, [(r.level, r.period) for r in rows])
        db.session.commit()
        return {
            "created": done.created,
            "updated": done.updated,
            "unchanged": done.unchanged,
            "items": saved,
        }
