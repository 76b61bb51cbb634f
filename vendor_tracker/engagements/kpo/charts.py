"""Server-rendered SVG charts of review-cycle analytics (pygal, no JavaScript, no CDN).

Rendering is cached on the plotted values: the same data never renders twice, so a page view
pays for a chart only after its numbers change.
"""

from collections import defaultdict
from datetime import date
from functools import lru_cache
from statistics import fmean

from markupsafe import Markup

from vendor_tracker.core.charts import Bar, Line, new_chart, render_svg
from vendor_tracker.engagements.kpo.review import ReviewStats, Round

SIZE = {"width": 640, "height": 280, "print_values": False}


@lru_cache(maxsize=512)
def _bar(title: str, labels: tuple, series: tuple, y_title: str, legend: bool, about: str) -> str:
    chart = new_chart(
        Bar,
        title=title,
        description=about,
        counts=True,  # deliverables and days: whole numbers on the axis
        y_title=y_title,
        show_legend=legend,
        **SIZE,
    )
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return render_svg(chart)


@lru_cache(maxsize=512)
def _line(title: str, labels: tuple, values: tuple, y_title: str, about: str) -> str:
    chart = new_chart(
        Line,
        title=title,
        description=about,
        y_title=y_title,
        show_legend=False,
        range=(0, 100),
        **SIZE,
    )
    chart.x_labels = list(labels)
    chart.add("Mean quality", list(values), allow_interruptions=True)
    return render_svg(chart)


def rounds_distribution_chart(stats: ReviewStats) -> Markup | None:
    """How many accepted deliverables needed 1, 2, 3, 4+ rounds; None without acceptances."""
    if not stats.rounds_distribution:
        return None
    buckets = defaultdict(int)
    for rounds, count in stats.rounds_distribution.items():
        buckets[min(rounds, 4)] += count
    labels = ("1 round", "2 rounds", "3 rounds", "4+ rounds")
    values = tuple(buckets.get(n, 0) for n in range(1, 5))
    svg = _bar(
        "Rounds to acceptance (accepted deliverables, all time)",
        labels,
        (("Deliverables", values),),
        "deliverables",
        False,
        "Number of accepted deliverables by review rounds needed (1, 2, 3, 4 or more), "
        "all time: " + ", ".join(f"{name} {n}" for name, n in zip(labels, values, strict=True)),
    )
    return Markup(svg)  # noqa: S704 - SVG produced by pygal from numbers and fixed labels


def quality_over_time_chart(rounds: list[Round]) -> Markup | None:
    """Mean round quality score (0-100) per month reviewed; None when nothing is scored."""
    by_month: dict[date, list[float]] = defaultdict(list)
    for r in rounds:
        if r.reviewed_on is not None and r.quality is not None:
            by_month[r.reviewed_on.replace(day=1)].append(r.quality)
    if not by_month:
        return None
    months = _month_range(min(by_month), max(by_month))
    labels = tuple(m.strftime("%b %Y") for m in months)
    values = tuple(round(fmean(by_month[m]), 1) if m in by_month else None for m in months)
    about = (
        f"Mean quality score (0 to 100) of the review rounds per month reviewed, "
        f"{labels[0]} to {labels[-1]}; months without a scored round are gaps"
    )
    svg = _line("Round quality score by month reviewed (0-100)", labels, values, "score", about)
    return Markup(svg)  # noqa: S704 - SVG produced by pygal from numbers and month labels


def review_vs_rework_chart(items: list[tuple[str, int, int]]) -> Markup | None:
    """Days in client review vs provider rework per deliverable: (title, review, rework)."""
    shown = [i for i in items if i[1] or i[2]]
    if not shown:
        return None
    labels = tuple(_short(title) for title, _r, _w in shown)
    series = (
        ("Client review (days)", tuple(r for _t, r, _w in shown)),
        ("Provider rework (days)", tuple(w for _t, _r, w in shown)),
    )
    about = (
        f"Days in client review and days in provider rework for each of {len(shown)} "
        "deliverables, side by side"
    )
    svg = _bar("Where the days went, per deliverable", labels, series, "days", True, about)
    return Markup(svg)  # noqa: S704 - pygal escapes the titles it places in the SVG


@lru_cache(maxsize=1)
def no_data_chart() -> str:
    """An empty chart that says "no data"."""
    chart = new_chart(Bar, description="no data", show_legend=False, **SIZE)
    return render_svg(chart)


def _short(title: str, limit: int = 22) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _month_range(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months
