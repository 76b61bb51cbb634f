"""Request and response schemas of the KPO API."""

from flask_login import current_user
from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import PageArgsSchema, answer_of
from vendor_tracker.api.fields import text
from vendor_tracker.engagements.kpo import review as rules

TYPES = [t.value for t in rules.DeliverableType]
DECISIONS = [d.value for d in rules.Decision]
STATUSES = [s.value for s in rules.DeliverableStatus] + ["overdue", "open"]


class FiguresSchema(Schema):
    status = fields.String(required=True)
    overdue = fields.Boolean(required=True)
    due_on = fields.Date(required=True)
    rounds = fields.Integer(required=True)
    rounds_to_acceptance = fields.Integer(allow_none=True, required=True)
    first_pass = fields.Boolean(
        allow_none=True, metadata={"description": "accepted first time"}, required=True
    )
    first_version_on_time = fields.Boolean(allow_none=True, required=True)
    accepted_on_time = fields.Boolean(allow_none=True, required=True)
    accepted_on = fields.Date(allow_none=True, required=True)
    first_submitted_on = fields.Date(allow_none=True, required=True)
    last_activity = fields.Date(allow_none=True, required=True)
    review_days = fields.List(
        fields.Integer(), metadata={"description": "client days per round"}, required=True
    )
    rework_days = fields.List(
        fields.Integer(), metadata={"description": "provider days per round"}, required=True
    )
    final_quality = fields.Float(allow_none=True, metadata={"description": "0-100"}, required=True)
    latest_quality = fields.Float(allow_none=True, metadata={"description": "0-100"}, required=True)
    effort_hours = fields.Float(allow_none=True, metadata={"description": "hours"}, required=True)
    rework_share = fields.Float(
        allow_none=True, metadata={"description": "percent of hours"}, required=True
    )


class DeliverableSchema(Schema):
    id = fields.Integer(required=True)
    engagement_id = fields.Integer(required=True)
    title = fields.String(required=True)
    type = fields.String(required=True)
    due_on = fields.Date(required=True)
    lead_reviewer_id = fields.Integer(allow_none=True, required=True)
    lead_reviewer = fields.String(allow_none=True, required=True)
    version = fields.Integer(
        metadata={"description": "send it back in PATCH bodies"}, required=True
    )
    figures = fields.Nested(FiguresSchema, required=True)


class DeliverableListArgs(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    type = fields.String(validate=validate.OneOf(TYPES))


class DeliverableCreateSchema(Schema):
    title = text(200, 1, required=True)
    description = text(5000, load_default="")
    type = fields.String(required=True, validate=validate.OneOf(TYPES))
    due_on = fields.Date(required=True)
    lead_reviewer_id = fields.Integer(load_default=None, allow_none=True)


class DeliverableUpdateSchema(Schema):
    title = text(200, 1)
    description = text(5000)
    type = fields.String(validate=validate.OneOf(TYPES))
    due_on = fields.Date()
    lead_reviewer_id = fields.Integer(allow_none=True)
    version = fields.Integer(required=True)


class ScoreSchema(Schema):
    criterion = fields.String(attribute="criterion_name", required=True)
    weight = fields.Integer(metadata={"description": "weight in force when scored"}, required=True)
    score = fields.Integer(required=True)


class ReviewSchema(Schema):
    id = fields.Integer(required=True)
    submission_id = fields.Integer(required=True)
    reviewer_id = fields.Integer(allow_none=True, required=True)
    reviewed_on = fields.Date(required=True)
    decision = fields.String(required=True)
    feedback = fields.String(required=True)
    quality_score = fields.Float(allow_none=True, metadata={"description": "0-100"}, required=True)
    scores = fields.List(fields.Nested(ScoreSchema), required=True)


def person_name(user) -> str | None:
    """A user's name as the reader may see it: a provider's user never gets a client user's
    e-mail address."""
    if user is None:
        return None
    if user.name:
        return user.name
    return user.email if user.is_provider or not current_user.is_provider else "client user"


class SubmissionSchema(Schema):
    id = fields.Integer(required=True)
    deliverable_id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    submitted_by_id = fields.Integer(
        allow_none=True, metadata={"description": "null: not kept"}, required=True
    )
    submitted_by = fields.Function(
        lambda s: person_name(s.submitted_by),
        required=True,
        allow_none=True,
        metadata={"type": "string", "nullable": True, "description": "name"},
    )
    submitted_by_provider = fields.Function(
        lambda s: bool(s.submitted_by and s.submitted_by.is_provider),
        required=True,
        metadata={"type": "boolean", "description": "true when the provider's user submitted it"},
    )
    submitted_on = fields.Date(required=True)
    summary = fields.String(required=True)
    reference = fields.String(required=True)
    effort_hours = fields.Float(allow_none=True, metadata={"description": "hours"}, required=True)
    review = fields.Nested(ReviewSchema, allow_none=True, required=True)


class AllowedSchema(Schema):
    """What the rules allow next on a deliverable for the reader, and why not."""

    submit_version = fields.Boolean(required=True)
    submit_version_refused_because = fields.String(required=True, allow_none=True)
    record_review = fields.Boolean(required=True)
    record_review_refused_because = fields.String(required=True, allow_none=True)
    review_submission_id = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "the version a review would close; null when none may"},
    )


class DeliverableDetailSchema(DeliverableSchema):
    description = fields.String(required=True)
    rounds = fields.List(fields.Nested(SubmissionSchema), required=True)
    allowed = fields.Nested(
        AllowedSchema,
        required=True,
        metadata={"description": "what the rules allow next, and why not"},
    )


class SubmissionCreateSchema(Schema):
    submitted_on = fields.Date(required=True)
    summary = text(5000, load_default="")
    reference = text(500, load_default="")
    effort_hours = fields.Float(
        load_default=None,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=100000),
        metadata={"description": "hours the provider reports, to 0.1 h"},
    )


class ReviewCreateSchema(Schema):
    reviewed_on = fields.Date(required=True)
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    feedback = text(10000, load_default="")
    scores = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(strict=True),
        load_default=dict,
        metadata={"description": "criterion name -> score 1-5, every current criterion"},
    )


class ActionItemSchema(Schema):
    id = fields.Integer(required=True)
    engagement_id = fields.Integer(required=True)
    touchpoint_id = fields.Integer(required=True)
    text = fields.String(required=True)
    owner = fields.String(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    done = fields.Boolean(required=True)
    done_on = fields.Date(allow_none=True, required=True)
    for_provider = fields.Boolean(
        metadata={"description": "assigned to the provider's company"}, required=True
    )


class ActionItemListArgs(Schema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "done", "all"]))


class ActionItemListSchema(Schema):
    items = fields.List(fields.Nested(ActionItemSchema), required=True)


StatusCountsSchema = Schema.from_dict(
    {s.value: fields.Integer(required=True) for s in rules.DeliverableStatus},
    name="StatusCounts",
)


class ReviewStatsSchema(Schema):
    engagement_id = fields.Integer(required=True)
    as_of = fields.Date(required=True)
    deliverables = fields.Integer(required=True)
    by_status = fields.Nested(StatusCountsSchema, required=True)
    overdue = fields.Integer(required=True)
    accepted = fields.Integer(required=True)
    first_pass_rate = fields.Float(
        allow_none=True, metadata={"description": "percent"}, required=True
    )
    mean_rounds_to_acceptance = fields.Float(allow_none=True, required=True)
    on_time_first_rate = fields.Float(
        allow_none=True, metadata={"description": "percent"}, required=True
    )
    mean_review_days = fields.Float(allow_none=True, required=True)
    mean_rework_days = fields.Float(allow_none=True, required=True)
    mean_final_quality = fields.Float(
        allow_none=True, metadata={"description": "0-100"}, required=True
    )
    rounds_distribution = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "review rounds to acceptance -> accepted deliverables"},
    )


class CriterionSchema(Schema):
    name = text(80, 1, required=True)
    weight = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    description = text(500, load_default="")


class RubricSchema(Schema):
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1)
    )


RubricOutSchema = Schema.from_dict(
    {
        "criteria": fields.List(
            fields.Nested(answer_of(CriterionSchema, "ReviewCriterionOut")), required=True
        )
    },
    name="RubricOut",
)
