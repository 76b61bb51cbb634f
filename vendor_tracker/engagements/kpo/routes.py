"""Pages of the kpo package: deliverables, rounds, rubric, collaboration log, page sections."""

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.routing import BuildError

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.hooks import Section, engagement_section, vendor_section
from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.core.paging import page_number
from vendor_tracker.engagements.kpo import charts, export, services
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.forms import (
    ConfirmForm,
    DeliverableForm,
    NewActionItemForm,
    RubricForm,
    SubmissionForm,
    TouchpointForm,
    review_form_for,
    score_fields,
)
from vendor_tracker.engagements.kpo.listing import Filters, filter_sort_page
from vendor_tracker.engagements.kpo.models import ActionItem, Touchpoint
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

bp = Blueprint("kpo", __name__, url_prefix="/kpo")


def engagement_url(engagement_id: int) -> str:
    """The engagement page (owned by the engagements package)."""
    try:
        return url_for("engagements.detail", engagement_id=engagement_id)
    except BuildError:
        return f"/engagements/{engagement_id}"


@bp.app_context_processor
def _helpers():
    return {"kpo_engagement_url": engagement_url, "kpo_rules": rules}


def _kpo_engagement_or_404(engagement_id: int) -> Engagement:
    engagement = db.session.get(Engagement, engagement_id)
    if not services.is_kpo(engagement):
        abort(404, description="No KPO engagement with that id.")
    return engagement


def _deliverable_or_404(deliverable_id: int):
    deliverable = services.load_deliverable(deliverable_id)
    if deliverable is None:
        abort(404, description="No deliverable with that id.")
    return deliverable


# --- sections on host pages ----------------------------------------------------------------


@engagement_section("KPO")
def kpo_engagement_section(engagement) -> Section:
    """Deliverables first: figures, the filtered table, charts and open action items."""
    today = date.today()
    rows = services.engagement_rows(engagement.id, today)
    stats = rules.review_stats([row.figures for row in rows])
    filters = Filters.from_args(request.args)
    context = {
        "stats": stats,
        "filters": filters,
        "rows": filter_sort_page(rows, filters),
        # Charts are separate SVG requests; the page only says which ones have data.
        "charts": {
            "rounds": bool(stats.rounds_distribution),
            "quality": any(row.figures.latest_quality is not None for row in rows),
            "days": any(row.figures.review_days for row in rows),
        },
        "open_items": services.open_action_items(engagement.id, limit=10),
        "today": today,
    }
    return Section(template="kpo/_engagement_section.html", context=context, order=10)


@bp.route("/engagements/<int:engagement_id>/charts/<any(rounds, quality, days):chart>.svg")
def chart_svg(engagement_id: int, chart: str):
    """One analytics chart of an engagement as SVG (no data: a chart saying so)."""
    engagement = _kpo_engagement_or_404(engagement_id)
    today = date.today()
    rounds = services.engagement_rounds(engagement.id)
    rows = services.engagement_rows(engagement.id, today, rounds)
    if chart == "rounds":
        svg = charts.rounds_distribution_chart(rules.review_stats([r.figures for r in rows]))
    elif chart == "quality":
        svg = charts.quality_over_time_chart([r for group in rounds.values() for r in group])
    else:
        recent = sorted(rows, key=lambda r: r.figures.last_activity or date.min)[-12:]
        svg = charts.review_vs_rework_chart(
            [(r.title, sum(r.figures.review_days), sum(r.figures.rework_days)) for r in recent]
        )
    response = Response(svg or charts.no_data_chart(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@vendor_section
def kpo_vendor_section(vendor) -> Section | None:
    """Review-cycle figures over all of a vendor's KPO engagements."""
    today = date.today()
    stats = services.vendor_review_stats(vendor.id, today)
    if stats is None:
        return None
    context = {"stats": stats, "as_of": today}
    return Section(template="kpo/_vendor_section.html", context=context, order=40)


# --- deliverables --------------------------------------------------------------------------


@bp.route("/engagements/<int:engagement_id>/deliverables/new", methods=["GET", "POST"])
@manager_required
def new_deliverable(engagement_id: int):
    engagement = _kpo_engagement_or_404(engagement_id)
    form = DeliverableForm()
    if form.validate_on_submit():
        try:
            deliverable = services.create_deliverable(engagement, form.values())
        except services.FieldProblems as bad:
            _attach(form, bad.problems)
        else:
            db.session.commit()
            flash(f"Deliverable '{deliverable.title}' added.", "success")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=deliverable.id))
    return render_template("kpo/deliverable_form.html", form=form, engagement=engagement)


@bp.route("/deliverables/<int:kpo_deliverable_id>")
def deliverable(kpo_deliverable_id: int):
    item = _deliverable_or_404(kpo_deliverable_id)
    return _render_deliverable(item)


def _render_deliverable(item, submission_form=None, review_form=None, status=200):
    today = date.today()
    rounds = services.rounds_for_deliverable(item)
    figures = rules.deliverable_figures(rounds, item.due_on, today)
    version_refusal = rules.new_version_refusal(rounds)
    latest = item.submissions[-1] if item.submissions else None
    reviewable = latest is not None and latest.review is None
    criteria = services.rubric_for(item.engagement_id)
    if review_form is None and reviewable:
        review_form = review_form_for(criteria, formdata=None, reviewed_on=today)
    if submission_form is None and version_refusal is None:
        submission_form = SubmissionForm(formdata=None, submitted_on=today)
    return (
        render_template(
            "kpo/deliverable.html",
            deliverable=item,
            engagement=item.engagement,
            figures=figures,
            version_refusal=version_refusal,
            next_version=rules.next_version(rounds),
            latest=latest,
            submission_form=submission_form if version_refusal is None else None,
            review_form=review_form if reviewable else None,
            score_fields=score_fields(review_form) if reviewable and review_form else [],
            confirm=ConfirmForm(),
            history=history_for("kpo_deliverables", item.id),
        ),
        status,
    )


@bp.route("/deliverables/<int:kpo_deliverable_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_deliverable(kpo_deliverable_id: int):
    item = _deliverable_or_404(kpo_deliverable_id)
    form = DeliverableForm(obj=item)
    if form.validate_on_submit():
        try:
            check_version(item, form.version.data)
            services.update_deliverable(item, form.values())
        except StaleVersionError as stale:
            flash(str(stale), "warning")
        except services.FieldProblems as bad:
            _attach(form, bad.problems)
        else:
            db.session.commit()
            flash("Deliverable saved.", "success")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    elif request.method == "GET":
        form.version.data = item.version
    return render_template(
        "kpo/deliverable_form.html", form=form, engagement=item.engagement, deliverable=item
    )


@bp.route("/deliverables/<int:kpo_deliverable_id>/delete", methods=["POST"])
@manager_required
def delete_deliverable(kpo_deliverable_id: int):
    item = _deliverable_or_404(kpo_deliverable_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    engagement_id, title = item.engagement_id, item.title
    services.delete_deliverable(item)
    db.session.commit()
    flash(f"Deliverable '{title}' and its rounds were deleted.", "success")
    return redirect(engagement_url(engagement_id))


@bp.route("/deliverables/<int:kpo_deliverable_id>/submissions", methods=["POST"])
@manager_required
def submit_version(kpo_deliverable_id: int):
    item = _deliverable_or_404(kpo_deliverable_id)
    form = SubmissionForm()
    if form.validate_on_submit():
        try:
            submission = services.submit_version(
                item,
                form.submitted_on.data,
                form.summary.data,
                form.reference.data,
                form.effort_hours.data,
                date.today(),
            )
        except services.RuleRefusal as refusal:
            flash(str(refusal), "warning")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
        except services.FieldProblems as bad:
            _attach(form, bad.problems)
        else:
            db.session.commit()
            flash(f"Version {submission.version} recorded; it is now in review.", "success")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    if rules.new_version_refusal(services.rounds_for_deliverable(item)):
        flash(rules.new_version_refusal(services.rounds_for_deliverable(item)), "warning")
        return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    return _render_deliverable(item, submission_form=form)


@bp.route("/submissions/<int:kpo_submission_id>/review", methods=["POST"])
@manager_required
def record_review(kpo_submission_id: int):
    submission = services.load_submission(kpo_submission_id)
    if submission is None:
        abort(404, description="No submission with that id.")
    item = _deliverable_or_404(submission.deliverable_id)
    if submission.review is not None:
        flash(rules.review_refusal(True, submission.version), "warning")
        return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    criteria = services.rubric_for(item.engagement_id)
    form = review_form_for(criteria)
    if form.validate_on_submit():
        scores = {c.name: form[f"score_{i}"].data for i, c in enumerate(criteria)}
        try:
            review = services.record_review(
                submission,
                current_user,
                form.reviewed_on.data,
                form.decision.data,
                form.feedback.data,
                scores,
                date.today(),
            )
        except services.RuleRefusal as refusal:
            flash(str(refusal), "warning")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
        except services.FieldProblems as bad:
            _attach(form, bad.problems, criteria)
        else:
            db.session.commit()
            flash(
                f"Review of version {submission.version} recorded: {review.decision.label}.",
                "success",
            )
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    return _render_deliverable(item, review_form=form)


def _attach(form, problems: dict[str, str], criteria=()) -> None:
    """Put service-level problems next to their fields (unknown ones on the form)."""
    names = {f"score:{c.name}": f"score_{i}" for i, c in enumerate(criteria)}
    for key, message in problems.items():
        field = getattr(form, names.get(key, key), None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


@bp.route("/engagements/<int:engagement_id>/deliverables.csv")
def deliverables_csv(engagement_id: int):
    """The deliverables table with every per-deliverable figure, for spreadsheets."""
    engagement = _kpo_engagement_or_404(engagement_id)
    today = date.today()
    body = export.deliverables_csv(services.engagement_rows(engagement.id, today))
    filename = f"deliverables-engagement-{engagement.id}-{today.isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- rubric --------------------------------------------------------------------------------


@bp.route("/engagements/<int:engagement_id>/rubric")
def rubric(engagement_id: int):
    engagement = _kpo_engagement_or_404(engagement_id)
    criteria = services.rubric_for(engagement.id)
    form = None
    if current_user.can("manager"):
        rows = [
            {"name": c.name, "weight": c.weight, "description": c.description} for c in criteria
        ]
        form = RubricForm(formdata=None, data={"criteria": rows + [{}, {}]})
    return render_template("kpo/rubric.html", engagement=engagement, criteria=criteria, form=form)


@bp.route("/engagements/<int:engagement_id>/rubric", methods=["POST"])
@manager_required
def save_rubric(engagement_id: int):
    engagement = _kpo_engagement_or_404(engagement_id)
    form = RubricForm()
    problems: dict[str, str] = {}
    if not form.validate_on_submit():
        # Show the rubric's own problems (a duplicate name) alongside the field errors.
        problems = rules.rubric_problems(form.rows())
    else:
        try:
            services.replace_rubric(engagement, form.rows())
        except services.FieldProblems as bad:
            problems = bad.problems
        else:
            db.session.commit()
            flash("Rubric saved. Reviews already recorded keep the weights they were scored with.")
            return redirect(url_for("kpo.rubric", engagement_id=engagement.id))
    _attach_rubric(form, problems)
    criteria = services.rubric_for(engagement.id)
    return render_template("kpo/rubric.html", engagement=engagement, criteria=criteria, form=form)


def _attach_rubric(form: RubricForm, problems: dict[str, str]) -> None:
    # The rule numbers filled-in rows; map them back to the form's rows (blank ones are skipped).
    filled = [
        e for e in form.criteria.entries if e.form.name.data or e.form.weight.data is not None
    ]
    for key, message in problems.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
            field = filled[int(parts[1])].form[parts[2]]
            if not field.errors:  # a field error from the form already says what is wrong
                field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


# --- collaboration log ---------------------------------------------------------------------


@bp.route("/engagements/<int:engagement_id>/collaboration")
def collaboration(engagement_id: int):
    engagement = _kpo_engagement_or_404(engagement_id)
    page = services.touchpoints_page(engagement.id, min(page_number(), 100_000))
    return render_template(
        "kpo/collaboration.html",
        engagement=engagement,
        page=page,
        open_items=services.open_action_items(engagement.id, limit=100),
        item_form=NewActionItemForm(formdata=None),
        confirm=ConfirmForm(),
        today=date.today(),
    )


@bp.route("/engagements/<int:engagement_id>/touchpoints/new", methods=["GET", "POST"])
@manager_required
def new_touchpoint(engagement_id: int):
    engagement = _kpo_engagement_or_404(engagement_id)
    form = TouchpointForm()
    if request.method == "GET":
        form.held_on.data = date.today()
    if form.validate_on_submit():
        services.add_touchpoint(engagement, form.values(), form.item_values())
        db.session.commit()
        flash("Touchpoint logged.", "success")
        return redirect(url_for("kpo.collaboration", engagement_id=engagement.id))
    return render_template("kpo/touchpoint_form.html", form=form, engagement=engagement)


@bp.route("/touchpoints/<int:kpo_touchpoint_id>/action-items", methods=["POST"])
@manager_required
def add_action_item(kpo_touchpoint_id: int):
    touchpoint = db.get_or_404(Touchpoint, kpo_touchpoint_id)
    form = NewActionItemForm()
    if form.validate_on_submit():
        services.add_action_item(
            touchpoint,
            {"text": form.text.data, "owner": form.owner.data or "", "due_on": form.due_on.data},
        )
        db.session.commit()
        flash("Action item added.", "success")
    else:
        problems = "; ".join(f"{form[k].label.text}: {' '.join(v)}" for k, v in form.errors.items())
        flash(f"Action item not added. {problems}", "warning")
    return redirect(url_for("kpo.collaboration", engagement_id=touchpoint.engagement_id))


@bp.route("/action-items/<int:kpo_action_item_id>/done", methods=["POST"])
@manager_required
def toggle_action_item(kpo_action_item_id: int):
    item = db.get_or_404(ActionItem, kpo_action_item_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    done = request.form.get("done", "1") != "0"
    services.set_action_item_done(item, done, date.today())
    db.session.commit()
    flash("Action item marked done." if done else "Action item reopened.", "success")
    target = request.form.get("next", "")
    # Only same-site paths: never redirect to a URL taken from the form as is.
    same_site = target.startswith("/") and not target.startswith("//")
    if not same_site or "\\" in target or not target.isprintable():
        target = url_for("kpo.collaboration", engagement_id=item.engagement_id)
    return redirect(target)


@bp.route("/touchpoints/<int:kpo_touchpoint_id>/delete", methods=["POST"])
@manager_required
def delete_touchpoint(kpo_touchpoint_id: int):
    touchpoint = db.get_or_404(Touchpoint, kpo_touchpoint_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    engagement_id = touchpoint.engagement_id
    db.session.delete(touchpoint)
    db.session.commit()
    flash("Touchpoint deleted with its action items.", "success")
    return redirect(url_for("kpo.collaboration", engagement_id=engagement_id))
