"""Service levels: the list, the forms, delete, and suggestions from the KPI library."""

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import (
    for_providers,
    manager_required,
)
from vendor_tracker.core.forms import select_choices
from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.forms import (
    ConfirmForm,
    ServiceLevelForm,
    SuggestForm,
    library_choices,
    library_pairs,
)
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.routes.blueprint import bp
from vendor_tracker.engagements.bpo.sla import (
    Classification,
)
from vendor_tracker.extensions import db


def _level_or_404(level_id: int) -> ServiceLevel:
    level = db.get_or_404(ServiceLevel, level_id)
    return level


@bp.route("/engagements/<int:engagement_id>/service-levels")
@for_providers
def service_levels(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    levels = services.service_levels_of(engagement_id)
    suggest = SuggestForm()
    used = {lv.metric_code for lv in levels}
    suggest.codes.choices = select_choices(
        [
            (code, label)
            for code, label in library_pairs(services.kpi_library_for(engagement.service_line.code))
            if code and code not in used
        ]
    )
    allocation_total = sum(
        (lv.allocation_pct or 0) for lv in levels if lv.classification == Classification.CRITICAL
    )
    return render_template(
        "bpo/service_levels.html",
        engagement=engagement,
        levels=levels,
        suggest=suggest,
        delete_form=ConfirmForm(),
        allocation_total=allocation_total,
        terms=services.credit_terms(engagement),
        history=history_for("engagements", engagement_id, limit=20),
        engagement_url=services.engagement_url(engagement_id),
    )


def _level_form(engagement, level: ServiceLevel | None):
    library = {row["code"]: row for row in services.kpi_library()}
    form = ServiceLevelForm(obj=level)
    form.metric_code.choices = library_choices(services.kpi_library())
    if request.method == "GET" and level is None and request.args.get("metric") in library:
        kpi = library[request.args["metric"]]
        form.metric_code.data = kpi["code"]
        form.name.data, form.unit.data = kpi["name"], kpi["unit"]
        form.direction.data = kpi["direction"]
        form.target.data, form.minimum.data = kpi["typical_target"], kpi["typical_minimum"]
    if form.validate_on_submit():
        data = form.parsed(library)
        if data is not None:
            problems = services.service_level_problems(
                engagement, data, level.id if level else None
            )
            for name, message in problems.items():
                getattr(form, name).errors = [*getattr(form, name).errors, message]
            if not problems:
                try:
                    if level is not None:
                        check_version(level, form.version.data)
                        services.apply_service_level(level, data)
                    else:
                        level = services.create_service_level(engagement, data)
                    db.session.commit()
                except StaleVersionError as stale:
                    db.session.rollback()
                    flash(str(stale), "error")
                else:
                    flash(f"Service level “{level.name}” saved.", "success")
                    return redirect(url_for("bpo.service_levels", engagement_id=engagement.id))
    return render_template(
        "bpo/service_level_form.html", engagement=engagement, level=level, form=form
    )


@bp.route("/engagements/<int:engagement_id>/service-levels/new", methods=["GET", "POST"])
@manager_required
def new_service_level(engagement_id: int):
    return _level_form(services.bpo_engagement_or_404(engagement_id), None)


@bp.route("/service-levels/<int:level_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_service_level(level_id: int):
    level = _level_or_404(level_id)
    return _level_form(services.bpo_engagement_or_404(level.engagement_id), level)


@bp.route("/service-levels/<int:level_id>/delete", methods=["POST"])
@manager_required
def delete_service_level(level_id: int):
    level = _level_or_404(level_id)
    engagement_id = level.engagement_id
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = level.name
    removed = services.delete_service_level(level)
    db.session.commit()
    flash(f"Service level “{name}” and its {removed} monthly results deleted.", "success")
    return redirect(url_for("bpo.service_levels", engagement_id=engagement_id))


@bp.route("/engagements/<int:engagement_id>/service-levels/suggest", methods=["POST"])
@manager_required
def suggest_service_levels(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    form = SuggestForm()
    form.codes.choices = select_choices(
        [
            (row["code"], row["name"])
            for row in services.kpi_library_for(engagement.service_line.code)
        ]
    )
    if not form.validate_on_submit() or not form.codes.data:
        flash("Choose at least one metric from the library.", "error")
        return redirect(url_for("bpo.service_levels", engagement_id=engagement_id))
    created = services.add_suggested_service_levels(engagement, form.codes.data)
    db.session.commit()
    flash(f"{len(created)} key service levels added with typical levels; review them.", "success")
    return redirect(url_for("bpo.service_levels", engagement_id=engagement_id))
