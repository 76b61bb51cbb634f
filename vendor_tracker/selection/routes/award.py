"""Selection pages of the decision: the award and the decision record."""

from datetime import date

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.forms import select_choices
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.advisor import (
    management_guidance,
)
from vendor_tracker.selection.forms import (
    AwardForm,
)
from vendor_tracker.selection.routes.blueprint import bp
from vendor_tracker.selection.rules import is_open


def _award_form(record, **kwargs) -> AwardForm:
    form = AwardForm(**kwargs)
    form.candidate_id.choices = select_choices(
        [(None, "— pick a candidate —")] + [(c.id, c.vendor.name) for c in record.candidates]
    )
    form.kpi_codes.choices = select_choices(
        (k["code"], k["name"]) for k in evaluation.award_kpis(record)
    )
    return form


def _award_page(record, form, check=None, status=200):
    view = evaluation.results_view(record, date.today())
    return render_template(
        "selection/award.html", record=record, form=form, check=check, **view
    ), status


@bp.route("/<int:rid>/award")
@manager_required
def award(rid: int):
    record = services.load_request(rid)
    if not is_open(record.status):
        return redirect(url_for("selection.record", rid=rid))
    leaders = evaluation.evaluate_request(record).leaders
    kind = record.model if record.model in ("BPO", "KPO") else None
    form = _award_form(
        record,
        candidate_id=leaders[0] if len(leaders) == 1 else None,
        kind=kind or "BPO",
        pricing_model="per_fte" if kind != "KPO" else "fixed_fee",
        start_date=record.needed_by or date.today(),
        kpi_codes=evaluation.suggested_kpi_codes(record),
    )
    return _award_page(record, form)


@bp.route("/<int:rid>/award", methods=["POST"])
@manager_required
def award_save(rid: int):
    record = services.load_request(rid)
    form = _award_form(record)
    if record.model in ("BPO", "KPO"):
        form.kind.validate_choice = False  # the kind comes from the advice, not from the form
    if not form.validate_on_submit():
        return _award_page(record, form, status=422)
    kind = record.model if record.model in ("BPO", "KPO") else form.kind.data
    engagement, check = evaluation.award(
        record,
        candidate_id=form.candidate_id.data,
        reason=form.reason.data or "",
        kind=kind,
        pricing_model=form.pricing_model.data,
        start_date=form.start_date.data,
        kpi_codes=form.kpi_codes.data or [],
        user=current_user,
        today=date.today(),
    )
    if engagement is None:
        db.session.rollback()
        for name, message in check.errors.items():
            if name in form:
                form[name].errors = [*form[name].errors, message]
        return _award_page(services.load_request(rid), form, check, 422)
    db.session.commit()
    for warning in check.warnings:
        flash(warning, "warning")
    flash(
        f"Awarded to {engagement.vendor.name}: a planned {kind} engagement was created.", "success"
    )
    return redirect(url_for("selection.record", rid=rid))


@bp.route("/<int:rid>/record")
def record(rid: int):
    record = services.load_request(rid)
    return render_template(
        "selection/record.html",
        record=record,
        result=services.advisor_result(record),
        questions=services.questions(),
        answers=services.stored_answers(record),
        guidance=management_guidance,
        **evaluation.results_view(record, date.today()),
    )
