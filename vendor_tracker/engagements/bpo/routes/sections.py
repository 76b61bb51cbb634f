"""The BPO block on the engagement page, and its charts."""

from datetime import date

from flask import (
    Response,
    abort,
)

from vendor_tracker.auth.decorators import (
    for_providers,
)
from vendor_tracker.core.hooks import Section, engagement_section
from vendor_tracker.engagements.bpo import reports, services
from vendor_tracker.engagements.bpo.charts import trend_chart, volume_chart
from vendor_tracker.engagements.bpo.routes.blueprint import bp
from vendor_tracker.engagements.bpo.sla import (
    months_between,
)


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
