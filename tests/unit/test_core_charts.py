"""The shared chart helper: pygal imported once, its import hook gone, SVG with no script."""

import importlib
import pathlib
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
