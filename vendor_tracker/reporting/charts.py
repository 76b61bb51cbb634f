"""Server-rendered SVG charts of scorecards and spend (pygal, no JavaScript, no CDN).

Rendering is cached on the plotted values, so a page pays for a chart only when its numbers change.
"""

from functools import lru_cache

from markupsafe import Markup

from vendor_tracker.core.charts import Line, StackedBar, new_chart, render_svg

SIZE = {"width": 720, "height": 300}


def _float_or_none(values) -> tuple:
    return tuple(None if v is None else float(v) for v in values)


@lru_cache(maxsize=256)
def _stacked_bar(title: str, labels: tuple, series: tuple, y_title: str, about: str) -> str:
    chart = new_chart(StackedBar, title=title, description=about, y_title=y_title, **SIZE)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return render_svg(chart)


@lru_cache(maxsize=256)
def _lines(title: str, labels: tuple, series: tuple, y_title: str, about: str) -> str:
    chart = new_chart(Line, title=title, description=about, y_title=y_title, range=(0, 100), **SIZE)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values), allow_interruptions=True)
    return render_svg(chart)


def spend_chart(currency: str, labels: list[str], series: dict[str, list]) -> Markup | None:
    """Stacked monthly spend of one currency, one series per key (model, shore...)."""
    if not labels or not any(any(v for v in values) for values in series.values()):
        return None
    packed = tuple((name, _float_or_none(values)) for name, values in sorted(series.items()))
    about = f"Spend in {currency} per month, {labels[0]} to {labels[-1]}, stacked by " + ", ".join(
        name for name, _values in packed
    )
    svg = _stacked_bar(f"Spend per month, {currency}", tuple(labels), packed, currency, about)
    return Markup(svg)  # noqa: S704 - pygal output, values are numbers and our own labels


def percent_lines(title: str, labels: list[str], series: dict[str, list]) -> Markup | None:
    """Lines on a 0..100 % axis; None values leave gaps ("no data"), never zeros."""
    if not labels or all(all(v is None for v in values) for values in series.values()):
        return None
    packed = tuple((name, _float_or_none(values)) for name, values in series.items())
    about = (
        ", ".join(name for name, _values in packed)
        + f" in percent (0 to 100), {labels[0]} to {labels[-1]}; periods without data are gaps"
    )
    return Markup(_lines(title, tuple(labels), packed, "% (0–100)", about))  # noqa: S704
