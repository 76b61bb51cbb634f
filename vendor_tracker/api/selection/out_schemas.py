"""What the selection API answers, field by field: the advisor, the shortlist with each vendor's
track record and standing, criteria, score sheets and results.

Every object here is fixed: each field is required (null where it says so) and no other key
is sent, so the OpenAPI document holds the answers to their exact shape.
"""

from marshmallow import Schema, fields, validate

from vendor_tracker.api import DECIMAL_PATTERN
from vendor_tracker.reporting.scorecard import Band, Component, Trend
from vendor_tracker.selection.advisor import Advice

BANDS = [b.value for b in Band]
ADVICE = [a.value for a in Advice]


def _required(field_type, **kwargs):
    return field_type(required=True, **kwargs)


def _rate(description: str):
    return fields.Float(required=True, allow_none=True, metadata={"description": description})


def _date_text(nullable: bool = False):
    """A date already written as YYYY-MM-DD text."""
    return fields.String(required=True, allow_none=nullable, metadata={"format": "date"})


# --- advisor -------------------------------------------------------------------------------


class QuestionSchema(Schema):
    code = _required(fields.String)
    text = _required(fields.String)
    low = _required(fields.String, metadata={"description": "what answer 1 (the BPO end) means"})
    high = _required(fields.String, metadata={"description": "what answer 5 (the KPO end) means"})
    weight = _required(fields.Integer)


class PushSchema(Schema):
    question = _required(fields.String, metadata={"description": "the question's code"})
    answer = _required(fields.Integer, metadata={"description": "1-5"})
    description = _required(fields.String)


class AdviceSchema(Schema):
    score = _required(fields.Float, metadata={"description": "0-100: 0 BPO, 100 KPO"})
    advice = _required(fields.String, validate=validate.OneOf(ADVICE))
    towards_bpo = fields.List(fields.Nested(PushSchema), required=True)
    towards_kpo = fields.List(fields.Nested(PushSchema), required=True)
    guidance = _required(fields.String)


class OverrideOutSchema(Schema):
    model = _required(fields.String, validate=validate.OneOf(ADVICE))
    reason = _required(fields.String)


class AdvisorOutSchema(Schema):
    questions = fields.List(fields.Nested(QuestionSchema), required=True)
    answers = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"description": "question code -> answer 1-5; empty until answered"},
    )
    result = fields.Nested(AdviceSchema, allow_none=True, required=True)
    override = fields.Nested(OverrideOutSchema, allow_none=True, required=True)
    model = fields.String(allow_none=True, required=True)


# --- track records and standings -----------------------------------------------------------


class BpoRecordSchema(Schema):
    met = _required(fields.Integer, metadata={"description": "level-months that met target"})
    reported = _required(fields.Integer, metadata={"description": "level-months with a result"})
    expected = _required(fields.Integer, metadata={"description": "level-months due"})
    breaches = _required(fields.Integer, metadata={"description": "level-months in breach"})
    attainment = _rate("% of reported level-months that met target; null: none reported")
    credits_payable = fields.Dict(
        keys=fields.String(),
        values=fields.String(validate=validate.Regexp(DECIMAL_PATTERN)),
        required=True,
        allow_none=True,
        metadata={"description": "currency -> credits payable (decimal text); null: not worked"},
    )


class KpoRecordSchema(Schema):
    accepted = _required(fields.Integer, metadata={"description": "deliverables accepted"})
    first_pass_rate = _rate("% accepted on their first version")
    mean_rounds_to_acceptance = _rate("review rounds to acceptance, mean")
    mean_quality = _rate("mean final quality, 0-100")
    due = _required(fields.Integer, metadata={"description": "deliverables due"})
    on_time_first_rate = _rate("% of those due whose first version came by the due date")
    overdue = _required(fields.Integer, metadata={"description": "deliverables overdue today"})


class ComponentSampleSchema(Schema):
    component = _required(fields.String, validate=validate.OneOf([c.value for c in Component]))
    value = _rate("0-100")
    sample = _required(fields.Integer, metadata={"description": "samples it rests on"})
    minimum = _required(fields.Integer, metadata={"description": "samples it needs to rate"})


class TrackRecordSchema(Schema):
    bpo = fields.Nested(BpoRecordSchema, required=True, allow_none=True)
    kpo = fields.Nested(KpoRecordSchema, required=True, allow_none=True)
    has_history = _required(fields.Boolean)
    too_few = fields.List(
        fields.Nested(ComponentSampleSchema),
        required=True,
        metadata={"description": "components shown but on too few samples to rate"},
    )


class StandingSchema(Schema):
    score = _rate("0-100; null: not rated")
    band = _required(fields.String, validate=validate.OneOf(BANDS))
    previous_band = fields.String(required=True, allow_none=True, validate=validate.OneOf(BANDS))
    previous_score = _rate("0-100; null: not rated")
    trend = _required(fields.String, validate=validate.OneOf([t.value for t in Trend]))
    period = _required(fields.String, metadata={"description": "the quarter, YYYY-Qn"})


class EvidencePeriodSchema(Schema):
    first_day = _date_text()
    last_day = _date_text()


class CertificateSchema(Schema):
    name = _required(fields.String)
    expires_on = _date_text(nullable=True)


class VendorRowSchema(Schema):
    candidate_id = fields.Integer(
        required=True, allow_none=True, metadata={"description": "null: suggested, not listed"}
    )
    vendor_id = _required(fields.Integer)
    vendor = _required(fields.String)
    status = _required(fields.String)
    certifications = fields.List(fields.Nested(CertificateSchema), required=True)
    track_record = fields.Nested(TrackRecordSchema, required=True)
    standing = fields.Nested(StandingSchema, required=True)


class CandidatesOutSchema(Schema):
    candidates = fields.List(fields.Nested(VendorRowSchema), required=True)
    suggested = fields.List(fields.Nested(VendorRowSchema), required=True)
    track_record_period = fields.Nested(EvidencePeriodSchema, required=True)


class CandidateOutSchema(Schema):
    candidate_id = _required(fields.Integer)
    vendor_id = _required(fields.Integer)


# --- criteria and score sheets -------------------------------------------------------------


class CriterionOutSchema(Schema):
    id = _required(fields.Integer)
    code = _required(fields.String, allow_none=True)
    name = _required(fields.String)
    weight = _required(
        fields.String,
        validate=validate.Regexp(DECIMAL_PATTERN),
        metadata={"description": "as entered (decimal text)"},
    )
    weight_pct = _rate("share of all weights, %")


class CriteriaOutSchema(Schema):
    criteria = fields.List(fields.Nested(CriterionOutSchema), required=True)


class ScoreOutSchema(Schema):
    candidate_id = _required(fields.Integer)
    criterion_id = _required(fields.Integer)
    value = _required(fields.Integer, metadata={"description": "1-5"})
    comment = _required(fields.String)


class SheetOutSchema(Schema):
    evaluator_id = _required(fields.Integer)
    evaluator = _required(fields.String)
    submitted_at = _required(fields.String, metadata={"format": "date-time"})
    scores = fields.List(fields.Nested(ScoreOutSchema), required=True)


class SheetsOutSchema(Schema):
    sheets = fields.List(fields.Nested(SheetOutSchema), required=True)


# --- results -------------------------------------------------------------------------------


class CriterionResultSchema(Schema):
    criterion_id = _required(fields.Integer)
    median = _rate("median of the evaluators' scores, 1-5")
    spread = fields.Integer(required=True, allow_none=True, metadata={"description": "max - min"})
    flagged = _required(fields.Boolean, metadata={"description": "evaluators disagree widely"})
    scores = fields.List(fields.Integer(), required=True)
    missing = _required(fields.Integer, metadata={"description": "evaluators yet to score"})


class RankingSchema(Schema):
    candidate_id = _required(fields.Integer)
    vendor_id = _required(fields.Integer)
    vendor = _required(fields.String)
    rank = fields.Integer(required=True, allow_none=True)
    tied = _required(fields.Boolean)
    status = _required(
        fields.String, validate=validate.OneOf(["complete", "incomplete", "not_scored"])
    )
    total = _rate("0-100; null while incomplete")
    missing_scores = _required(fields.Integer)
    flags = _required(fields.Integer, metadata={"description": "criteria flagged"})
    criteria = fields.List(fields.Nested(CriterionResultSchema), required=True)


class SensitivitySchema(Schema):
    criterion_id = _required(fields.Integer)
    criterion = _required(fields.String)
    weight_pct = _required(fields.Float, metadata={"description": "%"})
    robust = _required(fields.Boolean, metadata={"description": "no weight change flips the top"})
    change_pp = _rate("percentage points that flip the top; null when robust")
    new_weight_pct = _rate("the weight at which the top flips, %; null when robust")
    rival_candidate_id = fields.Integer(required=True, allow_none=True)


class ResultsOutSchema(Schema):
    weights_pct = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={"description": "criterion id -> share of all weights, %"},
    )
    ranking = fields.List(fields.Nested(RankingSchema), required=True)
    leaders = fields.List(fields.Integer(), required=True)
    tie_at_top = fields.Boolean(required=True)
    sensitivity = fields.List(fields.Nested(SensitivitySchema), required=True)
    evidence = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(TrackRecordSchema),
        required=True,
        metadata={"description": "vendor id -> track record over `evidence_period`"},
    )
    evidence_period = fields.Nested(EvidencePeriodSchema, required=True)
    standings = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(StandingSchema),
        required=True,
        metadata={"description": "vendor id -> standing this quarter"},
    )
