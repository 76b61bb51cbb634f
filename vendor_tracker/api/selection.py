"""/api/v1/sourcing-requests: requests, advisor, candidates, criteria, scores, results, award."""

from datetime import UTC, date
from decimal import Decimal, InvalidOperation
from functools import wraps

from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate, validates

from vendor_tracker.api.common import Blueprint, PageArgsSchema, fail, page_of, require_version
from vendor_tracker.api.vendors import Number, UtcDateTime, no_nul, text
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.auth.models import User
from vendor_tracker.engagements.rules import PricingModel
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.advisor import Advice, IncompleteAnswers, management_guidance
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.selection.rules import EDITABLE_STATUSES, REASON_MIN, RequestStatus
from vendor_tracker.selection.scoring import weight_problems
from vendor_tracker.vendors.models import ServiceLine

blp = Blueprint("api_selection", "Sourcing requests: advisor, shortlist, scoring and award")

STATUS_VALUES = [s.value for s in RequestStatus]
ID_RANGE = validate.Range(min=1, max=2_147_483_647)
WEIGHT_MAX = 999_999
BUDGET_MAX = Decimal("999999999999.99")


class RequestSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = text(200, 1, required=True)
    description = text(5000, load_default="")
    owner_id = fields.Integer(allow_none=True, load_default=None, validate=ID_RANGE)
    service_line_id = fields.Integer(allow_none=True, load_default=None, validate=ID_RANGE)
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
    owner_id = fields.Integer(allow_none=True, validate=ID_RANGE)
    service_line_id = fields.Integer(allow_none=True, validate=ID_RANGE)
    volume_scope = text(255)
    budget = Number(places=2, allow_none=True)
    currency = fields.String(validate=validate.Regexp(r"^[A-Za-z]{3}$"))
    needed_by = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf([s.value for s in EDITABLE_STATUSES]))
    version = fields.Integer(required=True)


class RequestListArgs(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUS_VALUES))
    q = fields.String(validate=validate.Length(max=100))
    sort = fields.String(load_default="created", validate=validate.OneOf(list(services.SORTS)))
    dir = fields.String(load_default="desc", validate=validate.OneOf(["asc", "desc"]))


class AnswersSchema(Schema):
    answers = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class OverrideSchema(Schema):
    model = fields.String(required=True, validate=validate.OneOf([a.value for a in Advice]))
    reason = text(2000, REASON_MIN, required=True)


class CandidateInSchema(Schema):
    vendor_id = fields.Integer(required=True, validate=ID_RANGE)


class CriterionInSchema(Schema):
    name = text(120, 1)
    weight = Number(places=2)
    template = fields.String(validate=validate.OneOf(["BPO", "KPO"]))

    @validates("weight")
    def _weight_in_range(self, value, **_kwargs):
        if not Decimal("0.01") <= value <= WEIGHT_MAX:
            raise ValidationError(f"Use a number greater than zero and up to {WEIGHT_MAX:,}.")


class WeightsSchema(Schema):
    weights = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class ScoreInSchema(Schema):
    candidate_id = fields.Integer(required=True, validate=ID_RANGE)
    criterion_id = fields.Integer(required=True, validate=ID_RANGE)
    value = fields.Raw(required=True)
    comment = fields.String(load_default="", validate=no_nul)


class SheetInSchema(Schema):
    scores = fields.List(fields.Nested(ScoreInSchema), required=True)


class AwardSchema(Schema):
    candidate_id = fields.Integer(required=True, validate=ID_RANGE)
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


def _open_only(view):
    """Answer 409 when the request is awarded or cancelled."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except services.ClosedRequest as closed:
            db.session.rollback()
            fail(409, str(closed), {"status": ["The request is closed."]})

    return wrapped


def _references_problems(data: dict) -> dict:
    problems = {}
    if data.get("owner_id") is not None and db.session.get(User, data["owner_id"]) is None:
        problems["owner_id"] = ["There is no such user."]
    if data.get("service_line_id") is not None and not db.session.get(
        ServiceLine, data["service_line_id"]
    ):
        problems["service_line_id"] = ["There is no such service line."]
    if "currency" in data:
        data["currency"] = data["currency"].upper()
    return problems


@blp.route("/sourcing-requests")
@blp.arguments(RequestListArgs, location="query")
@blp.response(200, page_of(RequestSchema, "SourcingRequestPage"))
def list_requests(args):
    """Sourcing requests, newest first; filter by status or title."""
    page = services.list_requests(
        args.get("status"), args.get("q"), args["sort"], args["dir"], args["page"]
    )
    return {
        "items": page.items,
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total or 0,
        "pages": page.pages,
    }


@blp.route("/sourcing-requests", methods=["POST"])
@manager_required
@blp.arguments(RequestSchema)
@blp.response(201, RequestSchema)
def create_request(data):
    """Create a draft sourcing request."""
    problems = _references_problems(data)
    if problems:
        fail(422, "Some fields are not valid.", problems)
    record = services.save_request(None, {**data, "status": RequestStatus.DRAFT})
    db.session.commit()
    return record


@blp.route("/sourcing-requests/<int:rid>")
@blp.response(200, RequestSchema)
def get_request(rid):
    """One sourcing request."""
    return services.load_request(rid)


@blp.route("/sourcing-requests/<int:rid>", methods=["PATCH"])
@manager_required
@blp.arguments(RequestUpdateSchema)
@blp.response(200, RequestSchema)
@_open_only
def update_request(data, rid):
    """Change fields of a request; send its current `version`."""
    record = services.load_request(rid)
    require_version(record, data)
    problems = _references_problems(data)
    if problems:
        fail(422, "Some fields are not valid.", problems)
    services.save_request(record, data)
    db.session.commit()
    return record


def _advisor_body(record: SourcingRequest) -> dict:
    result = services.advisor_result(record)

    def pushes(items):
        return [
            {"question": p.code, "answer": p.answer, "description": p.description} for p in items
        ]

    return {
        "questions": [
            {"code": q.code, "text": q.text, "low": q.low, "high": q.high, "weight": q.weight}
            for q in services.questions()
        ],
        "answers": services.stored_answers(record),
        "result": None
        if result is None
        else {
            "score": round(result.score, 2),
            "advice": result.advice.value,
            "towards_bpo": pushes(result.towards_bpo),
            "towards_kpo": pushes(result.towards_kpo),
            "guidance": management_guidance(result.advice),
        },
        "override": {"model": record.override_model.value, "reason": record.override_reason}
        if record.override_model
        else None,
        "model": record.model,
    }


@blp.route("/sourcing-requests/<int:rid>/advisor")
@blp.response(200, AdvisorOutSchema)
def get_advisor(rid):
    """The questions, the stored answers, the advisor's result and any override."""
    return _advisor_body(services.load_request(rid))


@blp.route("/sourcing-requests/<int:rid>/advisor", methods=["PUT"])
@manager_required
@blp.arguments(AnswersSchema)
@blp.response(200, AdvisorOutSchema)
@_open_only
def put_advisor(data, rid):
    """Answer every question (1 = BPO end .. 5 = KPO end) at once."""
    record = services.load_request(rid)
    try:
        services.save_answers(record, data["answers"])
    except IncompleteAnswers as incomplete:
        fail(422, "Answer every question from 1 to 5.", {"answers": incomplete.problems})
    db.session.commit()
    return _advisor_body(record)


@blp.route("/sourcing-requests/<int:rid>/advisor/override", methods=["PUT"])
@manager_required
@blp.arguments(OverrideSchema)
@blp.response(200, AdvisorOutSchema)
@_open_only
def put_override(data, rid):
    """Override the advisor with a reason; the advisor's own result is kept."""
    record = services.load_request(rid)
    if not data["reason"].strip():
        fail(422, "Say why.", {"reason": ["Give a reason."]})
    services.set_override(record, data["model"], data["reason"])
    db.session.commit()
    return _advisor_body(record)


@blp.route("/sourcing-requests/<int:rid>/advisor/override", methods=["DELETE"])
@manager_required
@blp.response(200, AdvisorOutSchema)
@_open_only
def delete_override(rid):
    """Remove the override; the advisor's result applies again."""
    record = services.load_request(rid)
    services.set_override(record, None, "")
    db.session.commit()
    return _advisor_body(record)


def _vendor_row(vendor, records, standings, candidate_id=None):
    return {
        "candidate_id": candidate_id,
        "vendor_id": vendor.id,
        "vendor": vendor.name,
        "status": vendor.status.value,
        "certifications": [
            {"name": c.name, "expires_on": c.expires_on.isoformat() if c.expires_on else None}
            for c in vendor.certifications
        ],
        "track_record": _jsonable(records.get(vendor.id)),
        "standing": standings.get(vendor.id),
    }


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "as_tuple"):  # Decimal money stays exact as a string
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@blp.route("/sourcing-requests/<int:rid>/candidates")
@blp.response(200, CandidatesOutSchema)
def get_candidates(rid):
    """The shortlist and the suggested vendors, with status, certificates and history."""
    record = services.load_request(rid)
    suggested = services.suggested_vendors(record)
    ids = [c.vendor_id for c in record.candidates] + [v.id for v in suggested]
    today = date.today()
    records, standings = evaluation.track_records(ids, today), evaluation.standings(ids, today)
    first, last = evaluation.evidence_period(today)
    return {
        "candidates": [_vendor_row(c.vendor, records, standings, c.id) for c in record.candidates],
        "suggested": [_vendor_row(v, records, standings) for v in suggested],
        "track_record_period": {"first_day": first.isoformat(), "last_day": last.isoformat()},
    }


@blp.route("/sourcing-requests/<int:rid>/candidates", methods=["POST"])
@manager_required
@blp.arguments(CandidateInSchema)
@blp.response(201, CandidateOutSchema)
@_open_only
def post_candidate(data, rid):
    """Add a vendor to the shortlist."""
    record = services.load_request(rid)
    problems = services.add_candidate(record, data["vendor_id"])
    if problems:
        fail(422, "The vendor cannot be shortlisted.", {k: [v] for k, v in problems.items()})
    db.session.commit()
    candidate = next(c for c in record.candidates if c.vendor_id == data["vendor_id"])
    return {"candidate_id": candidate.id, "vendor_id": candidate.vendor_id}


@blp.route("/sourcing-requests/<int:rid>/candidates/<int:cid>", methods=["DELETE"])
@manager_required
@blp.response(204)
@_open_only
def delete_candidate(rid, cid):
    """Take a candidate off the shortlist (its scores go with it)."""
    record = services.load_request(rid)
    if not services.remove_candidate(record, cid):
        fail(404, "That candidate is not on this shortlist.")
    db.session.commit()
    return None


def _criteria_body(record):
    weights = evaluation.evaluate_request(record).weights_pct
    return {
        "criteria": [
            {
                "id": c.id,
                "code": c.code,
                "name": c.name,
                "weight": str(c.weight),
                "weight_pct": weights.get(c.id),
            }
            for c in record.criteria
        ]
    }


@blp.route("/sourcing-requests/<int:rid>/criteria")
@blp.response(200, CriteriaOutSchema)
def get_criteria(rid):
    """Criteria with their weights as entered and normalized to %."""
    return _criteria_body(services.load_request(rid))


@blp.route("/sourcing-requests/<int:rid>/criteria", methods=["POST"])
@manager_required
@blp.arguments(CriterionInSchema)
@blp.response(201, CriteriaOutSchema)
@_open_only
def post_criterion(data, rid):
    """Add one criterion ({name, weight}) or a whole template ({template: BPO|KPO})."""
    record = services.load_request(rid)
    if "template" in data:
        services.apply_template(record, data["template"])
    else:
        missing = {
            k: ["Missing data for required field."] for k in ("name", "weight") if k not in data
        }
        if missing:
            fail(422, "Give a name and a weight, or a template.", missing)
        problems = services.add_criterion(record, data["name"], data["weight"])
        if problems:
            fail(422, "The criterion cannot be added.", {k: [v] for k, v in problems.items()})
    db.session.commit()
    return _criteria_body(record)


@blp.route("/sourcing-requests/<int:rid>/criteria/weights", methods=["PUT"])
@manager_required
@blp.arguments(WeightsSchema)
@blp.response(200, CriteriaOutSchema)
@_open_only
def put_weights(data, rid):
    """Set weights by criterion id: any positive numbers."""
    record = services.load_request(rid)
    ids = {str(c.id): c.id for c in record.criteria}
    problems = {k: ["No such criterion on this request."] for k in data["weights"] if k not in ids}
    parsed = {}
    for key, raw in data["weights"].items():
        try:
            parsed[key] = Decimal(str(raw)) if not isinstance(raw, bool) else None
        except InvalidOperation:
            parsed[key] = None
    for key, reason in weight_problems(parsed).items():
        problems.setdefault(key, [reason])
    for key, value in parsed.items():
        if key not in problems and value > WEIGHT_MAX:
            problems[key] = [f"Use a number up to {WEIGHT_MAX:,}."]
    if problems:
        fail(422, "Some weights are not valid.", {"weights": problems})
    services.save_weights(record, {ids[k]: v.quantize(Decimal("0.01")) for k, v in parsed.items()})
    db.session.commit()
    return _criteria_body(record)


@blp.route("/sourcing-requests/<int:rid>/criteria/<int:cid>", methods=["DELETE"])
@manager_required
@blp.response(204)
@_open_only
def delete_criterion(rid, cid):
    """Drop a criterion (its scores go with it)."""
    record = services.load_request(rid)
    if not services.remove_criterion(record, cid):
        fail(404, "That criterion is not part of this request.")
    db.session.commit()
    return None


@blp.route("/sourcing-requests/<int:rid>/scores")
@blp.response(200, SheetsOutSchema)
def get_scores(rid):
    """Every submitted score sheet."""
    return _sheets_body(services.load_request(rid))


def _sheets_body(record: SourcingRequest) -> dict:
    return {
        "sheets": [
            {
                "evaluator_id": s.evaluator_id,
                "evaluator": s.evaluator.display_name,
                "submitted_at": (
                    s.submitted_at if s.submitted_at.tzinfo else s.submitted_at.replace(tzinfo=UTC)
                ).isoformat(),
                "scores": [
                    {
                        "candidate_id": x.candidate_id,
                        "criterion_id": x.criterion_id,
                        "value": x.value,
                        "comment": x.comment,
                    }
                    for x in s.scores
                ],
            }
            for s in record.sheets
        ]
    }


@blp.route("/sourcing-requests/<int:rid>/scores", methods=["PUT"])
@manager_required
@blp.arguments(SheetInSchema)
@blp.response(200, SheetsOutSchema)
@_open_only
def put_scores(data, rid):
    """Submit your whole sheet (every candidate x criterion, 1..5); all or nothing."""
    record = services.load_request(rid)
    cells = {}
    duplicates = {}
    for row in data["scores"]:
        key = (row["candidate_id"], row["criterion_id"])
        if key in cells:
            duplicates[f"{key[0]}:{key[1]}"] = ["Scored twice in this sheet."]
        cells[key] = (row["value"], row["comment"])
    problems = services.submit_sheet(record, current_user.id, cells)
    if problems or duplicates:
        db.session.rollback()
        named = {f"{a}:{c}": [reason] for (a, c), reason in problems.items()}
        fail(
            422,
            "Nothing was saved: every candidate:criterion cell needs a score from 1 to 5.",
            {"scores": {**named, **duplicates}},
        )
    db.session.commit()
    return _sheets_body(services.load_request(rid))


def results_body(record: SourcingRequest, today: date) -> dict:
    """The results as JSON: ranking, totals, flags, sensitivity and evidence."""
    view = evaluation.results_view(record, today)
    ev, candidates, criteria = view["evaluation"], view["candidates"], view["criteria"]
    first, last = view["evidence_period"]
    return {
        "weights_pct": {str(k): v for k, v in ev.weights_pct.items()},
        "ranking": [
            {
                "candidate_id": r.candidate_id,
                "vendor_id": candidates[r.candidate_id].vendor_id,
                "vendor": candidates[r.candidate_id].vendor.name,
                "rank": r.rank,
                "tied": r.tied,
                "status": r.status,
                "total": r.total,
                "missing_scores": r.missing,
                "flags": r.flags,
                "criteria": [
                    {
                        "criterion_id": k,
                        "median": s.median_value,
                        "spread": s.spread,
                        "flagged": s.flagged,
                        "scores": list(s.scores),
                        "missing": s.missing,
                    }
                    for k, s in r.by_criterion.items()
                ],
            }
            for r in ev.results
        ],
        "leaders": list(ev.leaders),
        "tie_at_top": ev.tie_at_top,
        "sensitivity": [
            {
                "criterion_id": s.criterion_id,
                "criterion": criteria[s.criterion_id].name,
                "weight_pct": s.weight_pct,
                "robust": s.robust,
                "change_pp": s.change_pp,
                "new_weight_pct": s.new_weight_pct,
                "rival_candidate_id": s.rival_id,
            }
            for s in ev.sensitivity
        ],
        "evidence": {str(k): _jsonable(v) for k, v in view["evidence"].items()},
        "evidence_period": {"first_day": first.isoformat(), "last_day": last.isoformat()},
        "standings": {str(k): v for k, v in view["standings"].items()},
    }


@blp.route("/sourcing-requests/<int:rid>/results")
@blp.response(200, ResultsOutSchema)
def get_results(rid):
    """Ranking, totals (0..100, None while incomplete), flags, sensitivity and evidence."""
    return results_body(services.load_request(rid), date.today())


@blp.route("/sourcing-requests/<int:rid>/award", methods=["POST"])
@manager_required
@blp.arguments(AwardSchema)
@blp.response(201, AwardOutSchema)
@_open_only
def post_award(data, rid):
    """Award a candidate: creates the planned engagement of the advised kind."""
    record = services.load_request(rid)
    kind = record.model if record.model in ("BPO", "KPO") else data.get("kind")
    codes = data["kpi_codes"]
    if codes is None:
        codes = evaluation.suggested_kpi_codes(record)
    from vendor_tracker.seed import load_json

    known = {k["code"] for k in load_json("kpi_library.json")}
    unknown = [c for c in codes if c not in known]
    if unknown:
        fail(
            422, "Unknown KPI codes.", {"kpi_codes": [f"Not in the library: {', '.join(unknown)}"]}
        )
    engagement, check = evaluation.award(
        record,
        candidate_id=data["candidate_id"],
        reason=data["reason"],
        kind=kind,
        pricing_model=data["pricing_model"],
        start_date=data["start_date"],
        kpi_codes=codes,
        user=current_user,
        today=date.today(),
    )
    if engagement is None:
        db.session.rollback()
        status = 409 if "_request" in check.errors and len(check.errors) == 1 else 422
        fail(status, "The award was not made.", {k: [v] for k, v in check.errors.items()})
    db.session.commit()
    return {
        "engagement_id": engagement.id,
        "kind": kind,
        "warnings": list(check.warnings),
        "request": record,
    }
