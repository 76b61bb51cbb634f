"""The one place pygal is imported: shared style, chart construction, SVG rendering.

Charts are rendered on the server as inline SVG with no JavaScript and nothing from a CDN.
Every chart module builds its charts with `new_chart` and renders them with `render_svg`.
"""

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
}
SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def new_chart(chart_type: type, *, width: int = 640, height: int = 280, **options):
    """A pygal chart of `chart_type` (Line, Bar, StackedBar) with the shared style and options."""
    return chart_type(**{**BASE_OPTIONS, "width": width, "height": height, **options})


def render_svg(chart) -> str:
    """The chart as an SVG string, without the inline config script pygal adds even when `js=[]`
    (nothing runs it, and the page's CSP forbids inline scripts)."""
    return SCRIPT.sub("", chart.render(is_unicode=True))
