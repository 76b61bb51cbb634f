"""Selection reads its neighbours directly and keeps its modules small."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2] / "vendor_tracker"
LIMIT = 400  # lines: "a few hundred" per module


def _selection_modules():
    return sorted([*(ROOT / "selection").rglob("*.py"), *(ROOT / "api" / "selection").glob("*.py")])


def test_selection_imports_the_packages_it_reads_without_fallbacks():
    hedged = [
        path.name
        for path in _selection_modules()
        if any(
            word in path.read_text(encoding="utf-8")
            for word in ("ModuleNotFoundError", "ImportError", "import_module")
        )
    ]
    assert hedged == []


def test_selection_modules_stay_small():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in _selection_modules()
    }
    assert {
        "selection/routes/award.py",
        "selection/routes/evaluation.py",
        "api/selection/schemas.py",
    } <= set(sizes)
    too_long = {name: size for name, size in sizes.items() if size > LIMIT}
    assert too_long == {}
