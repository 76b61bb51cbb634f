"""API endpoints of month reports (the client verifies or disputes the provider's months) and
service-credit disputes (the provider disputes a credit, a client manager resolves it).

A service's `Refusal` reaches the one handler in `core.errors`: 409 for the state of the month or
dispute, 422 for invalid input, with its fields."""

from datetime import date

from flask_login import current_user

from vendor_tracker.api.bpo.blueprint import blp
from vendor_tracker.api.bpo.report_schemas import (
    CreditDisputeInSchema,
    CreditDisputeSchema,
    DisputeListArgsSchema,
    DisputeMonthSchema,
    MonthReportSchema,
    ResolveDisputeSchema,
)
from vendor_tracker.api.common import check_id, error_docs, fail, page_of, paginate
from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    manager_required,
)
from vendor_tracker.core.api_errors import ErrorSchema
from vendor_tracker.engagements.bpo import disputes, reports, services
from vendor_tracker.engagements.bpo.reporting_rules import DisputeState
from vendor_tracker.engagements.bpo.sla import parse_period
from vendor_tracker.extensions import db

documented = error_docs(blp, not_found="No such engagement, month or dispute.")


def _engagement(engagement_id: int):
    check_id(engagement_id, "Engagement")
    return services.bpo_engagement_or_404(engagement_id)  # another vendor's: 404


def _month(period: str) -> date:
    month = parse_period(period)
    if month is None:
        fail(404, "Months are written YYYY-MM.", {"period": ["Write the month as YYYY-MM."]})
    return month


def _entry(engagement_id: int, month: date) -> dict:
    return next(e for e in reports.month_states(engagement_id) if e["period"] == month)


@blp.route("/engagements/<int:engagement_id>/reports", methods=["GET"])
@for_providers
@documented(401, 404)
@blp.response(200, MonthReportSchema(many=True))
def list_reports(engagement_id: int):
    """One entry per month with results: `submitted`, `verified` (also months the client keyed
    in) or `disputed`, who changed it last and when; newest month first."""
    return reports.month_states(_engagement(engagement_id).id)


@blp.route("/engagements/<int:engagement_id>/reports/<period>/verify", methods=["POST"])
@manager_required
@documented(401, 403, 404)
@blp.response(200, MonthReportSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The month is not awaiting verification.")
def verify_report(engagement_id: int, period: str):
    """Accept the provider's results of a submitted month (client managers and admins)."""
    engagement, month = _engagement(engagement_id), _month(period)
    reports.verify_month(engagement.id, month, current_user.id)
    db.session.commit()
    return _entry(engagement.id, month)


@blp.route("/engagements/<int:engagement_id>/reports/<period>/dispute", methods=["POST"])
@manager_required
@documented(401, 403, 404)
@blp.arguments(DisputeMonthSchema)
@blp.response(200, MonthReportSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The month is not awaiting verification.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid.")
def dispute_report(payload, engagement_id: int, period: str):
    """Send a submitted month back to the provider: the reason applies to each level listed."""
    engagement, month = _engagement(engagement_id), _month(period)
    known = {lv.id for lv in services.service_levels_of(engagement.id)}
    reasons = {level: payload["reason"] for level in payload["service_level_ids"]}
    reports.dispute_month(engagement.id, month, current_user.id, reasons, known)
    db.session.commit()
    return _entry(engagement.id, month)


@blp.route("/engagements/<int:engagement_id>/credits/<period>/disputes", methods=["POST"])
@manager_or_provider_required
@documented(401, 403, 404)
@blp.arguments(CreditDisputeInSchema)
@blp.response(201, CreditDisputeSchema)
@blp.alt_response(409, schema=ErrorSchema, description="No such credit, or already disputed.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid.")
def raise_credit_dispute(payload, engagement_id: int, period: str):
    """Dispute one credit of a month (the provider; a client manager may record one for it)."""
    engagement, month = _engagement(engagement_id), _month(period)
    dispute = disputes.raise_dispute(
        engagement,
        payload["service_level_id"],
        month,
        payload["category"],
        payload["reason"],
        current_user.id,
        date.today(),
    )
    db.session.commit()
    return disputes.dispute_in_scope(dispute.id)


@blp.route("/credit-disputes", methods=["GET"])
@for_providers
@documented(401)
@blp.arguments(DisputeListArgsSchema, location="query")
@blp.response(200, page_of(CreditDisputeSchema, "CreditDisputePage"))
def list_credit_disputes(args):
    """Credit disputes, oldest first, optionally of one state (a provider sees only theirs)."""
    state = DisputeState(args["state"]) if args.get("state") else None
    return paginate(disputes.disputes_query(state), args["page"], args["per_page"])


@blp.route("/credit-disputes/<int:dispute_id>/resolve", methods=["POST"])
@manager_required
@documented(401, 403, 404)
@blp.arguments(ResolveDisputeSchema)
@blp.response(200, CreditDisputeSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The dispute was already resolved.")
@blp.alt_response(422, schema=ErrorSchema, description="A field is not valid.")
def resolve_credit_dispute(payload, dispute_id: int):
    """Uphold (the credit stands) or waive (not payable; say why in `note`) an open dispute."""
    check_id(dispute_id, "Dispute")
    dispute = disputes.dispute_in_scope(dispute_id)
    if dispute is None:
        fail(404, "Dispute not found.")
    disputes.resolve_dispute(dispute, payload["decision"], payload["note"], current_user.id)
    db.session.commit()
    return dispute
