"""Deliverables: the plan, versions submitted, reviews recorded, and the CSV download."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    manager_required,
)
from vendor_tracker.auth.scope import in_scope
from vendor_tracker.core.exports import csv_response
from vendor_tracker.core.forms import save_form
from vendor_tracker.engagements.kpo import export, services, writes
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.forms import (
    ConfirmForm,
    DeliverableForm,
    SubmissionForm,
    review_form_for,
    score_fields,
)
from vendor_tracker.engagements.kpo.routes.blueprint import (
    bp,
    engagement_url,
    kpo_engagement_or_404,
)
from vendor_tracker.extensions import db


def _deliverable_or_404(deliverable_id: int):
    deliverable = services.load_deliverable(deliverable_id)
    if deliverable is None:
        abort(404, description="No deliverable with that id.")
    return deliverable


def _deliverable_in_scope_or_404(deliverable_id: int):
    """For writes open to providers: another vendor's deliverable answers as missing."""
    deliverable = _deliverable_or_404(deliverable_id)
    if not in_scope(deliverable.engagement.vendor_id):
        abort(404, description="No deliverable with that id.")
    return deliverable


@bp.route("/engagements/<int:engagement_id>/deliverables/new", methods=["GET", "POST"])
@manager_required
def new_deliverable(engagement_id: int):
    engagement = kpo_engagement_or_404(engagement_id)
    form = DeliverableForm()
    if form.validate_on_submit():
        deliverable = save_form(form, lambda: writes.create_deliverable(engagement, form.values()))
        if deliverable is not None:
            flash(f"Deliverable '{deliverable.title}' added.", "success")
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=deliverable.id))
    return render_template("kpo/deliverable_form.html", form=form, engagement=engagement)


@bp.route("/deliverables/<int:kpo_deliverable_id>")
@for_providers
def deliverable(kpo_deliverable_id: int):
    """A deliverable's rounds: versions, decisions, feedback and rubric scores."""
    item = _deliverable_in_scope_or_404(kpo_deliverable_id)
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
            # The audit trail is the client's: a provider sees the rounds, not who changed what.
            history=None if current_user.is_provider else history_for("kpo_deliverables", item.id),
        ),
        status,
    )


@bp.route("/deliverables/<int:kpo_deliverable_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_deliverable(kpo_deliverable_id: int):
    item = _deliverable_or_404(kpo_deliverable_id)
    form = DeliverableForm(obj=item)
    if form.validate_on_submit():
        saved = save_form(form, lambda: writes.update_deliverable(item, form.values()), record=item)
        if saved is not None:
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
    writes.delete_deliverable(item)
    db.session.commit()
    flash(f"Deliverable '{title}' and its rounds were deleted.", "success")
    return redirect(engagement_url(engagement_id))


@bp.route("/deliverables/<int:kpo_deliverable_id>/submissions", methods=["POST"])
@manager_or_provider_required
def submit_version(kpo_deliverable_id: int):
    """A new version, from the provider delivering it or a client manager keying it in."""
    item = _deliverable_in_scope_or_404(kpo_deliverable_id)
    refusal = rules.new_version_refusal(services.rounds_for_deliverable(item))
    if refusal:
        flash(refusal, "warning")
        return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    form = SubmissionForm()
    if form.validate_on_submit():
        submission = save_form(
            form,
            lambda: writes.submit_version(
                item,
                form.submitted_on.data,
                form.summary.data,
                form.reference.data,
                form.effort_hours.data,
                date.today(),
                submitted_by=current_user,
            ),
        )
        if submission is not None:
            flash(f"Version {submission.version} recorded; it is now in review.", "success")
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
        review = save_form(
            form,
            lambda: writes.record_review(
                submission,
                current_user,
                form.reviewed_on.data,
                form.decision.data,
                form.feedback.data,
                scores,
                date.today(),
            ),
            aliases={f"score:{c.name}": f"score_{i}" for i, c in enumerate(criteria)},
        )
        if review is not None:
            flash(
                f"Review of version {submission.version} recorded: {review.decision.label}.",
                "success",
            )
            return redirect(url_for("kpo.deliverable", kpo_deliverable_id=item.id))
    return _render_deliverable(item, review_form=form)


@bp.route("/engagements/<int:engagement_id>/deliverables.csv")
@for_providers
def deliverables_csv(engagement_id: int):
    """The deliverables table with every per-deliverable figure, for spreadsheets."""
    engagement = kpo_engagement_or_404(engagement_id)
    today = date.today()
    body = export.deliverables_csv(services.engagement_rows(engagement.id, today))
    return csv_response(body, f"deliverables-engagement-{engagement.id}-{today.isoformat()}.csv")
