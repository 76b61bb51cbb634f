"""The engagement's review rubric: criteria and weights."""

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.core.forms import save_form
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services
from vendor_tracker.engagements.kpo.forms import RubricForm
from vendor_tracker.engagements.kpo.routes.blueprint import bp, kpo_engagement_or_404


@bp.route("/engagements/<int:engagement_id>/rubric")
@for_providers
def rubric(engagement_id: int):
    engagement = kpo_engagement_or_404(engagement_id)
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
    engagement = kpo_engagement_or_404(engagement_id)
    form = RubricForm()
    # The rubric's own problems (a duplicate name) are shown by their rows, beside the field
    # errors; the service checks the same rule and saves only a rubric without them.
    problems = rules.rubric_problems(form.rows())
    if form.validate_on_submit() and not problems:
        saved = save_form(form, lambda: services.replace_rubric(engagement, form.rows()))
        if saved is not None:
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
        if len(parts) == 3 and parts[1].isdecimal() and int(parts[1]) < len(filled):
            field = filled[int(parts[1])].form[parts[2]]
            if not field.errors:  # a field error from the form already says what is wrong
                field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)
