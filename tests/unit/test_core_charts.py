"""The shared chart helper: pygal imported once, its import hook gone, SVG with no script."""

import importlib
import pathlib
import re
import sys
import warnings

import pytest

from vendor_tracker.core import charts


def test_pygals_import_hook_is_removed():
    assert not [f for f in sys.meta_path if type(f).__name__ == "PluginImportFixer"]


def test_a_failed_optional_import_raises_no_import_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ModuleNotFoundError):
            importlib.import_module("surely_not_an_installed_module_4711")


def test_render_svg_is_inline_svg_without_script_or_cdn():
    chart = charts.new_chart(charts.Line, title="Calls answered in 20 s (%), by month")
    chart.x_labels = ["Jan 26", "Feb 26"]
    chart.add("Actual", [91.5, None], allow_interruptions=True)
    svg = charts.render_svg(chart)
    assert svg.startswith("<svg")
    assert "<script" not in svg and "kozea.github.io" not in svg
    assert "Calls answered in 20 s (%), by month" in svg


def test_an_empty_chart_says_no_data():
    svg = charts.render_svg(charts.new_chart(charts.Bar))
    assert "no data" in svg


def test_only_the_core_chart_module_imports_pygal():
    root = pathlib.Path(__file__).resolve().parents[2] / "vendor_tracker"
    importers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "import pygal" in path.read_text(encoding="utf-8")
        or "from pygal" in path.read_text(encoding="utf-8")
    )
    assert importers == ["core/charts.py"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(12500, "12,500"), (1234567.0, "1,234,567"), (92.5, "92.5"), (0.25, "0.25"), (3.0, "3")],
)
def test_numbers_carry_thousands_separators_and_no_needless_decimals(value, shown):
    assert charts.format_number(value) == shown


def test_format_number_of_nothing_is_empty():
    assert charts.format_number(None) == ""


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (0, [0, 1]),
        (0.4, [0, 1]),
        (1, [0, 1]),
        (3, [0, 1, 2, 3]),
        (5, [0, 1, 2, 3, 4, 5]),
        (7, [0, 2, 4, 6, 8]),
        (10, [0, 2, 4, 6, 8, 10]),
        (11, [0, 5, 10, 15]),
        (48, [0, 10, 20, 30, 40, 50]),
        (12_000, [0, 5_000, 10_000, 15_000]),
    ],
)
def test_count_axes_tick_whole_numbers_from_zero_past_the_peak(peak, ticks):
    assert charts.whole_number_ticks(peak) == ticks


def test_count_ticks_stay_within_the_limit_and_cover_the_peak():
    for peak in [0, 1, 2, 6, 9, 13, 99, 101, 999, 1_001, 123_456]:
        ticks = charts.whole_number_ticks(peak)
        assert len(ticks) <= 6 and ticks[0] == 0 and ticks[-1] >= peak
        assert all(isinstance(t, int) for t in ticks)


def test_legend_columns_fit_the_longest_name_in_the_width():
    assert charts.legend_columns([], 640) == 1
    assert charts.legend_columns(["Actual", "Target", "Minimum"], 640) == 3
    # 40 characters at about 6.8 px each plus the swatch: two fit in 720 px, not three.
    long_names = ["x" * 40, "y" * 40, "z" * 40]
    assert charts.legend_columns(long_names, 720) == 2
    assert charts.legend_columns(["x" * 200], 640) == 1


def _y_labels(svg: str) -> list[str]:
    axis = svg.split('class="axis y')[1].split("</g></g>")[0]
    return re.findall(r"<text[^>]*>([^<]*)</text>", axis)


def test_a_chart_of_counts_has_whole_numbers_on_its_axis():
    chart = charts.new_chart(charts.Bar, title="Rounds", counts=True)
    chart.x_labels = ["1 round", "2 rounds"]
    chart.add("Deliverables", [1, 0])
    labels = _y_labels(charts.render_svg(chart))
    assert labels == ["0", "1"]


def test_a_stacked_chart_of_counts_scales_to_its_highest_stack():
    chart = charts.new_chart(charts.StackedBar, title="Items", counts=True)
    chart.x_labels = ["Jan", "Feb"]
    chart.add("A", [3, 1])
    chart.add("B", [4, None])
    assert _y_labels(charts.render_svg(chart)) == ["0", "2", "4", "6", "8"]


def test_axis_labels_carry_thousands_separators():
    chart = charts.new_chart(charts.Line, title="Volume")
    chart.x_labels = ["Jan", "Feb"]
    chart.add("Calls", [12_000, 15_500])
    labels = _y_labels(charts.render_svg(chart))
    assert "12,000" in labels and not any(re.fullmatch(r"\d{4,}", label) for label in labels)


def test_every_chart_is_an_image_named_by_its_title_and_description():
    chart = charts.new_chart(
        charts.Line,
        title="Calls answered in 20 s (%), by month",
        description="Monthly actual in % against the target of 80 %, Jan 2026 to Feb 2026",
    )
    chart.x_labels = ["Jan 26", "Feb 26"]
    chart.add("Actual", [91.5, 79.0])
    svg = charts.render_svg(chart)
    root = svg.split(">", 1)[0]
    assert 'role="img"' in root
    assert (
        'aria-label="Calls answered in 20 s (%), by month. Monthly actual in % against the '
        'target of 80 %, Jan 2026 to Feb 2026"' in root
    )
    assert "<title>Calls answered in 20 s (%), by month</title><desc>Monthly actual" in svg


def test_a_chart_without_title_still_has_a_text_alternative():
    svg = charts.render_svg(charts.new_chart(charts.Bar, description="no data"))
    assert 'role="img" aria-label="no data"' in svg.split(">", 1)[0]
