"""The one plan for writing monthly results, whoever writes them.

Every writer (the monthly form, the CSV import, the API) only parses its input into
`IncomingRow`s and calls `plan_results`, which decides for all of them what a bad value, a
duplicate, a conflict, a replacement, an unchanged row and a clear are. The plan says what to
insert, update, clear and leave, and the problems by row and field, in the same words for every
writer. Pure: the standard library, the SLA rules and the text rule only.

An empty input never deletes anything: a stored result is removed only when its row asks for
it with `clear=True`.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple

from vendor_tracker.core.text import text_problem
from vendor_tracker.engagements.bpo.result_lookup import LevelFinder, LevelSpec, MonthFinder
from vendor_tracker.engagements.bpo.sla import Window, to_decimal, value_problem

NOTE_MAX = 2000
VOLUME_MAX = 2_000_000_000

VOLUME_PROBLEM = "The volume is a whole number, 0 or more."
VOLUME_TOO_LARGE = "This volume is too large."
NOTE_TOO_LONG = f"Use at most {NOTE_MAX} characters."
ACTUAL_MISSING = "Give the result with its volume or note."


class Intent(StrEnum):
    """What the writer wants done with a month that already holds a different result."""

    ADD = "add"  # a conflict: nothing is overwritten without asking
    REPLACE = "replace"  # overwrite it


class ProblemKind(StrEnum):
    INVALID = "invalid"  # the input itself is wrong
    CONFLICT = "conflict"  # a different result is stored and the intent is ADD
    STALE = "stale"  # the result changed since the writer read it


class StoredResult(NamedTuple):
    """A result already stored for (service level, month)."""

    id: int
    level_id: int
    period: date
    actual: Decimal
    volume: int | None
    note: str
    version: int


class IncomingRow(NamedTuple):
    """One result as a writer read it: text from a form or file, or values from JSON.

    `ref` is how the writer points its user at the row (a file's line, a list index, a form
    row); `level` is a service level id (int) or its name or id as text; `actual` None or blank
    means no result was given; `version` is the stored version the user read (forms only);
    `clear` asks to remove the stored result.
    """

    ref: int
    level: int | str
    period: date | str
    actual: Decimal | str | None
    volume: int | str | None = None
    note: str | None = ""
    version: int | None = None
    clear: bool = False


class Problem(NamedTuple):
    """Why one row cannot be written: the row's ref, the field and the reason."""

    ref: int
    field: str
    reason: str
    kind: ProblemKind = ProblemKind.INVALID


class ResultValues(NamedTuple):
    """The validated values of one result."""

    level_id: int
    period: date
    actual: Decimal
    volume: int | None
    note: str


@dataclass(frozen=True)
class ResultPlan:
    """What writing the rows would do, or the problems that stop it (then nothing is written)."""

    insert: tuple[ResultValues, ...] = ()
    update: tuple[tuple[StoredResult, ResultValues], ...] = ()
    clear: tuple[StoredResult, ...] = ()
    unchanged: int = 0
    kept_blank: int = 0
    problems: tuple[Problem, ...] = ()
    problem_total: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_total == 0

    @property
    def rows(self) -> int:
        """Rows that were planned: written, cleared or left as they are."""
        return len(self.insert) + len(self.update) + len(self.clear) + self.unchanged

    @property
    def stored_affected(self) -> int:
        """Stored results this plan would change or remove."""
        return len(self.update) + len(self.clear)

    @property
    def periods(self) -> list[date]:
        """The months the plan writes or clears, in order."""
        return list(self._periods)

    @cached_property
    def _periods(self) -> tuple[date, ...]:  # a file's plan is asked several times
        months = set(map(itemgetter(1), self.insert))
        months.update(v.period for _s, v in self.update)
        months.update(s.period for s in self.clear)
        return tuple(sorted(months))

    @property
    def kinds(self) -> set[ProblemKind]:
        return {p.kind for p in self.problems}

    def fingerprint(self) -> str:
        """A short digest of what the plan does to stored results: a confirmation given for
        one plan never applies to another."""
        changes = [(s.id, s.version, str(v.actual), v.volume, v.note) for s, v in self.update]
        changes += [(s.id, s.version, "clear") for s in self.clear]
        return hashlib.sha256(repr(sorted(changes)).encode()).hexdigest()[:16]


ZERO, HUNDRED, LARGE = Decimal(0), Decimal(100), Decimal("1e10")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _actual(level: LevelSpec | None, percent: bool, raw) -> tuple[Decimal | None, str | None]:
    if isinstance(raw, str):  # the common case, without to_decimal's extra copies
        try:
            actual = Decimal(raw)  # surrounding spaces are allowed
        except InvalidOperation:
            actual = None
    else:
        actual = raw if isinstance(raw, Decimal) else to_decimal(raw)
    unit = level.unit if level else ""
    if actual is None or not actual.is_finite():
        return None, f"Give the result as a number in {unit or 'its unit'} (a dot for decimals)."
    if level is None:
        return actual, None
    # The common case checked inline (a file has many rows); value_problem words the others.
    if percent:
        if ZERO <= actual <= HUNDRED:
            return actual, None
    elif ZERO <= actual < LARGE:
        return actual, None
    return None, value_problem(unit, actual) or "This value is not valid."


def _volume(raw) -> tuple[int | None, str | None]:
    if isinstance(raw, str) and raw.isascii() and raw.isdecimal():  # the common case, quickly
        number = int(raw)
        return (number, None) if number <= VOLUME_MAX else (None, VOLUME_TOO_LARGE)
    if _blank(raw):
        return None, None
    number = Decimal(raw) if isinstance(raw, int) else to_decimal(raw)
    if number is None or number < 0 or number != number.to_integral_value():
        return None, VOLUME_PROBLEM
    if number > VOLUME_MAX:
        return None, VOLUME_TOO_LARGE
    return int(number), None


def _stale(version: int | None, stored: StoredResult | None) -> str | None:
    if stored is None:
        return "Someone cleared this result meanwhile; reload the month." if version else None
    if version != stored.version:
        return (
            f"Someone changed this result meanwhile (now {stored.actual.normalize():f}); "
            "reload the month."
        )
    return None


class _Planner:
    """The bookkeeping of one planning run."""

    def __init__(self, max_problems: int | None):
        self.max_problems = max_problems
        self.insert: list[ResultValues] = []
        self.update: list[tuple[StoredResult, ResultValues]] = []
        self.clear: list[StoredResult] = []
        self.unchanged = 0
        self.kept_blank = 0
        self.problems: list[Problem] = []
        self.problem_total = 0
        # A file repeats few distinct values many times: each is read and judged once.
        self.actuals: dict[tuple[str, str | None], tuple[Decimal | None, str | None]] = {}
        self.volumes: dict[str, tuple[int | None, str | None]] = {}

    def fail(self, ref: int, field: str, reason: str, kind=ProblemKind.INVALID) -> None:
        self.problem_total += 1
        if self.max_problems is None or len(self.problems) < self.max_problems:
            self.problems.append(Problem(ref, field, reason, kind))

    def plan(self) -> ResultPlan:
        return ResultPlan(
            tuple(self.insert),
            tuple(self.update),
            tuple(self.clear),
            self.unchanged,
            self.kept_blank,
            tuple(self.problems),
            self.problem_total,
        )


def plan_results(
    levels: Iterable[LevelSpec],
    window: Window,
    stored: Mapping[tuple[int, date], StoredResult],
    rows: Iterable[IncomingRow],
    intent: Intent,
    *,
    row_word: str = "Line",
    blank_keeps: bool = False,
    check_versions: bool = False,
    max_problems: int | None = None,
) -> ResultPlan:
    """Plan writing `rows` over the `stored` results of an engagement.

    A row equal to its stored result is unchanged (writing the same input twice changes
    nothing); a different one is updated under `Intent.REPLACE` and a conflict under
    `Intent.ADD`. With `blank_keeps` (a form listing every level) a row without a result is no
    input, and never clears what is stored; elsewhere a result is required. `check_versions`
    refuses rows whose `version` is not the stored one. Two rows for the same level and month
    are a problem of the second (`row_word` names the first: "Line 2 already gives ...").
    """
    found_levels, found_months = LevelFinder(levels), MonthFinder(window)
    run = _Planner(max_problems)
    seen: dict[tuple[int, date], int] = {}
    options = (intent, row_word, check_versions)
    for row in rows:
        ref, raw_level, raw_period, raw_actual, raw_volume, raw_note, version, clear = row
        before = run.problem_total
        level, problem = found_levels.find(raw_level)
        if problem:
            run.fail(ref, "service_level", problem)
        month, problem = found_months.find(raw_period)
        if problem:
            run.fail(ref, "period", problem)
        key = (level.id, month) if level and month else None
        current = stored.get(key) if key else None
        if clear:
            if key:
                _plan_clear(run, row, current, check_versions)
        elif blank_keeps and _blank(raw_actual):
            if not (_blank(raw_volume) and _blank(raw_note)):
                run.fail(ref, "actual", ACTUAL_MISSING)
            elif current is not None:
                run.kept_blank += 1
        else:
            values = _values(run, row, level, found_levels.percent.get(key and key[0]), month)
            if values is not None and key is not None and run.problem_total == before:
                _plan_values(run, row, level.name, values, current, seen, options)
    return run.plan()


def _plan_values(run: _Planner, row, level_name, values, current, seen, options) -> None:
    """Insert, update, leave or refuse one valid row against what is stored."""
    intent, row_word, check_versions = options
    key = values[:2]
    if key in seen:
        reason = f"{row_word} {seen[key]} already gives this service level for this month."
        run.fail(row.ref, "period", reason)
        return
    seen[key] = row.ref
    if check_versions and (stale := _stale(row.version, current)):
        run.fail(row.ref, "actual", stale, ProblemKind.STALE)
    elif current is None:
        run.insert.append(values)
    elif (current.actual, current.volume, current.note) == values[2:]:
        run.unchanged += 1
    elif intent is Intent.REPLACE:
        run.update.append((current, values))
    else:
        run.fail(row.ref, "period", conflict_reason(level_name, current), ProblemKind.CONFLICT)


def conflict_reason(level_name: str, stored: StoredResult) -> str:
    """The words for a month that already holds a different result."""
    return (
        f"{level_name} already has a different result for {stored.period:%b %Y} "
        f"({stored.actual.normalize():f}); choose “replace existing” to overwrite it."
    )


def _plan_clear(run: _Planner, row: IncomingRow, current, check_versions: bool) -> None:
    if current is None:
        return  # nothing stored: clearing it changes nothing
    if check_versions and (stale := _stale(row.version, current)):
        run.fail(row.ref, "actual", stale, ProblemKind.STALE)
    else:
        run.clear.append(current)


_new_values = tuple.__new__  # ResultValues(...) without its Python __new__: once per row


def _values(run: _Planner, row: IncomingRow, level, percent, month) -> ResultValues | None:
    """The row's values, checked against the level's unit when the level is known."""
    raw = row.actual
    if isinstance(raw, str):
        key = (raw, level.unit if level else None)
        found = run.actuals.get(key) or run.actuals.setdefault(key, _actual(level, percent, raw))
    else:
        found = _actual(level, bool(percent), raw)
    actual, problem = found
    if problem:
        run.fail(row.ref, "actual", problem)
    raw = row.volume
    if isinstance(raw, str):
        volume, problem = run.volumes.get(raw) or run.volumes.setdefault(raw, _volume(raw))
    else:
        volume, problem = _volume(raw)
    if problem:
        run.fail(row.ref, "volume", problem)
    note = (row.note or "").strip()
    if len(note) > NOTE_MAX:
        run.fail(row.ref, "note", NOTE_TOO_LONG)
    elif note and (problem := text_problem(note)):
        run.fail(row.ref, "note", problem)
    if actual is None or level is None:
        return None
    return _new_values(ResultValues, (level.id, month, actual, volume, note))
