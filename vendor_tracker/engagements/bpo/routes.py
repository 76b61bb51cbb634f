"""Pages of the bpo package: service levels, monthly results, import, credits, portfolio."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    manager_required,
)
from vendor_tracker.core.exports import csv_response
from vendor_tracker.core.forms import save_form, select_choices
from vendor_tracker.core.hooks import Section, engagement_section
from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.engagements.bpo import reports, services, writes
from vendor_tracker.engagements.bpo.charts import trend_chart, volume_chart
from vendor_tracker.engagements.bpo.entry import month_page
from vendor_tracker.engagements.bpo.exports import ledger_csv
from vendor_tracker.engagements.bpo.forms import (
    ConfirmForm,
    ImportForm,
    ServiceLevelForm,
    SuggestForm,
    library_choices,
    library_pairs,
)
from vendor_tracker.engagements.bpo.imports import import_results
from vendor_tracker.engagements.bpo.ledger_page import ledger_view
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.portfolio import portfolio as portfolio_data
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Source,
    first_of_month,
    months_between,
    parse_period,
)
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db

bp = Blueprint("bpo", __name__, url_prefix="/bpo")


@bp.app_template_filter("bpo_number")
def bpo_number(value) -> str:
    """A measured value with at most two decimals and no trailing zeros; None reads 'no data'."""
    if value is None:
        return "no data"
    text = f"{Decimal(value).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@bp.app_template_global("bpo_engagement_url")
def bpo_engagement_url(engagement_id: int) -> str:
    return services.engagement_url(engagement_id)


@engagement_section("BPO", for_providers=True)
def bpo_section(engagement) -> Section:
    """The metrics-first block at the top of a BPO engagement's page."""
    today = date.today()
    first, last = services.last_twelve_months(today)
    levels = services.service_levels_of(engagement.id)
    report = services.compliance_report(engagement, first, last, today, levels)
    return Section(
        "bpo/_section.html",
        {
            "report": report,
            "reports": reports.reports_of(engagement.id, first, last),
            "months": months_between(first, last),
            "terms": services.credit_terms(engagement),
            "today": today,
        },
        order=10,
    )


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


@bp.route("/engagements/<int:engagement_id>/credits")
@for_providers
def credits(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    view = ledger_view(engagement, date.today())
    return render_template(
        "bpo/credits.html",
        engagement=engagement,
        ledger=view.ledger,
        view=view,
        terms=services.credit_terms(engagement),
        engagement_url=services.engagement_url(engagement_id),
    )


@bp.route("/engagements/<int:engagement_id>/credits.csv")
@for_providers
def credits_csv(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    view = ledger_view(engagement, date.today(), forms=False)
    body = ledger_csv(view.ledger, engagement.currency, view.provisional, view.waiver_notes())
    return csv_response(body, f"credits-engagement-{engagement_id}.csv")


def _svg(body: str) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.route("/engagements/<int:engagement_id>/charts/level-<int:level_id>.svg")
@for_providers
def trend_svg(engagement_id: int, level_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    today = date.today()
    first, last = services.last_twelve_months(today)
    report = services.compliance_report(engagement, first, last, today)
    found = next((lr for lr in report.levels if lr.level.id == level_id), None)
    if found is None:
        abort(404)
    return _svg(trend_chart(found, months_between(first, last)))


@bp.route("/engagements/<int:engagement_id>/charts/volume.svg")
@for_providers
def volume_svg(engagement_id: int):
    engagement = services.bpo_engagement_or_404(engagement_id)
    today = date.today()
    first, last = services.last_twelve_months(today)
    report = services.compliance_report(engagement, first, last, today)
    return _svg(volume_chart(list(report.levels), months_between(first, last)))


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


@bp.route("/portfolio")
def portfolio():
    status = request.args.get("status") or None
    if status not in {s.value for s in EngagementStatus}:
        status = None
    sort = request.args.get("sort", "attainment")
    direction = "desc" if request.args.get("dir") == "desc" else "asc"
    data = portfolio_data(
        date.today(),
        vendor_id=_int_arg("vendor"),
        service_line_id=_int_arg("service_line"),
        status=status,
        sort=sort,
        direction=direction,
        page=_int_arg("page") or 1,
        per_page=current_app.config.get("ITEMS_PER_PAGE", 25),
    )
    return render_template(
        "bpo/portfolio.html",
        data=data,
        sort=sort,
        direction=direction,
        filters={
            "vendor": _int_arg("vendor"),
            "service_line": _int_arg("service_line"),
            "status": status,
        },
        year=date.today().year,
    )


@bp.app_template_global("bpo_open_credit_disputes")
def bpo_open_credit_disputes(vendor_id: int) -> list:
    """A vendor's open credit disputes (engagement, level, month, category), for the QBR pack."""
    from vendor_tracker.engagements.bpo.disputes import open_disputes_for_vendor

    return open_disputes_for_vendor(vendor_id)


# The month reports' and credit disputes' writes register on this blueprint.
from vendor_tracker.engagements.bpo import report_routes  # noqa: E402, F401
