"""Request and response schemas of the KPO API."""

from flask_login import current_user
from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import PageArgsSchema
from vendor_tracker.api.fields import text
from vendor_tracker.engagements.kpo import review as rules

TYPES = [t.value for t in rules.DeliverableType]
DECISIONS = [d.value for d in rules.Decision]
STATUSES = [s.value for s in rules.DeliverableStatus] + ["overdue", "open"]


class FiguresSchema(Schema):
    status = fields.String()
    overdue = fields.Boolean()
    due_on = fields.Date()
    rounds = fields.Integer()
    rounds_to_acceptance = fields.Integer(allow_none=True)
    first_pass = fields.Boolean(allow_none=True, metadata={"description": "accepted first time"})
    first_version_on_time = fields.Boolean(allow_none=True)
    accepted_on_time = fields.Boolean(allow_none=True)
    accepted_on = fields.Date(allow_none=True)
    first_submitted_on = fields.Date(allow_none=True)
    last_activity = fields.Date(allow_none=True)
    review_days = fields.List(fields.Integer(), metadata={"description": "client days per round"})
    rework_days = fields.List(fields.Integer(), metadata={"description": "provider days per round"})
    final_quality = fields.Float(allow_none=True, metadata={"description": "0-100"})
    latest_quality = fields.Float(allow_none=True, metadata={"description": "0-100"})
    effort_hours = fields.Float(allow_none=True, metadata={"description": "hours"})
    rework_share = fields.Float(allow_none=True, metadata={"description": "percent of hours"})


class DeliverableSchema(Schema):
    id = fields.Integer()
    engagement_id = fields.Integer()
    title = fields.String()
    type = fields.String()
    due_on = fields.Date()
    lead_reviewer_id = fields.Integer(allow_none=True)
    lead_reviewer = fields.String(allow_none=True)
    version = fields.Integer(metadata={"description": "send it back in PATCH bodies"})
    figures = fields.Nested(FiguresSchema)


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
    criterion = fields.String(attribute="criterion_name")
    weight = fields.Integer(metadata={"description": "weight in force when scored"})
    score = fields.Integer()


class ReviewSchema(Schema):
    id = fields.Integer()
    submission_id = fields.Integer()
    reviewer_id = fields.Integer(allow_none=True)
    reviewed_on = fields.Date()
    decision = fields.String()
    feedback = fields.String()
    quality_score = fields.Float(allow_none=True, metadata={"description": "0-100"})
    scores = fields.List(fields.Nested(ScoreSchema))


def person_name(user) -> str | None:
    """A user's name as the reader may see it: a provider's user never gets a client user's
    e-mail address."""
    if user is None:
        return None
    if user.name:
        return user.name
    return user.email if user.is_provider or not current_user.is_provider else "client user"


class SubmissionSchema(Schema):
    id = fields.Integer()
    deliverable_id = fields.Integer()
    version = fields.Integer()
    submitted_by_id = fields.Integer(allow_none=True, metadata={"description": "null: not kept"})
    submitted_by = fields.Function(
        lambda s: person_name(s.submitted_by), allow_none=True, metadata={"description": "name"}
    )
    submitted_by_provider = fields.Function(
        lambda s: bool(s.submitted_by and s.submitted_by.is_provider),
        metadata={"description": "true when the provider's user submitted it"},
    )
    submitted_on = fields.Date()
    summary = fields.String()
    reference = fields.String()
    effort_hours = fields.Float(allow_none=True, metadata={"description": "hours"})
    review = fields.Nested(ReviewSchema, allow_none=True)


class DeliverableDetailSchema(DeliverableSchema):
    description = fields.String()
    rounds = fields.List(fields.Nested(SubmissionSchema))
    allowed = fields.Dict(metadata={"description": "what the rules allow next, and why not"})


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
    id = fields.Integer()
    engagement_id = fields.Integer()
    touchpoint_id = fields.Integer()
    text = fields.String()
    owner = fields.String()
    due_on = fields.Date(allow_none=True)
    done = fields.Boolean()
    done_on = fields.Date(allow_none=True)
    for_provider = fields.Boolean(metadata={"description": "assigned to the provider's company"})


class ActionItemListArgs(Schema):
    state = fields.String(load_default="open", validate=validate.OneOf(["open", "done", "all"]))


class ActionItemListSchema(Schema):
    items = fields.List(fields.Nested(ActionItemSchema))


class ReviewStatsSchema(Schema):
    engagement_id = fields.Integer()
    as_of = fields.Date()
    deliverables = fields.Integer()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    overdue = fields.Integer()
    accepted = fields.Integer()
    first_pass_rate = fields.Float(allow_none=True, metadata={"description": "percent"})
    mean_rounds_to_acceptance = fields.Float(allow_none=True)
    on_time_first_rate = fields.Float(allow_none=True, metadata={"description": "percent"})
    mean_review_days = fields.Float(allow_none=True)
    mean_rework_days = fields.Float(allow_none=True)
    mean_final_quality = fields.Float(allow_none=True, metadata={"description": "0-100"})
    rounds_distribution = fields.Dict(keys=fields.String(), values=fields.Integer())


class CriterionSchema(Schema):
    name = text(80, 1, required=True)
    weight = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=100))
    description = text(500, load_default="")


class RubricSchema(Schema):
    criteria = fields.List(
        fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1)
    )
