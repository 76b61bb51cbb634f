"""Modules stay small and functions simple (see ARCHITECTURE.md): the suite holds the limits."""

from pathlib import Path

import pytest
from radon.complexity import cc_visit
from radon.visitors import Class, Function

PACKAGE = Path(__file__).resolve().parents[2] / "vendor_tracker"
MAX_LINES = 400
MAX_COMPLEXITY = 20


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def oversized_modules() -> list[str]:
    """'module: N lines' for each module over MAX_LINES physical lines."""
    found = []
    for path in _modules():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            found.append(f"{_name(path)}: {lines} lines")
    return found


def _functions(block):
    """The function or method `block` is, with its closures; a class's methods, inner ones too."""
    if isinstance(block, Function):
        yield block
        for closure in block.closures:
            yield from _functions(closure)
    elif isinstance(block, Class):
        for child in [*block.methods, *block.inner_classes]:
            yield from _functions(child)


def functions_over(source: str, limit: int) -> list[tuple[int, str, int]]:
    """(line, name, complexity) of each function, method or closure in `source` above `limit`."""
    found = []
    # cc_visit lists top-level functions, classes and (again) their methods: skip the latter.
    for block in cc_visit(source):
        if isinstance(block, Function) and block.is_method:
            continue
        found += [
            (f.lineno, f.fullname, f.complexity) for f in _functions(block) if f.complexity > limit
        ]
    return found


def complex_functions() -> list[str]:
    """'module:line function: CC N' for each function or method above MAX_COMPLEXITY."""
    return [
        f"{_name(path)}:{line} {name}: CC {complexity}"
        for path in _modules()
        for line, name, complexity in functions_over(
            path.read_text(encoding="utf-8"), MAX_COMPLEXITY
        )
    ]


def test_the_complexity_check_sees_functions_methods_and_closures():
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(3))
    source = (
        f"def top(x):\n{branches}"
        f"class Outer:\n    class Inner:\n        def method(self, x):\n"
        + branches.replace("    ", "            ")
        + f"def outer():\n    def closure(x):\n{branches.replace('    ', '        ')}"
        "    return closure\n"
    )
    found = {name: complexity for _line, name, complexity in functions_over(source, 3)}
    assert found == {"top": 4, "Inner.method": 4, "closure": 4}
    assert functions_over(source, 4) == []


def test_no_module_over_the_line_limit():
    too_long = oversized_modules()
    if too_long:
        pytest.fail(f"modules over {MAX_LINES} lines:\n" + "\n".join(too_long), pytrace=False)


def test_no_function_over_the_complexity_limit():
    too_complex = complex_functions()
    if too_complex:
        heading = f"functions with cyclomatic complexity over {MAX_COMPLEXITY}:\n"
        pytest.fail(heading + "\n".join(too_complex), pytrace=False)
