"""/api/v1/sourcing-requests: requests and the advisor; the evaluation is in `evaluation`."""

from vendor_tracker.api.common import fail, page_of, require_version
from vendor_tracker.api.selection.blueprint import blp, open_request_write
from vendor_tracker.api.selection.out_schemas import AdvisorOutSchema
from vendor_tracker.api.selection.schemas import (
    AnswersSchema,
    OverrideSchema,
    RequestListArgs,
    RequestSchema,
    RequestUpdateSchema,
    SourcingRequestSchema,
)
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.selection import services
from vendor_tracker.selection.advisor import IncompleteAnswers, management_guidance
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.selection.rules import RequestStatus
from vendor_tracker.vendors.models import ServiceLine


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
@blp.response(200, page_of(SourcingRequestSchema, "SourcingRequestPage"))
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
@blp.response(201, SourcingRequestSchema)
def create_request(data):
    """Create a draft sourcing request."""
    problems = _references_problems(data)
    if problems:
        fail(422, "Some fields are not valid.", problems)
    record = services.save_request(None, {**data, "status": RequestStatus.DRAFT})
    db.session.commit()
    return record


@blp.route("/sourcing-requests/<int:rid>")
@blp.response(200, SourcingRequestSchema)
def get_request(rid):
    """One sourcing request."""
    return services.load_request(rid)


@open_request_write("", "PATCH", 200, body=RequestUpdateSchema, answer=SourcingRequestSchema)
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


@open_request_write("/advisor", "PUT", 200, body=AnswersSchema, answer=AdvisorOutSchema)
def put_advisor(data, rid):
    """Answer every question (1 = BPO end .. 5 = KPO end) at once."""
    record = services.load_request(rid)
    try:
        services.save_answers(record, data["answers"])
    except IncompleteAnswers as incomplete:
        fail(422, "Answer every question from 1 to 5.", {"answers": incomplete.problems})
    db.session.commit()
    return _advisor_body(record)


@open_request_write("/advisor/override", "PUT", 200, body=OverrideSchema, answer=AdvisorOutSchema)
def put_override(data, rid):
    """Override the advisor with a reason; the advisor's own result is kept."""
    record = services.load_request(rid)
    if not data["reason"].strip():
        fail(422, "Say why.", {"reason": ["Give a reason."]})
    services.set_override(record, data["model"], data["reason"])
    db.session.commit()
    return _advisor_body(record)


@open_request_write("/advisor/override", "DELETE", 200, answer=AdvisorOutSchema)
def delete_override(rid):
    """Remove the override; the advisor's result applies again."""
    record = services.load_request(rid)
    services.set_override(record, None, "")
    db.session.commit()
    return _advisor_body(record)
