"""Selection pages of the evaluation: advisor, shortlist, criteria, score sheets, results."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.forms import select_choices
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.advisor import (
    BPO_BELOW,
    KPO_ABOVE,
    IncompleteAnswers,
    management_guidance,
)
from vendor_tracker.selection.forms import (
    ActionForm,
    CandidateForm,
    CriterionForm,
    OverrideForm,
    TemplateForm,
    advisor_form_class,
    weights_form_class,
)
from vendor_tracker.selection.routes.blueprint import bp
from vendor_tracker.selection.sheet import parse_sheet, sheet_values


def _advisor_page(record, form, override_form=None, status=200):
    return render_template(
        "selection/advisor.html",
        record=record,
        form=form,
        questions=services.questions(),
        result=services.advisor_result(record),
        override_form=override_form or OverrideForm(formdata=None, model=record.override_model),
        action_form=ActionForm(),
        guidance=management_guidance,
        bpo_below=BPO_BELOW,
        kpo_above=KPO_ABOVE,
    ), status


def _answers_form(record):
    form_class = advisor_form_class(services.questions())
    answers = {f"q_{k}": str(v) for k, v in services.stored_answers(record).items()}
    return form_class(formdata=None, data=answers)


@bp.route("/<int:rid>/advisor")
def advisor(rid: int):
    record = services.load_request(rid)
    return _advisor_page(record, _answers_form(record))


@bp.route("/<int:rid>/advisor", methods=["POST"])
@manager_required
def advisor_save(rid: int):
    record = services.load_request(rid)
    questions = services.questions()
    form = advisor_form_class(questions)()
    if not form.validate_on_submit():
        return _advisor_page(record, form, status=422)
    answers = {q.code: int(form[f"q_{q.code}"].data) for q in questions}
    try:
        result = services.save_answers(record, answers)
    except IncompleteAnswers as incomplete:  # pragma: no cover - the form checks first
        for code, message in incomplete.problems.items():
            form[f"q_{code}"].errors = [message]
        return _advisor_page(record, form, status=422)
    db.session.commit()
    flash(f"Advisor result: {result.advice.label} (score {result.score:.1f} of 100).", "success")
    return redirect(url_for("selection.advisor", rid=rid))


@bp.route("/<int:rid>/advisor/override", methods=["POST"])
@manager_required
def override(rid: int):
    record = services.load_request(rid)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _advisor_page(record, _answers_form(record), form, status=422)
    services.set_override(record, form.model.data, form.reason.data)
    db.session.commit()
    flash("Override saved; the advisor's own result is kept next to it.", "success")
    return redirect(url_for("selection.advisor", rid=rid))


@bp.route("/<int:rid>/advisor/override/clear", methods=["POST"])
@manager_required
def clear_override(rid: int):
    record = services.load_request(rid)
    if ActionForm().validate_on_submit():
        services.set_override(record, None, "")
        db.session.commit()
        flash("Override removed; the advisor's result applies.", "success")
    return redirect(url_for("selection.advisor", rid=rid))


def _shortlist_page(record, form, status=200):
    today = date.today()
    suggested = services.suggested_vendors(record)
    vendor_ids = [c.vendor_id for c in record.candidates] + [v.id for v in suggested]
    return render_template(
        "selection/candidates.html",
        record=record,
        form=form,
        suggested=suggested,
        records=evaluation.track_records(vendor_ids, today),
        standings=evaluation.standings(vendor_ids, today),
        period=evaluation.evidence_period(today),
        action_form=ActionForm(),
        today=today,
    ), status


def _candidate_form(record) -> CandidateForm:
    form = CandidateForm()
    form.vendor_id.choices = select_choices(
        [(None, "— pick a vendor —")]
        + [(v.id, f"{v.name} ({v.status.label})") for v in services.addable_vendors(record)]
    )
    return form


@bp.route("/<int:rid>/candidates")
def candidates(rid: int):
    record = services.load_request(rid)
    return _shortlist_page(record, _candidate_form(record))


@bp.route("/<int:rid>/candidates", methods=["POST"])
@manager_required
def add_candidate(rid: int):
    record = services.load_request(rid)
    form = _candidate_form(record)
    # Any vendor id is checked by the service, so suggested vendors need not be in the choices.
    form.vendor_id.choices.extend(
        select_choices((v, "") for v in [_int(request.form.get("vendor_id"))] if v)
    )
    if form.validate_on_submit():
        errors = services.add_candidate(record, form.vendor_id.data)
        if not errors:
            db.session.commit()
            flash("Candidate added to the shortlist.", "success")
            return redirect(url_for("selection.candidates", rid=rid))
        form.vendor_id.errors = list(errors.values())
    return _shortlist_page(record, form, 422)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.route("/<int:rid>/candidates/<int:cid>/remove", methods=["POST"])
@manager_required
def remove_candidate(rid: int, cid: int):
    record = services.load_request(rid)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not services.remove_candidate(record, cid):
        abort(404, description="That candidate is not on this shortlist.")
    db.session.commit()
    flash("Candidate removed from the shortlist, with any scores given to it.", "success")
    return redirect(url_for("selection.candidates", rid=rid))


def _criteria_page(record, weights_form=None, criterion_form=None, status=200):
    weights_form = weights_form or weights_form_class(record.criteria)(formdata=None)
    return render_template(
        "selection/criteria.html",
        record=record,
        weights_form=weights_form,
        criterion_form=criterion_form or CriterionForm(formdata=None),
        template_form=TemplateForm(model=record.model if record.model in ("BPO", "KPO") else "BPO"),
        action_form=ActionForm(),
        evaluation=evaluation.evaluate_request(record),
    ), status


@bp.route("/<int:rid>/criteria")
def criteria(rid: int):
    return _criteria_page(services.load_request(rid))


@bp.route("/<int:rid>/criteria", methods=["POST"])
@manager_required
def save_weights(rid: int):
    record = services.load_request(rid)
    form = weights_form_class(record.criteria)()
    if not form.validate_on_submit():
        return _criteria_page(record, weights_form=form, status=422)
    services.save_weights(record, {c.id: form[f"w_{c.id}"].data for c in record.criteria})
    db.session.commit()
    flash("Weights saved.", "success")
    return redirect(url_for("selection.criteria", rid=rid))


@bp.route("/<int:rid>/criteria/template", methods=["POST"])
@manager_required
def apply_template(rid: int):
    record = services.load_request(rid)
    form = TemplateForm()
    if not form.validate_on_submit():
        abort(400)
    added = services.apply_template(record, form.model.data)
    db.session.commit()
    flash(f"{added} {form.model.data} criteria added.", "success")
    return redirect(url_for("selection.criteria", rid=rid))


@bp.route("/<int:rid>/criteria/add", methods=["POST"])
@manager_required
def add_criterion(rid: int):
    record = services.load_request(rid)
    form = CriterionForm()
    if form.validate_on_submit():
        errors = services.add_criterion(record, form.name.data, form.weight.data)
        if not errors:
            db.session.commit()
            flash("Criterion added.", "success")
            return redirect(url_for("selection.criteria", rid=rid))
        form.name.errors = list(errors.values())
    return _criteria_page(record, criterion_form=form, status=422)


@bp.route("/<int:rid>/criteria/<int:cid>/remove", methods=["POST"])
@manager_required
def remove_criterion(rid: int, cid: int):
    record = services.load_request(rid)
    if not ActionForm().validate_on_submit():
        abort(400)
    if not services.remove_criterion(record, cid):
        abort(404, description="That criterion is not part of this request.")
    db.session.commit()
    flash("Criterion removed, with any scores given on it.", "success")
    return redirect(url_for("selection.criteria", rid=rid))


def _sheet_page(record, values, problems, status=200):
    today = date.today()
    vendor_ids = [c.vendor_id for c in record.candidates]
    return render_template(
        "selection/sheet.html",
        record=record,
        values=values,
        problems=problems,
        sheet=services.sheet_of(record, current_user.id),
        form=ActionForm(),
        records=evaluation.track_records(vendor_ids, today),
        period=evaluation.evidence_period(today),
    ), status


@bp.route("/<int:rid>/scores", methods=["GET", "POST"])
@manager_required
def scores(rid: int):
    record = services.load_request(rid)
    if request.method == "GET":
        return _sheet_page(record, sheet_values(services.sheet_of(record, current_user.id)), {})
    if not ActionForm().validate_on_submit():
        abort(400)
    cells, values = parse_sheet(request.form, record)
    problems = services.submit_sheet(record, current_user.id, cells)
    if problems:
        db.session.rollback()
        flash("Nothing was saved: correct the cells marked below and submit the sheet.", "error")
        return _sheet_page(services.load_request(rid), values, problems, 422)
    db.session.commit()
    flash("Your score sheet is submitted.", "success")
    return redirect(url_for("selection.results", rid=rid))


@bp.route("/<int:rid>/results")
def results(rid: int):
    record = services.load_request(rid)
    return render_template(
        "selection/results.html", record=record, **evaluation.results_view(record, date.today())
    )
