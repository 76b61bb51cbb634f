"""Monthly results: the month page (through `entry`) and the CSV import."""

from datetime import date

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
)
from vendor_tracker.core.forms import save_form
from vendor_tracker.engagements.bpo import services, writes
from vendor_tracker.engagements.bpo.entry import month_page
from vendor_tracker.engagements.bpo.forms import (
    ImportForm,
)
from vendor_tracker.engagements.bpo.imports import import_results
from vendor_tracker.engagements.bpo.routes.blueprint import bp
from vendor_tracker.engagements.bpo.sla import (
    Source,
    first_of_month,
    parse_period,
)


@bp.route("/engagements/<int:engagement_id>/results")
@for_providers
def results(engagement_id: int):
    """The monthly entry form for the latest month (or ?month=YYYY-MM)."""
    services.bpo_engagement_or_404(engagement_id)
    month = parse_period(request.args.get("month", "")) or first_of_month(date.today())
    return redirect(url_for("bpo.month", engagement_id=engagement_id, period=f"{month:%Y-%m}"))


@bp.route("/engagements/<int:engagement_id>/results/<period>")
@for_providers
def month(engagement_id: int, period: str):
    """Every service level of the engagement for one month, ready to fill in."""
    return month_page(engagement_id, period, save=False)


@bp.route("/engagements/<int:engagement_id>/results/<period>", methods=["POST"])
@manager_or_provider_required
def save_month(engagement_id: int, period: str):
    return month_page(engagement_id, period, save=True)


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    return f"{count / 1024:.0f} KB" if count >= 1024 else f"{count} bytes"


@bp.route("/engagements/<int:engagement_id>/import", methods=["GET", "POST"])
@manager_or_provider_required
def import_csv(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    form = ImportForm()
    plan = None
    limit = current_app.config.get("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(limit + 1)
        if len(data) > limit:
            form.file.errors = [f"The file is larger than the limit of {_size(limit)}."]
        else:
            # A plan with problems writes nothing; its problems are shown with the file's lines.
            plan = save_form(
                form,
                lambda: import_results(
                    engagement,
                    data,
                    form.replace_existing.data,
                    current_user.id,
                    current_user.email,
                    date.today(),
                    (upload.filename or "")[:120],
                    writes.source_for(current_user, Source.IMPORT),
                ),
            )
            if plan is not None and plan.ok:
                flash(
                    f"Imported {plan.rows} rows: {len(plan.insert)} new, {len(plan.update)} "
                    f"replaced, {plan.unchanged} unchanged.",
                    "success",
                )
                return redirect(services.engagement_url(engagement_id))
    return render_template(
        "bpo/import.html",
        engagement=engagement,
        form=form,
        plan=plan,
        levels=services.service_levels_of(engagement_id),
        limit_text=_size(limit),
    )
