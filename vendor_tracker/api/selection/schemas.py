"""Request and response schemas of the selection API."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates

from vendor_tracker.api.common import PageArgsSchema
from vendor_tracker.api.fields import ID, PLAIN_TEXT, Number, UtcDateTime, text
from vendor_tracker.engagements.rules import PricingModel
from vendor_tracker.selection import services
from vendor_tracker.selection.advisor import SCALE_MAX, SCALE_MIN, Advice
from vendor_tracker.selection.rules import EDITABLE_STATUSES, REASON_MIN, RequestStatus

STATUS_VALUES = [s.value for s in RequestStatus]
WEIGHT_MAX = 999_999
WEIGHT_ABOVE = Decimal("0.005")
BUDGET_MAX = Decimal("999999999999.99")


class RequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = text(200, 1, required=True)
    description = text(5000, load_default="")
    owner_id = fields.Integer(allow_none=True, load_default=None, validate=ID)
    service_line_id = fields.Integer(allow_none=True, load_default=None, validate=ID)
    volume_scope = text(255, load_default="")
    budget = Number(places=2, allow_none=True, load_default=None)
    currency = fields.String(load_default="USD", validate=validate.Regexp(r"^[A-Za-z]{3}$"))
    needed_by = fields.Date(allow_none=True, load_default=None)
    status = fields.String(dump_only=True)
    model = fields.String(dump_only=True, allow_none=True)
    advisor_score = fields.Float(dump_only=True, allow_none=True)
    advisor_result = fields.String(dump_only=True, allow_none=True)
    override_model = fields.String(dump_only=True, allow_none=True)
    override_reason = fields.String(dump_only=True)
    award_vendor_id = fields.Integer(dump_only=True, allow_none=True)
    award_reason = fields.String(dump_only=True)
    awarded_at = UtcDateTime(dump_only=True, allow_none=True)
    engagement_id = fields.Integer(dump_only=True, allow_none=True)
    version = fields.Integer(dump_only=True)
    created_at = UtcDateTime(dump_only=True)

    @validates("budget")
    def _budget_in_range(self, value, **_kwargs):
        if value is not None and not Decimal(0) <= value <= BUDGET_MAX:
            raise ValidationError(f"Use an amount from 0 to {BUDGET_MAX:,}.")


class RequestUpdateSchema(RequestSchema):
    title = text(200, 1)
    description = text(5000)
    owner_id = fields.Integer(allow_none=True, validate=ID)
    service_line_id = fields.Integer(allow_none=True, validate=ID)
    volume_scope = text(255)
    budget = Number(places=2, allow_none=True)
    currency = fields.String(validate=validate.Regexp(r"^[A-Za-z]{3}$"))
    needed_by = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in EDITABLE_STATUSES]))
    version = fields.Integer(required=True)


class RequestListArgs(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUS_VALUES))
    q = text(100)
    sort = fields.String(load_default="created", validate=validate.OneOf(list(services.SORTS)))
    dir = fields.String(load_default="desc", validate=validate.OneOf(["asc", "desc"]))


def _answers_document() -> dict:
    """What `advisor.answer_problems` accepts, as JSON Schema: every question answered with a
    whole number on the advisor's scale, and no other key."""
    codes = [question.code for question in services.questions()]
    scale = {"type": "integer", "minimum": SCALE_MIN, "maximum": SCALE_MAX}
    return {
        "properties": {code: scale for code in codes},
        "required": codes,
        "additionalProperties": False,
    }


class AnswerMap(fields.Raw):
    """Any JSON object, loaded as it is: the rule answers each question's problem in its own
    words. (A `Dict` field would document its values as `additionalProperties: {}`.)"""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Not a valid mapping type.")
        return value


class AnswersSchema(Schema):
    answers = AnswerMap(required=True, metadata={"type": "object", **_answers_document()})


class OverrideSchema(Schema):
    model = fields.String(required=True, validate=validate.OneOf([a.value for a in Advice]))
    reason = text(2000, REASON_MIN, required=True)


class CandidateInSchema(Schema):
    vendor_id = fields.Integer(required=True, validate=ID)


class CriterionInSchema(Schema):
    name = text(120, 1)
    # Kept to cents: a weight is accepted when it is above 0.005 (rounds to 0.01 or more), as
    # the rule's "greater than zero" after rounding.
    weight = Number(
        places=2,
        validate=validate.Range(
            min=WEIGHT_ABOVE,
            max=WEIGHT_MAX,
            min_inclusive=False,
            error=f"Use a number greater than zero and up to {WEIGHT_MAX:,}.",
        ),
    )
    template = fields.String(validate=validate.OneOf(["BPO", "KPO"]))


class WeightsSchema(Schema):
    weights = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class ScoreInSchema(Schema):
    candidate_id = fields.Integer(required=True, validate=ID)
    criterion_id = fields.Integer(required=True, validate=ID)
    value = fields.Raw(required=True)
    comment = fields.String(load_default="", validate=PLAIN_TEXT)


class SheetInSchema(Schema):
    scores = fields.List(fields.Nested(ScoreInSchema), required=True)


class AwardSchema(Schema):
    candidate_id = fields.Integer(required=True, validate=ID)
    reason = text(4000, load_default="")
    kind = fields.String(validate=validate.OneOf(["BPO", "KPO"]))
    pricing_model = fields.String(
        required=True, validate=validate.OneOf([p.value for p in PricingModel])
    )
    start_date = fields.Date(required=True)
    kpi_codes = fields.List(fields.String(), load_default=None)


class AdvisorOutSchema(Schema):
    questions = fields.List(fields.Dict(), required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    result = fields.Dict(allow_none=True, required=True)
    override = fields.Dict(allow_none=True, required=True)
    model = fields.String(allow_none=True, required=True)


class CandidatesOutSchema(Schema):
    candidates = fields.List(fields.Dict(), required=True)
    suggested = fields.List(fields.Dict(), required=True)
    track_record_period = fields.Dict(required=True)


class CandidateOutSchema(Schema):
    candidate_id = fields.Integer(required=True)
    vendor_id = fields.Integer(required=True)


class CriteriaOutSchema(Schema):
    criteria = fields.List(fields.Dict(), required=True)


class SheetsOutSchema(Schema):
    sheets = fields.List(fields.Dict(), required=True)


class ResultsOutSchema(Schema):
    weights_pct = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
    ranking = fields.List(fields.Dict(), required=True)
    leaders = fields.List(fields.Integer(), required=True)
    tie_at_top = fields.Boolean(required=True)
    sensitivity = fields.List(fields.Dict(), required=True)
    evidence = fields.Dict(required=True)
    evidence_period = fields.Dict(required=True)
    standings = fields.Dict(required=True)


class AwardOutSchema(Schema):
    engagement_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    warnings = fields.List(fields.String(), required=True)
    request = fields.Nested(RequestSchema, required=True)
