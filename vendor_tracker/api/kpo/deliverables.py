"""KPO API: deliverables, versions, reviews, review statistics and the rubric (schemas in
`kpo_schemas`).

Rule refusals (a version after acceptance, a second review) answer 409; field problems 422.
A provider's users submit versions of their own vendor's deliverables; only the client reviews.
The collaboration log's action items are in `api.kpo.actions`.
"""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from vendor_tracker.api.common import error_docs, fail, page_of, require_version
from vendor_tracker.api.kpo.blueprint import blp
from vendor_tracker.api.kpo.schemas import (
    DeliverableCreateSchema,
    DeliverableDetailSchema,
    DeliverableListArgs,
    DeliverableSchema,
    DeliverableUpdateSchema,
    ReviewCreateSchema,
    ReviewSchema,
    ReviewStatsSchema,
    RubricOutSchema,
    RubricSchema,
    SubmissionCreateSchema,
    SubmissionSchema,
)
from vendor_tracker.api.reference import default_rubric
from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    manager_required,
)
from vendor_tracker.auth.scope import in_scope
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services, writes
from vendor_tracker.engagements.kpo.listing import Filters, filter_sort_page
from vendor_tracker.engagements.kpo.models import Deliverable
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

documented = error_docs(blp, not_found="No such KPO engagement (a BPO engagement has none).")

# --- helpers -------------------------------------------------------------------------------


def kpo_engagement(engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    # Another vendor's engagement is not found for a provider's token, as a missing one.
    if not services.is_kpo(engagement) or not in_scope(engagement.vendor_id):
        fail(404, "KPO engagement not found.")
    return engagement


def _row_dict(row: services.DeliverableRow, engagement_id: int) -> dict:
    return {
        "id": row.id,
        "engagement_id": engagement_id,
        "title": row.title,
        "type": row.type.value,
        "due_on": row.due_on,
        "lead_reviewer_id": row.lead_reviewer_id,
        "lead_reviewer": row.lead_reviewer,
        "version": row.version,
        "figures": asdict(row.figures),
    }


def _detail(deliverable: Deliverable) -> dict:
    rounds = services.rounds_for_deliverable(deliverable)
    figures = rules.deliverable_figures(rounds, deliverable.due_on, date.today())
    latest = deliverable.submissions[-1] if deliverable.submissions else None
    version_refusal = rules.new_version_refusal(rounds)
    review_refusal = (
        "Nothing has been submitted yet."
        if latest is None
        else rules.review_refusal(latest.review is not None, latest.version)
    )
    if review_refusal is None and current_user.is_provider:
        review_refusal = "Only the client reviews a version."
    reviewer = deliverable.lead_reviewer
    return {
        "id": deliverable.id,
        "engagement_id": deliverable.engagement_id,
        "title": deliverable.title,
        "description": deliverable.description,
        "type": deliverable.type.value,
        "due_on": deliverable.due_on,
        "lead_reviewer_id": deliverable.lead_reviewer_id,
        "lead_reviewer": reviewer.display_name if reviewer else None,
        "version": deliverable.version,
        "figures": asdict(figures),
        "rounds": deliverable.submissions,
        "allowed": {
            "submit_version": version_refusal is None,
            "submit_version_refused_because": version_refusal,
            "record_review": review_refusal is None,
            "record_review_refused_because": review_refusal,
            "review_submission_id": latest.id
            if latest is not None and not review_refusal
            else None,
        },
    }


def _hours(value: float | None) -> Decimal | None:
    """Hours as stored: a Decimal to 0.1 h."""
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


def _write(action, race: str = "Someone else changed this at the same time; reload and retry."):
    """Run one KPO write and commit; a lost race on a unique key (two clients at once) answers
    409 with `race`. A rule's refusal propagates to the API's one handler (409 or 422)."""
    try:
        result = action()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        fail(409, race)
    return result


# --- deliverables --------------------------------------------------------------------------


@blp.route("/engagements/<int:engagement_id>/deliverables", methods=["GET"])
@for_providers
@blp.arguments(DeliverableListArgs, location="query")
@blp.response(200, page_of(DeliverableSchema, "DeliverablePage"))
def list_deliverables(args, engagement_id: int):
    """Deliverables of a KPO engagement with their figures, by due date."""
    engagement = kpo_engagement(engagement_id)
    rows = services.engagement_rows(engagement.id, date.today())
    filters = Filters(status=args.get("status"), type=args.get("type"), page=args["page"])
    page = filter_sort_page(rows, filters, per_page=args["per_page"])
    return {
        "items": [_row_dict(row, engagement.id) for row in page.items],
        "page": page.page,
        "per_page": args["per_page"],
        "total": page.total,
        "pages": page.pages,
    }


@blp.route("/engagements/<int:engagement_id>/deliverables", methods=["POST"])
@manager_required
@blp.arguments(DeliverableCreateSchema)
@blp.response(201, DeliverableDetailSchema)
def create_deliverable(payload, engagement_id: int):
    """Plan a deliverable (the engagement gets the default rubric if it has none)."""
    engagement = kpo_engagement(engagement_id)
    payload["type"] = rules.DeliverableType(payload["type"])
    deliverable = _write(lambda: writes.create_deliverable(engagement, payload))
    return _detail(services.load_deliverable(deliverable.id))


def _deliverable_of(engagement_id: int, deliverable_id: int) -> Deliverable:
    kpo_engagement(engagement_id)
    deliverable = services.load_deliverable(deliverable_id)
    if deliverable is None or deliverable.engagement_id != engagement_id:
        fail(404, "Deliverable not found on this engagement.")
    return deliverable


@blp.route("/engagements/<int:engagement_id>/deliverables/<int:deliverable_id>", methods=["PATCH"])
@manager_required
@blp.arguments(DeliverableUpdateSchema)
@blp.response(200, DeliverableDetailSchema)
def update_deliverable(payload, engagement_id: int, deliverable_id: int):
    """Change a deliverable's plan; send the `version` you read (409 when stale)."""
    deliverable = _deliverable_of(engagement_id, deliverable_id)
    require_version(deliverable, payload)
    if "type" in payload:
        payload["type"] = rules.DeliverableType(payload["type"])
    _write(lambda: writes.update_deliverable(deliverable, payload))
    return _detail(services.load_deliverable(deliverable.id))


@blp.route("/engagements/<int:engagement_id>/deliverables/<int:deliverable_id>", methods=["DELETE"])
@manager_required
@blp.response(204)
def delete_deliverable(engagement_id: int, deliverable_id: int):
    """Delete a deliverable with its versions and reviews."""
    deliverable = _deliverable_of(engagement_id, deliverable_id)
    writes.delete_deliverable(deliverable)
    db.session.commit()


@blp.route("/deliverables/<int:deliverable_id>", methods=["GET"])
@for_providers
@blp.response(200, DeliverableDetailSchema)
def get_deliverable(deliverable_id: int):
    """A deliverable with its rounds (versions and reviews) and the per-deliverable figures."""
    deliverable = services.load_deliverable(deliverable_id)
    if deliverable is None or not in_scope(deliverable.engagement.vendor_id):
        fail(404, "Deliverable not found.")
    return _detail(deliverable)


# --- rounds --------------------------------------------------------------------------------


@blp.route("/deliverables/<int:deliverable_id>/submissions", methods=["POST"])
@manager_or_provider_required
@blp.arguments(SubmissionCreateSchema)
@blp.response(201, SubmissionSchema)
def create_submission(payload, deliverable_id: int):
    """Submit the next version (numbered by the server); 409 unless changes were requested.

    Open to the provider's users for their own vendor's deliverables (another vendor's answers
    404) and to client managers; the submission records who submitted it.
    """
    deliverable = services.load_deliverable(deliverable_id)
    if deliverable is None or not in_scope(deliverable.engagement.vendor_id):
        fail(404, "Deliverable not found.")
    # Two clients submitting at once: the unique (deliverable, version) pair keeps one.
    return _write(
        lambda: writes.submit_version(
            deliverable,
            payload["submitted_on"],
            payload["summary"],
            payload["reference"],
            _hours(payload["effort_hours"]),
            date.today(),
            submitted_by=current_user,
        ),
        race="Another version was submitted at the same time; reload and try again.",
    )


@blp.route("/submissions/<int:submission_id>/review", methods=["POST"])
@manager_required
@blp.arguments(ReviewCreateSchema)
@blp.response(201, ReviewSchema)
def create_review(payload, submission_id: int):
    """Record the review that closes a round; 409 when the submission already has one."""
    submission = services.load_submission(submission_id)
    if submission is None:
        fail(404, "Submission not found.")
    return _write(
        lambda: writes.record_review(
            submission,
            current_user,
            payload["reviewed_on"],
            payload["decision"],
            payload["feedback"],
            payload["scores"],
            date.today(),
        ),
        race="This submission was reviewed at the same time by someone else.",
    )


# --- statistics and rubric -----------------------------------------------------------------


@blp.route("/engagements/<int:engagement_id>/review-stats", methods=["GET"])
@for_providers
@documented(404)
@blp.response(200, ReviewStatsSchema)
def review_stats(engagement_id: int):
    """Engagement aggregates: status counts, first-pass rate, rounds, punctuality, days, quality.

    Rates are percentages and quality is 0-100; a figure with nothing to feed it is null.
    """
    engagement = kpo_engagement(engagement_id)
    today = date.today()
    stats = services.engagement_review_stats(engagement.id, today)
    body = asdict(stats)
    body["rounds_distribution"] = {str(k): v for k, v in stats.rounds_distribution.items()}
    return {"engagement_id": engagement.id, "as_of": today, **body}


@blp.route("/engagements/<int:engagement_id>/rubric", methods=["GET"])
@for_providers
@blp.response(200, RubricOutSchema)
def get_rubric(engagement_id: int):
    """The review criteria in force and their weights: the engagement's own, or the default
    rubric that its first deliverable or review gives it."""
    engagement = kpo_engagement(engagement_id)
    return {"criteria": rubric_in_force(engagement.id)}


def rubric_in_force(engagement_id: int) -> list:
    """What a review of the engagement is scored on, read only: its criteria, or the default
    rubric `services.ensure_rubric` would give it (a GET writes nothing)."""
    return services.rubric_for(engagement_id) or default_rubric()


@blp.route("/engagements/<int:engagement_id>/rubric", methods=["PUT"])
@manager_required
@blp.arguments(RubricSchema)
@blp.response(200, RubricOutSchema)
def put_rubric(payload, engagement_id: int):
    """Replace the criteria; reviews already recorded keep the weights they were scored with."""
    engagement = kpo_engagement(engagement_id)
    criteria = _write(lambda: services.replace_rubric(engagement, payload["criteria"]))
    return {"criteria": criteria}


# The collaboration log's action items register on `blp` when imported.
