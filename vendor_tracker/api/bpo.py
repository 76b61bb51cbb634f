"""API endpoints for BPO engagements: service levels, measurements, compliance and credits."""

from datetime import date
from decimal import Decimal

from flask import request
from flask.views import MethodView
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from vendor_tracker.api.common import (
    Blueprint,
    PageArgsSchema,
    fail,
    page_of,
    paginate,
    problems_to_fields,
    require_version,
)
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.engagements.bpo import services, writes
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.results import (
    NOTE_MAX,
    NOTE_TOO_LONG,
    VOLUME_MAX,
    VOLUME_PROBLEM,
    IncomingRow,
    Intent,
    ProblemKind,
)
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    Source,
    first_of_month,
    parse_period,
    shift_month,
)
from vendor_tracker.extensions import db

blp = Blueprint("api_bpo", "BPO service levels, monthly results, compliance and credits")

MAX_ITEMS = 5000
MAX_WINDOW_MONTHS = 120


class Period(fields.Field):
    """A calendar month written YYYY-MM, loaded as the month's first day."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m")

    def _deserialize(self, value, attr, data, **kwargs):
        month = parse_period(value) if isinstance(value, str) else None
        if month is None:
            raise ValidationError("Give a month as YYYY-MM.")
        return month


def _decimal(**kw):
    """Money: a string with its cents ("10000.00")."""
    return fields.Decimal(as_string=True, places=None, allow_nan=False, **kw)


class Measure(fields.Decimal):
    """A measured value or level as a plain decimal string without trailing zeros ("81.5")."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        text = f"{Decimal(str(value)):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


def _measure(**kw):
    return Measure(as_string=True, places=None, allow_nan=False, **kw)


class ServiceLevelSchema(Schema):
    id = fields.Integer(dump_only=True)
    engagement_id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=120))
    metric_code = fields.String(allow_none=True, load_default=None)
    unit = fields.String(load_default="", validate=validate.Length(max=20))
    direction = fields.String(required=True, validate=validate.OneOf([d.value for d in Direction]))
    target = _measure(required=True)
    minimum = _measure(allow_none=True, load_default=None)
    classification = fields.String(
        load_default=Classification.KEY.value,
        validate=validate.OneOf([c.value for c in Classification]),
    )
    allocation_pct = _measure(allow_none=True, load_default=None)
    version = fields.Integer(dump_only=True)


class ServiceLevelPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=120))
    metric_code = fields.String(allow_none=True)
    unit = fields.String(validate=validate.Length(max=20))
    direction = fields.String(validate=validate.OneOf([d.value for d in Direction]))
    target = _measure()
    minimum = _measure(allow_none=True)
    classification = fields.String(validate=validate.OneOf([c.value for c in Classification]))
    allocation_pct = _measure(allow_none=True)
    version = fields.Integer(required=True)


class MeasurementInSchema(Schema):
    service_level_id = fields.Integer(required=True)
    period = Period(required=True)
    actual = _measure(required=True)
    volume = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=VOLUME_MAX, error=VOLUME_PROBLEM),
    )
    note = fields.String(
        load_default="", validate=validate.Length(max=NOTE_MAX, error=NOTE_TOO_LONG)
    )


class MeasurementSchema(Schema):
    id = fields.Integer()
    service_level_id = fields.Integer()
    period = Period()
    actual = _measure()
    volume = fields.Integer(allow_none=True)
    note = fields.String()
    source = fields.Function(lambda m: getattr(m.source, "value", m.source))
    recorded_at = fields.DateTime()
    version = fields.Integer()


class MeasurementQuerySchema(PageArgsSchema):
    service_level_id = fields.Integer()
    from_ = Period(data_key="from")
    to = Period()


class PostQuerySchema(Schema):
    replace = fields.Boolean(load_default=False)


class WindowQuerySchema(Schema):
    from_ = Period(data_key="from")
    to = Period()


class AttainmentSchema(Schema):
    met = fields.Integer()
    reported = fields.Integer()
    expected = fields.Integer()
    rate = fields.Float(allow_none=True, metadata={"description": "percent; null: no data"})
    coverage = fields.Float(allow_none=True, metadata={"description": "percent reported"})


class MonthResultSchema(Schema):
    period = Period()
    status = fields.String()
    actual = _measure(allow_none=True)
    volume = fields.Integer(allow_none=True)


class LevelComplianceSchema(ServiceLevelSchema):
    attainment = fields.Nested(AttainmentSchema)
    months = fields.List(fields.Nested(MonthResultSchema))


class CreditSchema(Schema):
    service_level_id = fields.Integer()
    name = fields.String()
    allocation_pct = _measure()
    amount = _decimal()
    earn_back = fields.String()


class CreditMonthSchema(Schema):
    period = Period()
    breaches = fields.List(fields.Nested(CreditSchema))
    gross = _decimal()
    earned_back = _decimal()
    pending = _decimal()
    cap_applied = fields.Boolean()
    cap_reduction = _decimal()
    payable = _decimal()


class CreditsSchema(Schema):
    currency = fields.String()
    monthly_fee = _decimal(allow_none=True)
    at_risk_pct = _decimal(allow_none=True)
    at_risk_per_month = _decimal()
    earn_back_months = fields.Integer()
    months = fields.List(fields.Nested(CreditMonthSchema))
    totals = fields.Dict(keys=fields.String(), values=fields.String())


class ComplianceSchema(Schema):
    engagement_id = fields.Integer()
    from_ = Period(data_key="from")
    to = Period()
    levels = fields.List(fields.Nested(LevelComplianceSchema))
    attainment = fields.Dict(keys=fields.String(), values=fields.Nested(AttainmentSchema))
    credits = fields.Nested(CreditsSchema)


class PostResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    items = fields.List(fields.Nested(MeasurementSchema))


def _library_unit(data: dict) -> dict:
    if not data.get("unit") and data.get("metric_code"):
        kpi = services.kpi_by_code(data["metric_code"])
        if kpi:
            data["unit"] = kpi["unit"]
    return data


def _check_level(engagement, data: dict, exclude_id=None) -> None:
    problems = services.service_level_problems(engagement, data, exclude_id)
    if problems:
        fail(422, "Some fields are not valid.", problems_to_fields(problems))


@blp.route("/engagements/<int:engagement_id>/service-levels")
class ServiceLevels(MethodView):
    @blp.response(200, ServiceLevelSchema(many=True))
    def get(self, engagement_id):
        """List the service levels of a BPO engagement."""
        services.bpo_engagement_or_404(engagement_id)
        return services.service_levels_of(engagement_id)

    @manager_required
    @blp.arguments(ServiceLevelSchema)
    @blp.response(201, ServiceLevelSchema)
    def post(self, data, engagement_id):
        """Add a service level (critical ones need an allocation %; totals at most 500 %)."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        data = _library_unit(data)
        data["direction"] = Direction(data["direction"])
        data["classification"] = Classification(data["classification"])
        _check_level(engagement, data)
        level = services.create_service_level(engagement, data)
        db.session.commit()
        return level


def _level_of(engagement_id: int, level_id: int) -> ServiceLevel:
    level = db.session.get(ServiceLevel, level_id)
    if level is None or level.engagement_id != engagement_id:
        fail(404, "Service level not found on this engagement.")
    return level


@blp.route("/engagements/<int:engagement_id>/service-levels/<int:level_id>")
class ServiceLevelItem(MethodView):
    @blp.response(200, ServiceLevelSchema)
    def get(self, engagement_id, level_id):
        """One service level."""
        services.bpo_engagement_or_404(engagement_id)
        return _level_of(engagement_id, level_id)

    @manager_required
    @blp.arguments(ServiceLevelPatchSchema)
    @blp.response(200, ServiceLevelSchema)
    def patch(self, data, engagement_id, level_id):
        """Change a service level; send the version you read."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        level = _level_of(engagement_id, level_id)
        require_version(level, data)
        merged = {key: getattr(level, key) for key in services.LEVEL_FIELDS}
        merged.update(data)
        merged = _library_unit(merged) if "unit" not in data else merged
        merged["direction"] = Direction(merged["direction"])
        merged["classification"] = Classification(merged["classification"])
        _check_level(engagement, merged, level.id)
        services.apply_service_level(level, merged)
        db.session.commit()
        return level

    @manager_required
    @blp.response(204)
    def delete(self, engagement_id, level_id):
        """Delete a service level and its monthly results."""
        services.bpo_engagement_or_404(engagement_id)
        services.delete_service_level(_level_of(engagement_id, level_id))
        db.session.commit()


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

    @manager_required
    @blp.arguments(PostQuerySchema, location="query")
    @blp.response(201, PostResultSchema)
    def post(self, args, engagement_id):
        """Record one result or a list (all or nothing; per-item errors by list index).

        A month that already has a different result is a 409 conflict unless `?replace=true`;
        sending the same values again changes nothing.
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
        try:
            done = writes.apply_plan(
                engagement, plan, Source.API, current_user.id, current_user.email
            )
        except writes.ResultsChangedMeanwhile as lost_race:
            fail(409, str(lost_race))
        saved = services.measurements_by_keys(engagement_id, [(r.level, r.period) for r in rows])
        db.session.commit()
        return {
            "created": done.created,
            "updated": done.updated,
            "unchanged": done.unchanged,
            "items": saved,
        }


def _window(args) -> tuple[date, date]:
    today = date.today()
    last = args.get("to") or first_of_month(today)
    first = args.get("from_") or shift_month(last, -11)
    if first > last:
        fail(422, "`from` must not be after `to`.", {"from": ["Must not be after `to`."]})
    if (last.year - first.year) * 12 + last.month - first.month >= MAX_WINDOW_MONTHS:
        fail(422, "Ask for at most 120 months.", {"from": ["At most 120 months per request."]})
    return first, last


def _attainment(a) -> dict:
    return {
        "met": a.met,
        "reported": a.reported,
        "expected": a.expected,
        "rate": a.rate,
        "coverage": a.coverage,
    }


@blp.route("/engagements/<int:engagement_id>/compliance")
class Compliance(MethodView):
    @blp.arguments(WindowQuerySchema, location="query")
    @blp.response(200, ComplianceSchema)
    def get(self, args, engagement_id):
        """Status and actual per level and month, attainment with coverage, credits per month."""
        engagement = services.bpo_engagement_or_404(engagement_id)
        first, last = _window(args)
        today = date.today()
        levels = services.service_levels_of(engagement_id)
        report = services.compliance_report(engagement, first, last, today, levels)
        by_id = {lv.id: lv for lv in levels}
        level_rows = []
        for lr in report.levels:
            row = ServiceLevelSchema().dump(by_id[lr.level.id])
            row["attainment"] = _attainment(lr.attainment)
            row["months"] = [
                {"period": m, "status": c.status.value, "actual": c.actual, "volume": c.volume}
                for m in report.months
                if (c := lr.cell(m)) is not None
            ]
            level_rows.append(row)
        terms = services.credit_terms(engagement)
        ledger = report.ledger
        return {
            "engagement_id": engagement_id,
            "from_": first,
            "to": last,
            "levels": level_rows,
            "attainment": {
                "critical": _attainment(report.critical),
                "key": _attainment(report.key),
                "overall": _attainment(report.overall),
            },
            "credits": {
                "currency": engagement.currency,
                "monthly_fee": engagement.monthly_fee,
                "at_risk_pct": engagement.at_risk_pct,
                "at_risk_per_month": terms.at_risk_amount,
                "earn_back_months": terms.earn_back_months,
                "months": [
                    {
                        "period": line.month,
                        "breaches": [
                            {
                                "service_level_id": c.level_id,
                                "name": c.level_name,
                                "allocation_pct": c.allocation_pct,
                                "amount": c.amount,
                                "earn_back": c.state.value,
                            }
                            for c in line.credits
                        ],
                        "gross": line.gross,
                        "earned_back": line.earned_back,
                        "pending": line.pending,
                        "cap_applied": line.cap_applied,
                        "cap_reduction": line.cap_reduction,
                        "payable": line.payable,
                    }
                    for line in ledger.months
                ],
                "totals": {
                    "gross": str(ledger.gross),
                    "earned_back": str(ledger.earned_back),
                    "pending": str(ledger.pending),
                    "cap_reduction": str(ledger.cap_reduction),
                    "payable": str(ledger.payable),
                },
            },
        }
