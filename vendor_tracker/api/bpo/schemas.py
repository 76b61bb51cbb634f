"""The request and response schemas of the BPO API (they make its OpenAPI document)."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from vendor_tracker.api.common import PageArgsSchema, answer_of
from vendor_tracker.api.fields import PLAIN_TEXT, text
from vendor_tracker.engagements.bpo.results import (
    NOTE_MAX,
    NOTE_TOO_LONG,
    VOLUME_MAX,
    VOLUME_PROBLEM,
)
from vendor_tracker.engagements.bpo.sla import Classification, Direction, parse_period

MAX_ITEMS = 5000
MAX_WINDOW_MONTHS = 120


# The months `sla.parse_period` accepts: YYYY-MM, years 1900 to 9999 (blanks around are trimmed).
MONTH_PATTERN = r"^\s*(19\d\d|[2-9]\d{3})-(0[1-9]|1[0-2])\s*$"


class Period(fields.Field):
    """A calendar month written YYYY-MM, loaded as the month's first day."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": MONTH_PATTERN, "example": "2026-03"}
        metadata.update(kwargs.pop("metadata", {}))
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else value.strftime("%Y-%m")

    def _deserialize(self, value, attr, data, **kwargs):
        month = parse_period(value) if isinstance(value, str) else None
        if month is None:
            raise ValidationError("Give a month as YYYY-MM.")
        return month


def money(**kw):
    """Money: a string with its cents ("10000.00")."""
    return fields.Decimal(as_string=True, places=None, allow_nan=False, **kw)


class Measure(fields.Decimal):
    """A measured value or level as a plain decimal string without trailing zeros ("81.5")."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        text = f"{Decimal(str(value)):f}"
        return text.rstrip("0").rstrip(".") if "." in text else text


def measure(**kw):
    return Measure(as_string=True, places=None, allow_nan=False, **kw)


class ServiceLevelSchema(Schema):
    id = fields.Integer(dump_only=True)
    engagement_id = fields.Integer(dump_only=True)
    name = text(120, 1, required=True)
    metric_code = fields.String(allow_none=True, load_default=None, validate=PLAIN_TEXT)
    unit = text(20, load_default="")
    direction = fields.String(required=True, validate=validate.OneOf([d.value for d in Direction]))
    target = measure(required=True)
    minimum = measure(allow_none=True, load_default=None)
    classification = fields.String(
        load_default=Classification.KEY.value,
        validate=validate.OneOf([c.value for c in Classification]),
    )
    allocation_pct = measure(allow_none=True, load_default=None)
    version = fields.Integer(dump_only=True)


ServiceLevelOutSchema = answer_of(ServiceLevelSchema, "ServiceLevelOut")


class ServiceLevelPatchSchema(Schema):
    name = text(120, 1)
    metric_code = fields.String(allow_none=True, validate=PLAIN_TEXT)
    unit = text(20)
    direction = fields.String(validate=validate.OneOf([d.value for d in Direction]))
    target = measure()
    minimum = measure(allow_none=True)
    classification = fields.String(validate=validate.OneOf([c.value for c in Classification]))
    allocation_pct = measure(allow_none=True)
    version = fields.Integer(required=True)


class MeasurementInSchema(Schema):
    service_level_id = fields.Integer(required=True)
    period = Period(required=True)
    actual = measure(required=True)
    volume = fields.Integer(
        allow_none=True,
        load_default=None,
        validate=validate.Range(min=0, max=VOLUME_MAX, error=VOLUME_PROBLEM),
    )
    note = text(NOTE_MAX, length_error=NOTE_TOO_LONG, load_default="")


class MeasurementSchema(Schema):
    id = fields.Integer(required=True)
    service_level_id = fields.Integer(required=True)
    period = Period(required=True)
    actual = measure(required=True)
    volume = fields.Integer(allow_none=True, required=True)
    note = fields.String(required=True)
    source = fields.Function(
        lambda m: getattr(m.source, "value", m.source),
        required=True,
        metadata={"type": "string", "description": "the writer: form, import, api or provider"},
    )
    recorded_at = fields.DateTime(required=True)
    version = fields.Integer(required=True)


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
    met = fields.Integer(required=True)
    reported = fields.Integer(required=True)
    expected = fields.Integer(required=True)
    rate = fields.Float(
        allow_none=True, metadata={"description": "percent; null: no data"}, required=True
    )
    coverage = fields.Float(
        allow_none=True, metadata={"description": "percent reported"}, required=True
    )


class MonthResultSchema(Schema):
    period = Period(required=True)
    status = fields.String(required=True)
    actual = measure(allow_none=True, required=True)
    volume = fields.Integer(allow_none=True, required=True)
    provisional = fields.Boolean(
        metadata={"description": "the month's results are not verified by the client yet"},
        required=True,
    )


class LevelComplianceSchema(ServiceLevelOutSchema):
    attainment = fields.Nested(AttainmentSchema, required=True)
    months = fields.List(fields.Nested(MonthResultSchema), required=True)


class CreditSchema(Schema):
    service_level_id = fields.Integer(required=True)
    name = fields.String(required=True)
    allocation_pct = measure(required=True)
    amount = money(required=True)
    earn_back = fields.String(required=True)
    waived = fields.Boolean(
        metadata={"description": "waived by the client: not payable"}, required=True
    )


class CreditMonthSchema(Schema):
    period = Period(required=True)
    breaches = fields.List(fields.Nested(CreditSchema), required=True)
    gross = money(required=True)
    earned_back = money(required=True)
    pending = money(required=True)
    cap_applied = fields.Boolean(required=True)
    cap_reduction = money(required=True)
    payable = money(required=True)
    waived = money(
        metadata={"description": "waived credits of the month (not in payable)"}, required=True
    )
    provisional = fields.Boolean(
        metadata={"description": "rests on results the client has not verified yet"}, required=True
    )


class CreditTotalsSchema(Schema):
    """The ledger's totals over the requested months, as the credits page's footer shows them."""

    breaches = fields.Integer(required=True, metadata={"description": "credits owed (breaches)"})
    gross = money(required=True, metadata={"description": "credits before earn-back and cap"})
    earned_back = money(required=True)
    pending = money(required=True, metadata={"description": "not earned back yet (payable)"})
    cap_reduction = money(required=True, metadata={"description": "cut by the monthly cap"})
    payable = money(
        required=True, metadata={"description": "total payable for the requested months"}
    )
    waived = money(required=True, metadata={"description": "waived by the client (not payable)"})


class CreditsSchema(Schema):
    currency = fields.String(required=True)
    monthly_fee = money(allow_none=True, required=True)
    at_risk_pct = money(allow_none=True, required=True)
    at_risk_per_month = money(required=True)
    earn_back_months = fields.Integer(required=True)
    months = fields.List(fields.Nested(CreditMonthSchema), required=True)
    totals = fields.Nested(CreditTotalsSchema, required=True)


class ComplianceSchema(Schema):
    engagement_id = fields.Integer(required=True)
    from_ = Period(data_key="from", required=True)
    to = Period(required=True)
    levels = fields.List(fields.Nested(LevelComplianceSchema), required=True)
    attainment = fields.Dict(
        keys=fields.String(), values=fields.Nested(AttainmentSchema), required=True
    )
    credits = fields.Nested(CreditsSchema, required=True)


class PostResultSchema(Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    items = fields.List(fields.Nested(MeasurementSchema), required=True)
