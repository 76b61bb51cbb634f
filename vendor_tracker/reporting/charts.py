"""Server-rendered SVG charts of scorecards and spend (pygal, no JavaScript, no CDN).

Rendering is cached on the plotted values, so a page pays for a chart only when its numbers change.
"""

from functools import lru_cache

import pygal
from markupsafe import Markup
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    colors=("#0d6efd", "#6f42c1", "#20c997", "#fd7e14", "#dc3545", "#6c757d", "#198754"),
    font_family="system-ui, sans-serif",
    label_font_size=11,
    major_label_font_size=11,
    legend_font_size=11,
    title_font_size=13,
    value_font_size=10,
)
COMMON = {
    "js": [],
    "disable_xml_declaration": True,
    "style": STYLE,
    "width": 720,
    "height": 300,
    "explicit_size": False,
    "margin": 12,
}


def _float_or_none(values) -> tuple:
    return tuple(None if v is None else float(v) for v in values)


@lru_cache(maxsize=256)
def _stacked_bar(title: str, labels: tuple, series: tuple, y_title: str) -> str:
    chart = pygal.StackedBar(title=title, y_title=y_title, legend_at_bottom=True, **COMMON)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return chart.render(is_unicode=True)


@lru_cache(maxsize=256)
def _lines(title: str, labels: tuple, series: tuple, y_title: str) -> str:
    chart = pygal.Line(
        title=title, y_title=y_title, range=(0, 100), legend_at_bottom=True, **COMMON
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values), allow_interruptions=True)
    return chart.render(is_unicode=True)


def spend_chart(currency: str, labels: list[str], series: dict[str, list]) -> Markup | None:
    """Stacked monthly spend of one currency, one series per key (model, shore...)."""
    if not labels or not any(any(v for v in values) for values in series.values()):
        return None
    packed = tuple((name, _float_or_none(values)) for name, values in sorted(series.items()))
    return Markup(_stacked_bar(f"Spend per month, {currency}", tuple(labels), packed, currency))  # noqa: S704 - pygal output, values are numbers and our own labels


def percent_lines(title: str, labels: list[str], series: dict[str, list]) -> Markup | None:
    """Lines on a 0..100 % axis; None values leave gaps ("no data"), never zeros."""
    if not labels or all(all(v is None for v in values) for values in series.values()):
        return None
    packed = tuple((name, _float_or_none(values)) for name, values in series.items())
    return Markup(_lines(title, tuple(labels), packed, "% (0–100)"))  # noqa: S704
