"""Pages' writes for month reports and credit disputes, on the bpo blueprint.

The client verifies or disputes a provider's month; the provider disputes a credit; a client
manager resolves the dispute. Each handler loads within the signed-in user's vendor scope, calls
one service, commits once and redirects (or shows the form again with its problems).
"""

from datetime import date

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import manager_or_provider_required, manager_required
from vendor_tracker.core.forms import run_action
from vendor_tracker.core.hooks import Section, portal_home_block
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import disputes, reports, services
from vendor_tracker.engagements.bpo.entry import dispute_month_form, month_page
from vendor_tracker.engagements.bpo.forms import (
    CreditDisputeForm,
    ResolveDisputeForm,
    VerifyMonthForm,
)
from vendor_tracker.engagements.bpo.routes.blueprint import bp
from vendor_tracker.engagements.bpo.sla import parse_period
from vendor_tracker.extensions import db


def _month_or_404(period: str) -> date:
    month = parse_period(period)
    if month is None:
        abort(404, description="Months are written YYYY-MM.")
    return month


def _month_url(engagement_id: int, month: date) -> str:
    return url_for("bpo.month", engagement_id=engagement_id, period=f"{month:%Y-%m}")


@bp.route("/engagements/<int:engagement_id>/results/<period>/verify", methods=["POST"])
@manager_required
def verify_month(engagement_id: int, period: str):
    """A client manager accepts the provider's results of a month."""
    engagement = services.bpo_engagement_or_404(engagement_id)
    month = _month_or_404(period)
    if not VerifyMonthForm(prefix="verify").validate_on_submit():
        abort(400)
    if run_action(lambda: reports.verify_month(engagement.id, month, current_user.id)):
        flash(f"{month:%b %Y} verified: its results are no longer provisional.", "success")
    return redirect(_month_url(engagement_id, month))


@bp.route("/engagements/<int:engagement_id>/results/<period>/dispute", methods=["POST"])
@manager_required
def dispute_month(engagement_id: int, period: str):
    """A client manager sends a month back to the provider with a reason per service level."""
    engagement = services.bpo_engagement_or_404(engagement_id)
    month = _month_or_404(period)
    levels = services.service_levels_of(engagement_id)
    form = dispute_month_form(levels, formdata=True)
    if form.validate_on_submit():
        known = {lv.id for lv in levels}
        reasons = {}
        for row in form.rows:
            level_id = int(row.level_id.data) if str(row.level_id.data).isdecimal() else None
            if level_id in known and (row.reason.data or "").strip():
                reasons[level_id] = row.reason.data
        try:
            reports.dispute_month(engagement.id, month, current_user.id, reasons, known)
        except Refusal as refused:
            db.session.rollback()
            flash(refused.message, "error")
            if refused.conflict:
                return redirect(_month_url(engagement_id, month))
            if not reasons and form.rows.entries:
                form.rows.entries[0].reason.errors = ["Say what is wrong with at least one."]
        else:
            db.session.commit()
            flash(f"{month:%b %Y} disputed: it goes back to the provider.", "success")
            return redirect(_month_url(engagement_id, month))
    return month_page(engagement_id, period, save=False, dispute_form=form)


def _credits_url(engagement_id: int) -> str:
    return url_for("bpo.credits", engagement_id=engagement_id)


@bp.route("/engagements/<int:engagement_id>/credits/<period>/disputes", methods=["POST"])
@manager_or_provider_required
def raise_credit_dispute(engagement_id: int, period: str):
    """The provider disputes one credit of a month (a client manager may record one the provider
    sent another way)."""
    engagement = services.bpo_engagement_or_404(engagement_id)
    month = _month_or_404(period)
    form = CreditDisputeForm()
    if not form.validate_on_submit():
        problems = "; ".join(e for errors in form.errors.values() for e in errors)
        flash(f"The dispute was not recorded: {problems}", "error")
        return redirect(_credits_url(engagement_id))
    level_id = form.service_level_id.data
    raised = run_action(
        lambda: disputes.raise_dispute(
            engagement,
            int(level_id) if str(level_id).isdecimal() and len(level_id) < 10 else 0,
            month,
            form.category.data,
            form.reason.data,
            current_user.id,
            date.today(),
        )
    )
    if raised:
        flash(f"Credit of {month:%b %Y} disputed; the client will resolve it.", "success")
    return redirect(_credits_url(engagement_id))


@bp.route("/credit-disputes/<int:dispute_id>/resolve", methods=["POST"])
@manager_required
def resolve_credit_dispute(dispute_id: int):
    """A client manager upholds or waives an open credit dispute."""
    dispute = disputes.dispute_in_scope(dispute_id)
    if dispute is None:
        abort(404)
    engagement_id = dispute.engagement_id
    form = ResolveDisputeForm(prefix=f"resolve-{dispute_id}")
    if not form.validate_on_submit():
        flash("Choose upheld or waived.", "error")
        return redirect(_credits_url(engagement_id))
    decision, note = form.decision.data, form.note.data
    if run_action(lambda: disputes.resolve_dispute(dispute, decision, note, current_user.id)):
        flash(f"Dispute resolved: {dispute.state.label.lower()}.", "success")
    return redirect(_credits_url(engagement_id))


@portal_home_block
def bpo_portal_waiting(vendor_id: int, today: date) -> Section | None:
    """Months and credit disputes that wait for someone, on the provider's portal home (for a
    vendor with BPO engagements)."""
    if not reports.vendor_has_bpo(vendor_id):
        return None
    return Section(
        "bpo/_portal_waiting.html",
        {
            "reports": reports.open_reports_for_vendor(vendor_id),
            "disputes": disputes.open_disputes_for_vendor(vendor_id),
        },
        order=10,
    )
