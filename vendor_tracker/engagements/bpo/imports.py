"""CSV import of monthly results: parse the file into rows for the one results planner.

Columns: service_level, period, actual, volume, note. Service levels by name or id. Every row is
checked first (`results.plan_results`); if any is wrong, nothing is written.
"""

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from vendor_tracker.engagements.bpo import writes
from vendor_tracker.engagements.bpo.results import (
    IncomingRow,
    Intent,
    Problem,
    ResultPlan,
)
from vendor_tracker.engagements.bpo.sla import Source
from vendor_tracker.engagements.models import Engagement

REQUIRED_COLUMNS = ("service_level", "period", "actual")
OPTIONAL_COLUMNS = ("volume", "note")
MAX_REPORTED_PROBLEMS = 200


def _header_problem(header: list[str] | None) -> str | None:
    if not header or not any(cell.strip() for cell in header):
        return "The file is empty; the first line names the columns."
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        return (
            f"Missing column {', '.join(missing)}; the header needs "
            + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
            + "."
        )
    return None


def parse_csv(data: bytes) -> tuple[list[IncomingRow], list[Problem]]:
    """The file's result rows (each with its line number), or the problems of the file itself."""
    try:
        text = data.decode("utf-8-sig")  # the BOM spreadsheet programs write is optional
    except UnicodeDecodeError as problem:
        return [], [Problem(1, "file", f"The file is not UTF-8 text (byte {problem.start}).")]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as problem:
        return [], [Problem(1, "file", f"This is not a readable CSV file: {problem}.")]
    if reason := _header_problem(header):
        return [], [Problem(1, "file", reason)]
    names = [cell.strip().lower() for cell in header]
    width = len(names)
    i_level, i_period, i_actual = (names.index(c) for c in REQUIRED_COLUMNS)
    i_volume = names.index("volume") if "volume" in names else None
    i_note = names.index("note") if "note" in names else None
    rows: list[IncomingRow] = []
    append, new_row = rows.append, tuple.__new__  # IncomingRow(...) without its Python __new__
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if len(cells) < width:  # the header has 3 columns or more, so blank lines land here
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                cells = cells + [""] * (width - len(cells))
            append(
                new_row(
                    IncomingRow,
                    (
                        line,
                        cells[i_level],
                        cells[i_period].strip(),
                        cells[i_actual],
                        cells[i_volume] if i_volume is not None else None,
                        cells[i_note] if i_note is not None else "",
                        None,
                        False,
                    ),
                )
            )
    except csv.Error as problem:
        return rows, [Problem(line + 1, "file", f"This line cannot be read as CSV: {problem}.")]
    if not rows:
        return rows, [Problem(2, "file", "The file holds no results below its header.")]
    return rows, []


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a file is read, planned and written.

    The rows of a large file are tens of thousands of new tuples; each 700 allocations start a
    collection, and the older generations' collections walk every object of the process: about
    half of the import's time, for rows that hold no reference cycle. Collection resumes after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_results(
    engagement: Engagement,
    data: bytes,
    replace_existing: bool,
    user_id: int | None,
    actor: str,
    today: date,
    filename: str = "",
    source: Source = Source.IMPORT,
) -> ResultPlan:
    """Parse, plan and (when every row is right) write in bulk with one summarising audit
    event; the caller commits. Returns the plan, whose problems say why nothing was written.
    `source` is `provider` when the provider's user imports."""
    with cyclic_gc_paused():
        return _import(engagement, data, replace_existing, user_id, actor, today, filename, source)


def _import(engagement, data, replace_existing, user_id, actor, today, filename, source):
    rows, file_problems = parse_csv(data)
    plan = writes.plan_writes(
        engagement,
        rows,
        Intent.REPLACE if replace_existing else Intent.ADD,
        today,
        row_word="Line",
        max_problems=MAX_REPORTED_PROBLEMS,
    )
    if file_problems:
        return replace(
            plan,
            problems=(plan.problems + tuple(file_problems))[:MAX_REPORTED_PROBLEMS],
            problem_total=plan.problem_total + len(file_problems),
        )
    if plan.ok:
        writes.apply_plan(engagement, plan, source, user_id, actor, bulk=True, filename=filename)
    return plan
