"""Server-rendered SVG charts (pygal, no JavaScript, nothing loaded from a CDN)."""

from datetime import date

from vendor_tracker.core.charts import Line, format_number, new_chart, render_svg
from vendor_tracker.engagements.bpo.compliance import LevelReport

OPTIONS = {
    "width": 640,
    "height": 260,
    "show_dots": True,
    "dots_size": 3,
    "x_label_rotation": 0,
    "truncate_label": -1,
    "print_values": False,
}


def _labels(months: list[date]) -> list[str]:
    return [m.strftime("%b %y") for m in months]


def _period(months: list[date]) -> str:
    if not months:
        return "no months"
    return f"{months[0]:%b %Y} to {months[-1]:%b %Y}"


def trend_chart(report: LevelReport, months: list[date]) -> str:
    """Actual results of one service level against its target and minimum, month by month."""
    level = report.level
    unit = level.unit
    promise = f"target {format_number(level.terms.target)} {unit}"
    if level.terms.minimum is not None:
        promise += f", minimum {format_number(level.terms.minimum)} {unit}"
    chart = new_chart(
        Line,
        title=f"{level.name} ({unit}), by month",
        description=f"Monthly actual in {unit} against the {promise}, {_period(months)}; "
        "months without a result are gaps",
        **OPTIONS,
    )
    chart.x_labels = _labels(months)
    actuals = []
    for month in months:
        cell = report.cell(month)
        actuals.append(float(cell.actual) if cell and cell.actual is not None else None)
    chart.add("Actual", actuals, allow_interruptions=True)
    chart.add("Target", [float(level.terms.target)] * len(months), show_dots=False)
    if level.terms.minimum is not None:
        chart.add("Minimum", [float(level.terms.minimum)] * len(months), show_dots=False)
    return render_svg(chart)


def volume_chart(reports: list[LevelReport], months: list[date]) -> str:
    """Reported volumes per service level over the months (levels without volumes left out)."""
    chart = new_chart(
        Line,
        title="Volume by month (items reported with each result)",
        description=f"Items reported with each monthly result, one line per service level, "
        f"{_period(months)}",
        counts=True,
        **OPTIONS,
    )
    chart.x_labels = _labels(months)
    for report in reports:
        values = []
        for month in months:
            cell = report.cell(month)
            values.append(cell.volume if cell and cell.volume is not None else None)
        if any(v is not None for v in values):
            chart.add(report.level.name, values, allow_interruptions=True)
    return render_svg(chart)
