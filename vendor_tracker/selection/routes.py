"""Pages of the selection package: request, advisor, shortlist, criteria, scores, award."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.auth.models import User
from vendor_tracker.core.forms import select_choices
from vendor_tracker.core.hooks import Section, engagement_section, vendor_section
from vendor_tracker.core.models import StaleVersionError, check_version
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
    AwardForm,
    CandidateForm,
    CriterionForm,
    OverrideForm,
    RequestForm,
    TemplateForm,
    advisor_form_class,
    weights_form_class,
)
from vendor_tracker.selection.models import Candidate, SourcingRequest
from vendor_tracker.selection.rules import RequestStatus, is_open
from vendor_tracker.selection.sheet import parse_sheet, sheet_values
from vendor_tracker.vendors.models import ServiceLine

bp = Blueprint("selection", __name__, url_prefix="/selection")


@bp.app_template_global()
def selection_link(endpoint: str, record_id: int) -> str | None:
    """A link to another package's detail page, whatever its id argument is called."""
    for rule in (
        current_app.url_map.iter_rules(endpoint) if endpoint in current_app.view_functions else ()
    ):
        if len(rule.arguments) == 1:
            return url_for(endpoint, **{next(iter(rule.arguments)): record_id})
    return None


@bp.app_template_filter("one_decimal")
def one_decimal(value, signed: bool = False) -> str:
    """A score or point change to one decimal, rounded half up (76.25 -> 76.3); None: no data."""
    if value is None:
        return "no data"
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:+}" if signed and rounded else f"{rounded}"


@bp.errorhandler(services.ClosedRequest)
def _closed(error):
    db.session.rollback()
    flash(str(error), "error")
    rid = request.view_args.get("rid") if request.view_args else None
    return redirect(url_for("selection.detail", rid=rid) if rid else url_for("selection.index"))


def _request_form(record=None, **kwargs) -> RequestForm:
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.name, User.email)
    ).scalars()
    lines = db.session.execute(select(ServiceLine).order_by(ServiceLine.model, ServiceLine.name))
    return RequestForm(list(users), list(lines.scalars()), obj=record, **kwargs)


def _page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


@bp.route("")
def index():
    status = request.args.get("status") or None
    query = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort", "created")
    sort = sort if sort in services.SORTS else "created"
    direction = "asc" if request.args.get("dir") == "asc" else "desc"
    page = services.list_requests(status, query, sort, direction, _page_arg())
    return render_template(
        "selection/index.html",
        page=page,
        status=status,
        q=query,
        sort=sort,
        direction=direction,
        statuses=list(RequestStatus),
        counts=services.status_counts(),
    )


@bp.route("/new", methods=["GET", "POST"])
@manager_required
def create():
    form = _request_form(owner_id=current_user.id)
    del form.status
    if form.validate_on_submit():
        record = services.save_request(
            None, {**form.data_for_service(), "status": RequestStatus.DRAFT}
        )
        db.session.commit()
        flash("Sourcing request created. Next: answer the BPO/KPO advisor.", "success")
        return redirect(url_for("selection.advisor", rid=record.id))
    return render_template("selection/form.html", form=form, record=None)


@bp.route("/<int:rid>")
def detail(rid: int):
    record = services.load_request(rid)
    return render_template(
        "selection/detail.html",
        record=record,
        result=services.advisor_result(record),
        evaluation=evaluation.evaluate_request(record),
        history=history_for("sourcing_requests", rid),
        guidance=management_guidance,
        action_form=ActionForm(),
    )


@bp.route("/<int:rid>/edit", methods=["GET", "POST"])
@manager_required
def edit(rid: int):
    record = services.load_request(rid)
    form = _request_form(record)
    if request.method == "GET":
        form.version.data = record.version
        form.status.data = record.status.value
    if not is_open(record.status):
        flash(f"This request is {record.status.value}; it can no longer be changed.", "error")
        return redirect(url_for("selection.detail", rid=rid))
    if form.validate_on_submit():
        try:
            check_version(record, form.version.data)
        except StaleVersionError as stale:
            flash(str(stale), "error")
            return render_template("selection/form.html", form=form, record=record), 409
        services.save_request(record, form.data_for_service())
        db.session.commit()
        flash("Sourcing request saved.", "success")
        return redirect(url_for("selection.detail", rid=rid))
    return render_template("selection/form.html", form=form, record=record)


@bp.route("/<int:rid>/delete", methods=["POST"])
@manager_required
def delete(rid: int):
    record = services.load_request(rid)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = record.title
    if not services.delete_request(record):
        flash(
            "Only draft or cancelled requests can be deleted; cancel it first, or keep it as "
            "the record of an award.",
            "error",
        )
        return redirect(url_for("selection.detail", rid=rid))
    db.session.commit()
    flash(f"Sourcing request “{title}” deleted.", "success")
    return redirect(url_for("selection.index"))


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


def _award_form(record, **kwargs) -> AwardForm:
    form = AwardForm(**kwargs)
    form.candidate_id.choices = select_choices(
        [(None, "— pick a candidate —")] + [(c.id, c.vendor.name) for c in record.candidates]
    )
    from vendor_tracker.seed import load_json

    form.kpi_codes.choices = select_choices(
        (k["code"], k["name"]) for k in load_json("kpi_library.json")
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


@engagement_section("BPO")
@engagement_section("KPO")
def _engagement_origin(engagement):
    """On an engagement awarded here: the sourcing request and decision record behind it."""
    origin = db.session.execute(
        select(SourcingRequest).where(SourcingRequest.engagement_id == engagement.id)
    ).scalar_one_or_none()
    if origin is None:
        return None
    return Section("selection/_engagement_origin.html", {"request": origin}, order=5)


@vendor_section
def _vendor_sourcing(vendor):
    """On the vendor page: the sourcing requests that shortlisted this vendor."""
    rows = db.session.execute(
        select(SourcingRequest)
        .join(Candidate, Candidate.request_id == SourcingRequest.id)
        .where(Candidate.vendor_id == vendor.id)
        .order_by(SourcingRequest.created_at.desc())
        .limit(10)
    ).scalars()
    requests = list(rows)
    if not requests:
        return None
    return Section("selection/_vendor_sourcing.html", {"requests": requests}, order=80)
