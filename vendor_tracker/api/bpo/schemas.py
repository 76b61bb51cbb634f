"""The request and response schemas of the BPO API (they make its OpenAPI document)."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate

from vendor_tracker.api.common import PageArgsSchema
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
    id = fields.Integer()
    service_level_id = fields.Integer()
    period = Period()
    actual = measure()
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
    actual = measure(allow_none=True)
    volume = fields.Integer(allow_none=True)
    provisional = fields.Boolean(
        metadata={"description": "the month's results are not verified by the client yet"}
    )


class LevelComplianceSchema(ServiceLevelSchema):
    attainment = fields.Nested(AttainmentSchema)
    months = fields.List(fields.Nested(MonthResultSchema))


class CreditSchema(Schema):
    service_level_id = fields.Integer()
    name = fields.String()
    allocation_pct = measure()
    amount = money()
    earn_back = fields.String()
    waived = fields.Boolean(metadata={"description": "waived by the client: not payable"})


class CreditMonthSchema(Schema):
    period = Period()
    breaches = fields.List(fields.Nested(CreditSchema))
    gross = money()
    earned_back = money()
    pending = money()
    cap_applied = fields.Boolean()
    cap_reduction = money()
    payable = money()
    waived = money(metadata={"description": "waived credits of the month (not in payable)"})
    provisional = fields.Boolean(
        metadata={"description": "rests on results the client has not verified yet"}
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
    currency = fields.String()
    monthly_fee = money(allow_none=True)
    at_risk_pct = money(allow_none=True)
    at_risk_per_month = money()
    earn_back_months = fields.Integer()
    months = fields.List(fields.Nested(CreditMonthSchema))
    totals = fields.Nested(CreditTotalsSchema, required=True)


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
