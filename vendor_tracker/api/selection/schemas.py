"""Request and response schemas of the selection API."""

from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates

from vendor_tracker.api.common import PageArgsSchema, answer_of
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


SourcingRequestSchema = answer_of(RequestSchema, "SourcingRequest")


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
    weights = fields.Dict(
        keys=fields.String(),
        values=Number(),
        required=True,
        metadata={"description": "criterion id -> weight, any number above zero"},
    )


class ScoreValue(fields.Raw):
    """A score as sent: the scoring rule refuses each cell that is not a whole number 1-5 in
    its own words (by candidate:criterion), so the field only documents it."""


class ScoreInSchema(Schema):
    candidate_id = fields.Integer(required=True, validate=ID)
    criterion_id = fields.Integer(required=True, validate=ID)
    value = ScoreValue(required=True, metadata={"type": "integer", "minimum": 1, "maximum": 5})
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


class AwardOutSchema(Schema):
    engagement_id = fields.Integer(required=True)
    kind = fields.String(required=True)
    warnings = fields.List(fields.String(), required=True)
    request = fields.Nested(SourcingRequestSchema, required=True)
