"""The one place pygal is imported: shared style, chart construction, SVG rendering.

Charts are rendered on the server as inline SVG with no JavaScript and nothing from a CDN.
Every chart module builds its charts with `new_chart` and renders them with `render_svg`.
Every chart says what it shows: its SVG has a `<title>` and a `<desc>` and is an image
(`role="img"`) named by them; numbers carry thousands separators; charts of counts have whole
number axes; legends sit below the plot in as many columns as their names allow, never cut.
"""

import math
import re
import sys

import pygal
from pygal.style import Style

# pygal appends an import hook for its map plugins (`PluginImportFixer`) that has no find_spec();
# Python then raises an ImportWarning (an error under the test settings) whenever any optional
# import anywhere fails, as when openpyxl probes for numpy. No map plugin is used, so the hook is
# removed here, right after the only import of pygal.
sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "PluginImportFixer"]

Line = pygal.Line
Bar = pygal.Bar
StackedBar = pygal.StackedBar

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#6f42c1", "#20c997", "#fd7e14", "#dc3545", "#198754", "#6c757d"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
    value_font_size=10,
)
BASE_OPTIONS = {
    "js": [],  # nothing loads from pygal's CDN
    "disable_xml_declaration": True,  # the SVG sits inline in a page
    "style": STYLE,
    "explicit_size": False,  # scales with its container
    "no_data_text": "no data",
    "margin": 12,
    "legend_at_bottom": True,
    "truncate_legend": -1,  # a legend shows whole names; `render_svg` picks the columns
}
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
NICE_STEPS = (1, 2, 5)


def format_number(value) -> str:
    """A number with thousands separators and no needless decimals: 12,500, 92.5, 0.25."""
    if value is None:
        return ""
    number = float(value)
    if number.is_integer():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def whole_number_ticks(peak: float, most: int = 6) -> list[int]:
    """Axis ticks for counts: whole numbers from 0 past `peak` in steps of 1, 2, 5, 10, 20...,
    at most `most` of them (never 0.5 of a deliverable)."""
    top = max(1, math.ceil(peak))
    for power in range(0, 16):
        for nice in NICE_STEPS:
            step = nice * 10**power
            if math.ceil(top / step) + 1 <= most:
                return list(range(0, step * math.ceil(top / step) + 1, step))
    raise ValueError(f"no whole-number scale for {peak}")


def legend_columns(names: list[str], width: int, font_size: int = 11) -> int:
    """How many legend entries fit side by side under a chart `width` wide, whole names shown
    (a swatch and gap of about 30 px, characters about 0.62 of the font size wide)."""
    if not names:
        return 1
    entry = max(len(name) for name in names) * font_size * 0.62 + 30
    return max(1, min(len(names), int(width // entry)))


def new_chart(
    chart_type: type,
    *,
    width: int = 640,
    height: int = 280,
    description: str = "",
    counts: bool = False,
    **options,
):
    """A pygal chart of `chart_type` (Line, Bar, StackedBar) with the shared style and options.

    `description` says what the chart shows, with units and period (its text alternative, with
    the title); `counts=True` puts whole numbers on the value axis."""
    options = {
        **BASE_OPTIONS,
        "value_formatter": format_number,
        "width": width,
        "height": height,
        **options,
    }
    chart = chart_type(**options)
    chart.xml_filters = [_text_alternative(options.get("title") or "", description)]
    chart.counts = counts
    return chart


def render_svg(chart) -> str:
    """The chart as an SVG string, without the inline config script pygal adds even when `js=[]`
    (nothing runs it, and the page's CSP forbids inline scripts)."""
    if getattr(chart, "counts", False) and chart.raw_series:
        chart.y_labels = whole_number_ticks(_peak(chart))
    if _option(chart, "show_legend") and _option(chart, "legend_at_bottom"):
        names = [str(config.get("title", "")) for _values, config in chart.raw_series]
        chart.legend_at_bottom_columns = legend_columns(names, _option(chart, "width"))
    return SCRIPT.sub("", chart.render(is_unicode=True))


def _option(chart, name: str):
    """An option as the chart will render it: set on the chart, else in its config."""
    return chart.__dict__.get(name, getattr(chart.config, name))


def _peak(chart) -> float:
    """The largest value plotted (stacked bars: the largest stack)."""
    series = [[v or 0 for v in values] for values, _config in chart.raw_series]
    if isinstance(chart, StackedBar):
        series = [[sum(column) for column in zip(*series, strict=False)]]
    return max((max(values, default=0) for values in series), default=0)


def _text_alternative(title: str, description: str):
    """An XML filter naming the SVG for assistive technology: `<title>`, `<desc>`, role="img"."""

    def name(root):
        label = ". ".join(part for part in (title, description) if part) or "Chart"
        root.set("role", "img")
        root.set("aria-label", label)
        heading = next((node for node in root if str(node.tag).endswith("title")), None)
        if heading is not None:
            heading.text = title or label
            desc = root.makeelement("desc", {})
            desc.text = description or label
            root.insert(list(root).index(heading) + 1, desc)
        return root

    return name
