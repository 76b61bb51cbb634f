"""Sourcing requests, advisor answers, shortlist, criteria and score sheets: loads and writes."""

from decimal import Decimal
from functools import cache

from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from vendor_tracker.core.refusals import NotFound, Refusal
from vendor_tracker.extensions import db
from vendor_tracker.selection import advisor
from vendor_tracker.selection.advisor import AdvisorResult, Question
from vendor_tracker.selection.models import (
    AdvisorAnswer,
    Candidate,
    Criterion,
    Score,
    ScoreSheet,
    SourcingRequest,
)
from vendor_tracker.selection.rules import RequestStatus, is_open
from vendor_tracker.selection.scoring import sheet_problems
from vendor_tracker.vendors.models import ServiceLine, Vendor
from vendor_tracker.vendors.rules import VendorStatus

SORTS = {
    "title": SourcingRequest.title,
    "status": SourcingRequest.status,
    "needed_by": SourcingRequest.needed_by,
    "created": SourcingRequest.created_at,
    "budget": SourcingRequest.budget,
}
REQUEST_FIELDS = (
    "title",
    "description",
    "owner_id",
    "service_line_id",
    "volume_scope",
    "budget",
    "currency",
    "needed_by",
    "status",
)


def ensure_open(request: SourcingRequest) -> None:
    """Refuse changes to awarded or cancelled requests (a conflict with the request's state)."""
    if not is_open(request.status):
        raise Refusal(
            f"This request is {request.status.value}; it can no longer be changed.",
            {"status": "The request is closed."},
            conflict=True,
        )


@cache
def advisor_config() -> dict:
    """The questionnaire, thresholds and KPI suggestions from seed_data/advisor_questions.json."""
    from vendor_tracker.core.reference import load_json

    return load_json("advisor_questions.json")


@cache
def criteria_templates() -> dict:
    """The BPO and KPO criteria templates from seed_data/criteria_templates.json."""
    from vendor_tracker.core.reference import load_json

    return load_json("criteria_templates.json")


def questions() -> list[Question]:
    """The advisor's questions as pure-rule values."""
    return [
        Question(row["code"], row["text"], row["low"], row["high"], row["weight"])
        for row in advisor_config()["questions"]
    ]


def list_requests(status: str | None, query: str | None, sort: str, direction: str, page: int):
    """A page of sourcing requests, filtered and sorted, with what the list shows loaded."""
    stmt = select(SourcingRequest).options(
        selectinload(SourcingRequest.owner),
        selectinload(SourcingRequest.service_line),
        selectinload(SourcingRequest.award_vendor),
    )
    if status in {s.value for s in RequestStatus}:
        stmt = stmt.where(SourcingRequest.status == status)
    if query:
        stmt = stmt.where(SourcingRequest.title.ilike(f"%{query.strip()}%"))
    column = SORTS.get(sort, SourcingRequest.created_at)
    ordered = column.asc() if direction == "asc" else column.desc()
    # Nulls last either way, then id so pages never overlap.
    stmt = stmt.order_by(column.is_(None), ordered, SourcingRequest.id.desc())
    return db.paginate(stmt, page=page, per_page=20, error_out=False)


def status_counts() -> dict[str, int]:
    """How many requests hold each status."""
    rows = db.session.execute(
        select(SourcingRequest.status, func.count()).group_by(SourcingRequest.status)
    ).all()
    return {getattr(s, "value", s): n for s, n in rows}


def load_request(request_id: int) -> SourcingRequest:
    """One request with its answers, shortlist, criteria and sheets (NotFound when missing)."""
    stmt = (
        select(SourcingRequest)
        .where(SourcingRequest.id == request_id)
        .options(
            selectinload(SourcingRequest.owner),
            selectinload(SourcingRequest.service_line),
            selectinload(SourcingRequest.answers),
            selectinload(SourcingRequest.candidates)
            .selectinload(Candidate.vendor)
            .selectinload(Vendor.certifications),
            selectinload(SourcingRequest.criteria),
            selectinload(SourcingRequest.sheets).selectinload(ScoreSheet.evaluator),
            selectinload(SourcingRequest.sheets).selectinload(ScoreSheet.scores),
            selectinload(SourcingRequest.engagement),
            selectinload(SourcingRequest.award_vendor),
            selectinload(SourcingRequest.awarded_by),
        )
    )
    found = db.session.execute(stmt).scalar_one_or_none()
    if found is None:
        raise NotFound("Sourcing request not found.")
    return found


def save_request(request: SourcingRequest | None, data: dict) -> SourcingRequest:
    """Create a request or update one from validated field values."""
    if request is None:
        request = SourcingRequest(status=RequestStatus.DRAFT)
        db.session.add(request)
    elif data.get("status") != RequestStatus.CANCELLED.value:
        ensure_open(request)
    for key in REQUEST_FIELDS:
        if key in data:
            setattr(request, key, data[key])
    db.session.flush()
    return request


def delete_request(request: SourcingRequest) -> bool:
    """Delete a draft or cancelled request; awarded and evaluating ones keep their record."""
    if request.status not in (RequestStatus.DRAFT, RequestStatus.CANCELLED):
        return False
    # Scores first: the database would otherwise cascade them away behind the session's back.
    request.sheets.clear()
    db.session.flush()
    db.session.delete(request)
    db.session.flush()
    return True


def service_line_model(service_line_id: int | None) -> str | None:
    """The model (BPO/KPO) of a service line, or None."""
    if not service_line_id:
        return None
    line = db.session.get(ServiceLine, service_line_id)
    return line.model.value if line else None


def stored_answers(request: SourcingRequest) -> dict[str, int]:
    """The request's advisor answers by question code."""
    return {a.question_code: a.value for a in request.answers}


def advisor_result(request: SourcingRequest) -> AdvisorResult | None:
    """The advisor's verdict on the stored answers, or None while any is missing."""
    answers = stored_answers(request)
    if advisor.answer_problems(questions(), answers):
        return None
    return advisor.advise(questions(), answers)


def save_answers(request: SourcingRequest, answers: dict[str, int]) -> AdvisorResult:
    """Store a full set of answers and the verdict; raises IncompleteAnswers when not full."""
    ensure_open(request)
    result = advisor.advise(questions(), answers)
    existing = {a.question_code: a for a in request.answers}
    for code, value in answers.items():
        if code in existing:
            existing[code].value = value
        else:
            request.answers.append(AdvisorAnswer(question_code=code, value=value))
    request.advisor_score = Decimal(str(round(result.score, 2)))
    request.advisor_result = result.advice
    db.session.flush()
    return result


def set_override(request: SourcingRequest, model: str | None, reason: str) -> None:
    """Override the advisor's verdict (kept alongside it), or clear the override with None."""
    ensure_open(request)
    request.override_model = advisor.Advice(model) if model else None
    request.override_reason = reason.strip() if model else ""
    db.session.flush()


def suggested_vendors(request: SourcingRequest) -> list[Vendor]:
    """Vendors offering the request's service line, not offboarded and not yet shortlisted."""
    if not request.service_line_id:
        return []
    taken = {c.vendor_id for c in request.candidates}
    stmt = (
        select(Vendor)
        .where(Vendor.service_lines.any(ServiceLine.id == request.service_line_id))
        .where(Vendor.status != VendorStatus.OFFBOARDED)
        .options(selectinload(Vendor.certifications))
        .order_by(Vendor.name)
    )
    return [v for v in db.session.execute(stmt).scalars() if v.id not in taken]


def addable_vendors(request: SourcingRequest) -> list[Vendor]:
    """Every vendor that is not offboarded and not yet shortlisted (for adding by hand)."""
    taken = {c.vendor_id for c in request.candidates}
    stmt = select(Vendor).where(Vendor.status != VendorStatus.OFFBOARDED).order_by(Vendor.name)
    return [v for v in db.session.execute(stmt).scalars() if v.id not in taken]


def add_candidate(request: SourcingRequest, vendor_id: int) -> dict[str, str]:
    """Shortlist a vendor; returns field errors (empty when added)."""
    ensure_open(request)
    vendor = db.session.get(Vendor, vendor_id)
    if vendor is None:
        return {"vendor_id": "There is no such vendor."}
    if vendor.status == VendorStatus.OFFBOARDED:
        return {"vendor_id": "This vendor is offboarded and cannot be shortlisted."}
    if any(c.vendor_id == vendor_id for c in request.candidates):
        return {"vendor_id": f"{vendor.name} is already on the shortlist."}
    request.candidates.append(Candidate(vendor=vendor))
    db.session.flush()
    return {}


def remove_candidate(request: SourcingRequest, candidate_id: int) -> bool:
    """Take a vendor off the shortlist, with its scores; False when it is not on it."""
    ensure_open(request)
    candidate = next((c for c in request.candidates if c.id == candidate_id), None)
    if candidate is None:
        return False
    db.session.execute(delete(Score).where(Score.candidate_id == candidate_id))
    request.candidates.remove(candidate)
    db.session.flush()
    db.session.expire(request, ["sheets"])
    return True


def apply_template(request: SourcingRequest, model: str) -> int:
    """Add the template criteria of `model` that the request does not have yet."""
    ensure_open(request)
    names = {c.name.lower() for c in request.criteria}
    position = max((c.position for c in request.criteria), default=0)
    added = 0
    for row in criteria_templates()[model]:
        if row["name"].lower() in names:
            continue
        position += 1
        request.criteria.append(
            Criterion(
                code=row["code"], name=row["name"], weight=Decimal(row["weight"]), position=position
            )
        )
        added += 1
    db.session.flush()
    return added


def save_weights(request: SourcingRequest, weights: dict[int, Decimal]) -> None:
    """Set every criterion's weight (validated positive by the caller)."""
    ensure_open(request)
    for criterion in request.criteria:
        if criterion.id in weights:
            criterion.weight = weights[criterion.id]
    db.session.flush()


def add_criterion(request: SourcingRequest, name: str, weight: Decimal) -> dict[str, str]:
    """Add a criterion of one's own; returns field errors."""
    ensure_open(request)
    name = name.strip()
    if any(c.name.lower() == name.lower() for c in request.criteria):
        return {"name": "A criterion with this name already exists."}
    position = max((c.position for c in request.criteria), default=0) + 1
    request.criteria.append(Criterion(code="", name=name, weight=weight, position=position))
    db.session.flush()
    return {}


def remove_criterion(request: SourcingRequest, criterion_id: int) -> bool:
    """Drop a criterion and its scores; False when it is not the request's."""
    ensure_open(request)
    criterion = next((c for c in request.criteria if c.id == criterion_id), None)
    if criterion is None:
        return False
    db.session.execute(delete(Score).where(Score.criterion_id == criterion_id))
    request.criteria.remove(criterion)
    db.session.flush()
    db.session.expire(request, ["sheets"])
    return True


def sheet_of(request: SourcingRequest, user_id: int) -> ScoreSheet | None:
    """The evaluator's submitted sheet, if any."""
    return next((s for s in request.sheets if s.evaluator_id == user_id), None)


def submit_sheet(
    request: SourcingRequest, user_id: int, cells: dict[tuple[int, int], tuple[object, object]]
) -> dict[tuple[int, int], str]:
    """Replace the evaluator's whole sheet, or change nothing and return per-cell problems."""
    ensure_open(request)
    candidate_ids = [c.id for c in request.candidates]
    criterion_ids = [c.id for c in request.criteria]
    problems = sheet_problems(candidate_ids, criterion_ids, cells)
    if not candidate_ids or not criterion_ids:
        problems[(0, 0)] = "Shortlist candidates and set criteria before scoring."
    if problems:
        return problems
    sheet = sheet_of(request, user_id)
    if sheet is None:
        sheet = ScoreSheet(evaluator_id=user_id)
        request.sheets.append(sheet)
    else:
        sheet.scores.clear()
        db.session.flush()
    from vendor_tracker.core.models import utcnow

    sheet.submitted_at = utcnow()
    for (candidate_id, criterion_id), (value, comment) in cells.items():
        sheet.scores.append(
            Score(
                candidate_id=candidate_id,
                criterion_id=criterion_id,
                value=value,
                comment=(comment or "").strip(),
            )
        )
    if request.status == RequestStatus.DRAFT:
        request.status = RequestStatus.EVALUATING
    db.session.flush()
    return {}
