"""Server-rendered SVG charts (pygal, no JavaScript, nothing loaded from a CDN)."""

import re
import sys
from datetime import date

import pygal
from pygal.style import Style

from vendor_tracker.engagements.bpo.compliance import LevelReport

# pygal appends an import hook for its map plugins that has no find_spec(); Python then warns
# (ImportWarning, an error under the test settings) whenever an optional module is missing, as
# when openpyxl probes for numpy. No map plugin is used, so the hook is dropped.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#198754", "#dc3545", "#6f42c1", "#fd7e14", "#20c997"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
)
OPTIONS = {
    "js": [],
    "disable_xml_declaration": True,
    "style": STYLE,
    "width": 640,
    "height": 260,
    "explicit_size": False,
    "show_dots": True,
    "dots_size": 3,
    "legend_at_bottom": True,
    "legend_at_bottom_columns": 3,
    "x_label_rotation": 0,
    "truncate_label": -1,
    "print_values": False,
    "no_data_text": "no data",
}


SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart) -> str:
    """The SVG without the inline config script pygal adds even when `js=[]` (nothing runs it)."""
    return SCRIPT.sub("", chart.render(is_unicode=True))


def _labels(months: list[date]) -> list[str]:
    return [m.strftime("%b %y") for m in months]


def trend_chart(report: LevelReport, months: list[date]) -> str:
    """Actual results of one service level against its target and minimum, month by month."""
    level = report.level
    unit = level.unit
    chart = pygal.Line(title=f"{level.name} ({unit}), by month", **OPTIONS)
    chart.x_labels = _labels(months)
    actuals = []
    for month in months:
        cell = report.cell(month)
        actuals.append(float(cell.actual) if cell and cell.actual is not None else None)
    chart.add("Actual", actuals, allow_interruptions=True)
    chart.add("Target", [float(level.terms.target)] * len(months), show_dots=False)
    if level.terms.minimum is not None:
        chart.add("Minimum", [float(level.terms.minimum)] * len(months), show_dots=False)
    return _render(chart)


def volume_chart(reports: list[LevelReport], months: list[date]) -> str:
    """Reported volumes per service level over the months (levels without volumes left out)."""
    chart = pygal.Line(title="Volume by month (items reported with each result)", **OPTIONS)
    chart.x_labels = _labels(months)
    for report in reports:
        values = []
        for month in months:
            cell = report.cell(month)
            values.append(cell.volume if cell and cell.volume is not None else None)
        if any(v is not None for v in values):
            chart.add(report.level.name, values, allow_interruptions=True)
    return _render(chart)
