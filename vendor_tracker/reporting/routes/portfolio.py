"""The portfolio and spend page."""

from datetime import date

from flask import render_template, request

from vendor_tracker.reporting import services
from vendor_tracker.reporting.charts import percent_lines, spend_chart
from vendor_tracker.reporting.routes.blueprint import bp
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio

DIMENSION_LABELS = {
    "model": "Model",
    "vendor": "Vendor",
    "service_line": "Service line",
    "shore": "Delivery shore",
}


@bp.route("/portfolio")
def portfolio_page():
    today = date.today()
    filters = PortfolioFilters.from_args(request.args, today)
    dimension = request.args.get("by", "model")
    if dimension not in DIMENSION_LABELS:
        dimension = "model"
    settings = services.scorecard_settings()
    data = portfolio(
        filters,
        today,
        settings.concentration_limit_pct,
        settings.reporting_currency,
        dimensions=(dimension,),
    )
    labels = [f"{m:%b %y}" for m in data["months"]]
    charts = {
        currency: spend_chart(
            currency,
            labels,
            {key: [by_month.get(m) for m in data["months"]] for key, by_month in keys.items()},
        )
        for currency, keys in data["by"][dimension].items()
    }
    trend = data["trend"]
    trend_chart = percent_lines(
        "Portfolio attainment and quality by quarter",
        [t["period"].key for t in trend],
        {
            "BPO attainment": [t["attainment"] for t in trend],
            "KPO mean quality": [t["quality"] for t in trend],
            "KPO on-time first versions": [t["on_time"] for t in trend],
        },
    )
    return render_template(
        "reporting/portfolio.html",
        filters=filters,
        data=data,
        dimension=dimension,
        dimensions=DIMENSION_LABELS,
        charts=charts,
        trend_chart=trend_chart,
        limit_pct=settings.concentration_limit_pct,
        today=today,
    )
