"""The portfolio and spend page."""

from datetime import date

from flask import render_template, request, url_for

from vendor_tracker.reporting import services
from vendor_tracker.reporting.charts import percent_lines, spend_chart
from vendor_tracker.reporting.portfolio_answers import CONCENTRATION_ROWS, stored_portfolio
from vendor_tracker.reporting.routes.blueprint import bp
from vendor_tracker.reporting.spend_services import PortfolioFilters

DIMENSION_LABELS = {
    "model": "Model",
    "vendor": "Vendor",
    "service_line": "Service line",
    "shore": "Delivery shore",
}


CHART_SERIES = 8


def chart_series(keys: dict, months: list) -> dict[str, list]:
    """{key: amount per month (None: no spend)} of the CHART_SERIES keys with the most spend;
    the others stacked as one "Other" series, so a breakdown by vendor stays readable (the
    table below lists every key)."""
    ranked = sorted(keys, key=lambda k: (-sum(keys[k].values()), k))
    series = {key: [keys[key].get(m) for m in months] for key in ranked[:CHART_SERIES]}
    rest = ranked[CHART_SERIES:]
    if len(rest) == 1:
        series[rest[0]] = [keys[rest[0]].get(m) for m in months]
    elif rest:
        other = [[keys[k][m] for k in rest if m in keys[k]] for m in months]
        series[f"Other {len(rest)}"] = [sum(found) if found else None for found in other]
    return series


@bp.route("/portfolio")
def portfolio_page():
    today = date.today()
    filters = PortfolioFilters.from_args(request.args, today)
    dimension = request.args.get("by", "model")
    if dimension not in DIMENSION_LABELS:
        dimension = "model"
    settings = services.scorecard_settings()
    every_vendor = request.args.get("vendors") == "all"
    data = stored_portfolio(
        filters,
        today,
        settings.concentration_limit_pct,
        settings.reporting_currency,
        dimensions=(dimension,),
        every_vendor=every_vendor,
    )
    labels = [f"{m:%b %y}" for m in data["months"]]
    charts = {
        currency: spend_chart(currency, labels, chart_series(keys, data["months"]))
        for currency, keys in data["by"][dimension].items()
    }
    concentration, other_vendors = data["concentration"], data["other_vendors"]
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
        concentration=concentration,
        other_vendors=other_vendors,
        every_vendor=every_vendor,
        top_rows=CONCENTRATION_ROWS,
        vendors_url=url_for(
            "reporting.portfolio_page",
            **{k: v for k, v in request.args.items() if k != "vendors"},
            **({} if every_vendor else {"vendors": "all"}),
        ),
    )
