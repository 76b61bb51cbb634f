"""Pages of the risk register: list with heat map, detail, create, edit, delete."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.forms import form_values, save_form, select_choices
from vendor_tracker.core.paging import page_number, per_page
from vendor_tracker.extensions import db
from vendor_tracker.reporting import risk_services as risks
from vendor_tracker.reporting.forms import ConfirmForm, RiskForm, optional_int
from vendor_tracker.reporting.models import Risk
from vendor_tracker.reporting.risk import (
    RiskCategory,
    RiskRating,
    RiskStatus,
    review_overdue,
)
from vendor_tracker.reporting.routes.blueprint import bp

FORM_FIELDS = (
    "vendor_id",
    "engagement_id",
    "title",
    "category",
    "description",
    "likelihood",
    "impact",
    "mitigation",
    "owner_id",
    "status",
    "next_review_on",
)


def _risk_form(risk: Risk | None) -> RiskForm:
    """The form with its choices; engagements narrowed to the chosen vendor when known."""
    if request.method == "POST":
        form = RiskForm()
    else:
        form = RiskForm(obj=risk)
        if risk is None:
            form.vendor_id.data = optional_int(request.args.get("vendor_id"))
            form.engagement_id.data = optional_int(request.args.get("engagement_id"))
        else:
            form.category.data = risk.category.value
            form.status.data = risk.status.value
            form.version.data = risk.version
    vendor_id = form.vendor_id.data if isinstance(form.vendor_id.data, int) else None
    form.vendor_id.choices = select_choices([(None, "— choose —"), *risks.vendor_choices()])
    form.engagement_id.choices = select_choices(
        [(None, "— vendor-wide —"), *risks.engagement_choices(vendor_id)]
    )
    form.owner_id.choices = select_choices([(None, "— nobody yet —"), *risks.user_choices()])
    return form


@bp.route("/risks")
def risks_index():
    today = date.today()
    filters = risks.RiskFilters.from_args(request.args)
    page = risks.list_risks(filters, today, page_number(), per_page())
    return render_template(
        "reporting/risks.html",
        page=page,
        filters=filters,
        grid=risks.open_heat_map(filters, today),
        vendors=risks.vendor_choices(),
        categories=list(RiskCategory),
        ratings=list(RiskRating),
        today=today,
        overdue=review_overdue,
    )


@bp.route("/risks/new", methods=["GET", "POST"])
@manager_required
def risk_create():
    form = _risk_form(None)
    if form.validate_on_submit():
        data = form_values(form, FORM_FIELDS)
        risk = save_form(form, lambda: risks.save_risk(None, data, date.today()))
        if risk is not None:
            flash(f"Risk “{risk.title}” added to the register.", "success")
            return redirect(url_for("reporting.risk_detail", risk_id=risk.id))
    return render_template("reporting/risk_form.html", form=form, risk=None)


@bp.route("/risks/<int:risk_id>")
def risk_detail(risk_id: int):
    risk = db.get_or_404(Risk, risk_id)
    return render_template(
        "reporting/risk_detail.html",
        risk=risk,
        today=date.today(),
        overdue=review_overdue(risk.next_review_on, risk.status, date.today()),
        history=history_for("risks", risk.id),
        confirm=ConfirmForm(),
    )


@bp.route("/risks/<int:risk_id>/edit", methods=["GET", "POST"])
@manager_required
def risk_edit(risk_id: int):
    risk = db.get_or_404(Risk, risk_id)
    form = _risk_form(risk)
    if form.validate_on_submit():
        data = form_values(form, FORM_FIELDS)
        saved = save_form(form, lambda: risks.save_risk(risk, data, date.today()), record=risk)
        if saved is not None:
            flash(f"Risk “{risk.title}” saved.", "success")
            return redirect(url_for("reporting.risk_detail", risk_id=risk.id))
    return render_template("reporting/risk_form.html", form=form, risk=risk)


@bp.route("/risks/<int:risk_id>/delete", methods=["POST"])
@manager_required
def risk_delete(risk_id: int):
    risk = db.get_or_404(Risk, risk_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        flash("The form expired; try again.", "danger")
        return redirect(url_for("reporting.risk_detail", risk_id=risk_id))
    title = risk.title
    risks.delete_risk(risk)
    db.session.commit()
    flash(f"Risk “{title}” deleted.", "success")
    return redirect(url_for("reporting.risks_index"))


STATUSES = list(RiskStatus)
