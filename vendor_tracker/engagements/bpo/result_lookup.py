"""Service levels and months as a writer names them, found once per distinct name or month.

Pure: the standard library and the SLA rules only. The results planner (`results.py`) looks up
every row's level and month here; a file names few of each many times, so each distinct text is
read, and its month judged against the engagement's window, only once.
"""

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from vendor_tracker.engagements.bpo.sla import Window, is_percent_unit, parse_period


class LevelSpec(NamedTuple):
    """A service level as the planner needs it."""

    id: int
    name: str
    unit: str


class LevelFinder:
    """Service levels found by id, or by name or id written as text (names ignore case)."""

    def __init__(self, levels: Iterable[LevelSpec]):
        levels = list(levels)
        self.by_id = {lv.id: lv for lv in levels}
        self.by_text = {str(lv.id): lv for lv in levels}
        # A name wins over an id written as text, as the file format says.
        self.by_text.update({lv.name.strip().lower(): lv for lv in levels})
        self.percent = {lv.id: is_percent_unit(lv.unit) for lv in levels}
        self.found: dict[str, tuple[LevelSpec | None, str | None]] = {}

    def find(self, raw: int | str) -> tuple[LevelSpec | None, str | None]:
        if isinstance(raw, str):  # a file names few levels many times: look each up once
            found = self.found.get(raw)
            if found is None:
                found = self.found[raw] = self._find(raw)
            return found
        return self._find(raw)

    def _find(self, raw: int | str) -> tuple[LevelSpec | None, str | None]:
        if isinstance(raw, int) and not isinstance(raw, bool):
            level = self.by_id.get(raw)
            return level, None if level else f"No service level numbered {raw} on this engagement."
        text = str(raw).strip()
        level = self.by_text.get(text.lower())
        if level is None:
            return None, f"No service level named or numbered “{text[:60]}” on this engagement."
        return level, None


class MonthFinder:
    """Months found once per distinct text or date (a file holds few), checked against the
    window."""

    def __init__(self, window: Window):
        self.window = window
        self.found: dict[date | str, tuple[date | None, str | None]] = {}

    def find(self, raw: date | str) -> tuple[date | None, str | None]:
        if not isinstance(raw, str | date):
            return self._find(raw)
        found = self.found.get(raw)
        if found is None:
            found = self.found[raw] = self._find(raw)
        return found

    def _find(self, raw: date | str) -> tuple[date | None, str | None]:
        month = raw if isinstance(raw, date) else parse_period(raw)
        if month is None:
            return None, f"“{str(raw).strip()[:20]}” is not a month as YYYY-MM."
        problem = self.window.problem(month)
        return (None, problem) if problem else (month, None)
