"""Reporting's landing page, scorecards and their settings, and the scorecard providers of the
vendor list and the vendor page."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup

from vendor_tracker.auth.decorators import admin_required
from vendor_tracker.core.forms import form_values
from vendor_tracker.core.hooks import Section, vendor_list_column, vendor_section
from vendor_tracker.core.models import StaleVersionError
from vendor_tracker.core.paging import page_number, per_page, sort_args
from vendor_tracker.extensions import db
from vendor_tracker.reporting import score_reads, services
from vendor_tracker.reporting.charts import percent_lines
from vendor_tracker.reporting.forms import SettingsForm
from vendor_tracker.reporting.routes.blueprint import bp
from vendor_tracker.reporting.scorecard import (
    Band,
    Component,
    Trend,
    parse_period,
    previous_quarter,
    recent_quarters,
    trailing_twelve_months,
    trend,
)
from vendor_tracker.vendors.models import Vendor

BAND_CLASSES = {
    "excellent": "text-bg-success",
    "good": "text-bg-primary",
    "watch": "text-bg-warning",
    "poor": "text-bg-danger",
    "not_rated": "text-bg-light border",
}


@bp.app_template_filter("band_badge")
def band_badge(band: str | Band | None, score: float | None = None) -> Markup:
    """A coloured badge naming the band (and the score when there is one)."""
    band = services.band_of(getattr(band, "value", band))
    text = band.label if score is None else f"{band.label} {score:.1f}"
    return Markup('<span class="badge {}">{}</span>').format(BAND_CLASSES[band.value], text)


@bp.app_template_filter("trend_arrow")
def trend_arrow(value: str | Trend | None) -> Markup:
    """▲ up, ▼ down, ▬ same, 'new' for a first rating, with a readable label."""
    try:
        found = Trend(getattr(value, "value", value))
    except ValueError:
        return Markup("")
    words = {
        "up": "better than last quarter",
        "down": "worse than last quarter",
        "same": "same band as last quarter",
        "new": "first rating (not rated last quarter)",
    }[found.value]
    css = {"up": "text-success", "down": "text-danger", "same": "text-muted", "new": "text-info"}
    return Markup('<span class="{}" title="{}" aria-label="{}">{}</span>').format(
        css[found.value], words, words, found.arrow
    )


def _period_or_400(today: date):
    try:
        return parse_period(request.args.get("period"), today)
    except ValueError as problem:
        abort(400, description=str(problem))


@bp.route("")
def index():
    return render_template("reporting/index.html")


@bp.route("/scorecards")
def scorecards():
    today = date.today()
    period = _period_or_400(today)
    settings = services.scorecard_settings()
    sort, direction = sort_args(score_reads.SORTS, "score", "desc")
    page, rated = score_reads.ranked_page(
        period,
        None if period.key == "ttm" else previous_quarter(period),
        today,
        settings,
        sort,
        direction == "desc",
        page_number(),
        per_page(),
    )
    return render_template(
        "reporting/scorecards.html",
        page=page,
        period=period,
        periods=[*recent_quarters(today, 8), trailing_twelve_months(today)],
        components=list(Component),
        sort=sort,
        direction=direction,
        rated=rated,
        settings=settings,
    )


@bp.route("/scorecards/vendor/<int:vendor_id>")
def vendor_scorecard(vendor_id: int):
    today = date.today()
    vendor = db.get_or_404(Vendor, vendor_id)
    period = _period_or_400(today)
    settings = services.scorecard_settings()
    card = services.vendor_scorecards([vendor.id], period, today, settings)[vendor.id]
    history = services.scorecard_history(vendor.id, today, settings)
    labels = [h.period.key for h in reversed(history)]
    chart = percent_lines(
        "Scorecard by quarter",
        labels,
        {
            "Overall score": [h.card.score for h in reversed(history)],
            **{
                c.component.label: [h.card.component(c.component).value for h in reversed(history)]
                for c in history[0].shown
            },
        },
    )
    return render_template(
        "reporting/vendor_scorecard.html",
        vendor=vendor,
        period=period,
        periods=[*recent_quarters(today, 8), trailing_twelve_months(today)],
        scorecard=card,
        history=history,
        trends=[
            trend(h.card.band, history[i + 1].card.band).value
            if i + 1 < len(history) and h.card.score is not None
            else None
            for i, h in enumerate(history)
        ],
        ttm=services.vendor_scorecards([vendor.id], trailing_twelve_months(today), today, settings)[
            vendor.id
        ],
        chart=chart,
        settings=settings,
    )


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings():
    record = services.scorecard_settings()
    if request.method == "GET":
        form = SettingsForm(obj=record)
        form.version.data = record.version
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        values = form_values(
            form, (*services.SETTINGS_FIELDS, *services.COUNT_FIELDS, "reporting_currency")
        )
        try:
            services.save_settings(values, form.version.data)
        except StaleVersionError as stale:
            db.session.rollback()
            flash(str(stale), "danger")
        else:
            db.session.commit()
            flash("Scorecard settings saved; scorecards and standings use them now.", "success")
            return redirect(url_for("reporting.settings"))
    return render_template("reporting/settings.html", form=form)


# --- providers for the vendor list and the vendor page ----------------------------------------


@vendor_list_column
def standing_column(vendor_ids: list[int]) -> tuple[str, dict[int, Markup]]:
    """The vendor list's "Standing" column: band, score and trend arrow of this quarter."""
    standings = services.current_standings(list(vendor_ids), date.today())
    cells = {
        vid: band_badge(s.band, s.score)
        + (Markup(" ") + trend_arrow(s.trend) if s.band is not Band.NOT_RATED else Markup(""))
        for vid, s in standings.items()
    }
    return f"Standing ({services.current_quarter_label()})", cells


@vendor_section
def scorecard_section(vendor) -> Section | None:
    """The vendor page's scorecard summary: standing, components, open risks, latest QBR."""
    today = date.today()
    summary = services.vendor_page_summary(vendor.id, today)
    return Section("reporting/_vendor_section.html", summary, order=20)
