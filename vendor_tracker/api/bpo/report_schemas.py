"""Schemas of month reports and credit disputes (they make their part of the OpenAPI document)."""

from marshmallow import Schema, fields, validate

from vendor_tracker.api.bpo.schemas import Period
from vendor_tracker.api.common import PageArgsSchema
from vendor_tracker.api.fields import ID, UtcDateTime, enum_out, text
from vendor_tracker.engagements.bpo.reporting_rules import (
    REASON_MAX,
    Decision,
    DisputeCategory,
    DisputeState,
    ReportState,
)


def _name(attribute: str):
    """A user's display name (null when there is none)."""
    return fields.Function(
        lambda obj: getattr(getattr(obj, attribute), "display_name", None),
        required=True,
        allow_none=True,
        metadata={"type": "string", "nullable": True},
    )


class MonthReportSchema(Schema):
    """One month of an engagement: the state of its results and who last changed it."""

    period = Period(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in ReportState]),
        metadata={"description": "verified also for months the client keyed in (no report)"},
    )
    provisional = fields.Boolean(
        required=True, metadata={"description": "the results are not verified by the client"}
    )
    changed_by_id = fields.Integer(allow_none=True, required=True)
    changed_by = fields.String(
        allow_none=True, metadata={"description": "the user's name"}, required=True
    )
    changed_at = UtcDateTime(allow_none=True, required=True)
    reasons = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "the client's reasons of a dispute by service level id (empty unless "
            "the month is disputed)"
        },
        required=True,
    )


class DisputeMonthSchema(Schema):
    reason = text(REASON_MAX, 1, required=True)
    service_level_ids = fields.List(
        fields.Integer(strict=True, validate=ID),
        required=True,
        validate=validate.Length(min=1, max=200),
    )


class CreditDisputeInSchema(Schema):
    service_level_id = fields.Integer(strict=True, required=True, validate=ID)
    category = fields.String(
        required=True, validate=validate.OneOf([c.value for c in DisputeCategory])
    )
    reason = text(REASON_MAX, 1, required=True)


class CreditDisputeSchema(Schema):
    id = fields.Integer(required=True)
    engagement_id = fields.Integer(required=True)
    service_level_id = fields.Integer(required=True)
    service_level = fields.Function(
        lambda d: d.service_level.name, required=True, metadata={"type": "string"}
    )
    period = Period(required=True)
    category = enum_out("category", DisputeCategory)
    reason = fields.String(required=True)
    state = enum_out("state", DisputeState)
    raised_by = _name("raised_by")
    raised_at = UtcDateTime(required=True)
    resolved_by = _name("resolved_by")
    resolved_at = UtcDateTime(allow_none=True, required=True)
    note = fields.String(required=True)
    version = fields.Integer(required=True)


class DisputeListArgsSchema(PageArgsSchema):
    state = fields.String(validate=validate.OneOf([s.value for s in DisputeState]))


class ResolveDisputeSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf([d.value for d in Decision]))
    note = text(2000, load_default="", metadata={"description": "required to waive"})
