"""/api/v1/sourcing-requests/<id>: shortlist, criteria, score sheets, results and award."""

from dataclasses import fields as dataclass_fields
from dataclasses import is_dataclass
from datetime import UTC, date
from decimal import Decimal, InvalidOperation

from flask_login import current_user

from vendor_tracker.api.common import fail, problems_to_fields
from vendor_tracker.api.selection.blueprint import blp, open_request_write
from vendor_tracker.api.selection.out_schemas import (
    CandidateOutSchema,
    CandidatesOutSchema,
    CriteriaOutSchema,
    ResultsOutSchema,
    SheetsOutSchema,
)
from vendor_tracker.api.selection.schemas import (
    WEIGHT_MAX,
    AwardOutSchema,
    AwardSchema,
    CandidateInSchema,
    CriterionInSchema,
    SheetInSchema,
    WeightsSchema,
)
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.selection.scoring import weight_problems


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
        "standing": _jsonable(standings.get(vendor.id)),
    }


def _jsonable(value):
    if is_dataclass(value) and not isinstance(value, type):  # a summary or a standing
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclass_fields(value)}
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


@open_request_write("/candidates", "POST", 201, body=CandidateInSchema, answer=CandidateOutSchema)
def post_candidate(data, rid):
    """Add a vendor to the shortlist."""
    record = services.load_request(rid)
    problems = services.add_candidate(record, data["vendor_id"])
    if problems:
        fail(422, "The vendor cannot be shortlisted.", problems_to_fields(problems))
    db.session.commit()
    candidate = next(c for c in record.candidates if c.vendor_id == data["vendor_id"])
    return {"candidate_id": candidate.id, "vendor_id": candidate.vendor_id}


@open_request_write("/candidates/<int:cid>", "DELETE", 204)
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


@open_request_write("/criteria", "POST", 201, body=CriterionInSchema, answer=CriteriaOutSchema)
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
            fail(422, "The criterion cannot be added.", problems_to_fields(problems))
    db.session.commit()
    return _criteria_body(record)


@open_request_write("/criteria/weights", "PUT", 200, body=WeightsSchema, answer=CriteriaOutSchema)
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


@open_request_write("/criteria/<int:cid>", "DELETE", 204)
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


@open_request_write("/scores", "PUT", 200, body=SheetInSchema, answer=SheetsOutSchema)
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
        "standings": {str(k): _jsonable(v) for k, v in view["standings"].items()},
    }


@blp.route("/sourcing-requests/<int:rid>/results")
@blp.response(200, ResultsOutSchema)
def get_results(rid):
    """Ranking, totals (0..100, None while incomplete), flags, sensitivity and evidence."""
    return results_body(services.load_request(rid), date.today())


@open_request_write("/award", "POST", 201, body=AwardSchema, answer=AwardOutSchema)
def post_award(data, rid):
    """Award a candidate: creates the planned engagement of the advised kind."""
    record = services.load_request(rid)
    kind = record.model if record.model in ("BPO", "KPO") else data.get("kind")
    codes = data["kpi_codes"]
    if codes is None:
        codes = evaluation.suggested_kpi_codes(record)
    from vendor_tracker.core.reference import load_json

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
        fail(status, "The award was not made.", problems_to_fields(check.errors))
    db.session.commit()
    return {
        "engagement_id": engagement.id,
        "kind": kind,
        "warnings": list(check.warnings),
        "request": record,
    }
