"""Blocks on the engagement and vendor pages, and the engagement's charts."""

from datetime import date

from flask import Response, request

from vendor_tracker.auth.decorators import for_providers
from vendor_tracker.auth.scope import vendor_scope
from vendor_tracker.core.hooks import (
    Section,
    engagement_section,
    portal_home_block,
    vendor_section,
)
from vendor_tracker.engagements.kpo import charts, collaboration, services
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.listing import Filters, filter_sort_page
from vendor_tracker.engagements.kpo.routes.blueprint import bp, kpo_engagement_or_404


@engagement_section("KPO", for_providers=True)
def kpo_engagement_section(engagement) -> Section:
    """Deliverables first: figures, the filtered table, charts and open action items."""
    today = date.today()
    rows = services.engagement_rows(engagement.id, today)
    stats = rules.review_stats([row.figures for row in rows])
    filters = Filters.from_args(request.args)
    provider = vendor_scope()
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
        # A provider's users see only the items assigned to their company, and what is due.
        "open_items": collaboration.action_items_for_reader(engagement.id, "open", limit=10)
        if provider is not None
        else collaboration.open_action_items(engagement.id, limit=10),
        "due": services.provider_due_deliverables(provider, today, engagement.id)
        if provider is not None
        else None,
        "today": today,
    }
    return Section(template="kpo/_engagement_section.html", context=context, order=10)


@bp.route("/engagements/<int:engagement_id>/charts/<any(rounds, quality, days):chart>.svg")
@for_providers
def chart_svg(engagement_id: int, chart: str):
    """One analytics chart of an engagement as SVG (no data: a chart saying so)."""
    engagement = kpo_engagement_or_404(engagement_id)
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


@vendor_section(for_providers=True)
def kpo_vendor_section(vendor) -> Section | None:
    """Review-cycle figures over all of a vendor's KPO engagements."""
    today = date.today()
    stats = services.vendor_review_stats(vendor.id, today)
    if stats is None:
        return None
    context = {"stats": stats, "as_of": today}
    return Section(template="kpo/_vendor_section.html", context=context, order=40)


@portal_home_block
def kpo_portal_due(vendor_id: int, today: date) -> Section | None:
    """The provider's deliverables due within two weeks or overdue, on the portal's home (for a
    vendor with KPO engagements)."""
    from vendor_tracker.engagements.kpo.due import vendor_has_kpo

    if not vendor_has_kpo(vendor_id):
        return None
    return Section(
        "kpo/_portal_due.html",
        {"due": services.provider_due_deliverables(vendor_id, today), "today": today},
        order=20,
    )
