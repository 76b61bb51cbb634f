"""Pure service-level rules: month status, attainment and coverage, validation of levels.

Plain values and frozen dataclasses in, results out; the standard library only. Pages, the API
and the exports all call these functions, so a month reads the same everywhere.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

MAX_ALLOCATION_TOTAL = Decimal("500")
PERCENT_UNITS = frozenset({"%", "percent"})
# Worst first: a breach outweighs a gap, a gap outweighs a warning.
SEVERITY = {"breach": 4, "not_reported": 3, "warning": 2, "met": 1, "open": 0}


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return {
            "higher": "Higher is better (actual ≥ level)",
            "lower": "Lower is better (actual ≤ level)",
        }[self.value]

    @property
    def symbol(self) -> str:
        return "≥" if self is Direction.HIGHER else "≤"


class Classification(StrEnum):
    CRITICAL = "critical"
    KEY = "key"

    @property
    def label(self) -> str:
        return {"critical": "Critical (carries credits)", "key": "Key (reported only)"}[self.value]


class MonthStatus(StrEnum):
    MET = "met"
    WARNING = "warning"
    BREACH = "breach"
    NOT_REPORTED = "not_reported"
    OPEN = "open"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def counted(self) -> bool:
        """Months that count towards coverage (every one but the open current month)."""
        return self is not MonthStatus.OPEN

    @property
    def reported(self) -> bool:
        return self in (MonthStatus.MET, MonthStatus.WARNING, MonthStatus.BREACH)


class Source(StrEnum):
    FORM = "form"
    IMPORT = "import"
    API = "api"
    PROVIDER = "provider"  # the provider's own user, by any of the three writers


@dataclass(frozen=True)
class LevelTerms:
    """What a service level promises: direction, target and optional minimum (the floor)."""

    direction: Direction
    target: Decimal
    minimum: Decimal | None = None
    classification: Classification = Classification.KEY
    allocation_pct: Decimal | None = None


# --- months -----------------------------------------------------------------------------


def first_of_month(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def shift_month(month: date, count: int) -> date:
    """The first day of the month `count` months after `month` (negative goes back)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of every month from `first`'s month to `last`'s month, both included."""
    months, month, end = [], first_of_month(first), first_of_month(last)
    while month <= end:
        months.append(month)
        month = shift_month(month, 1)
    return months


def parse_period(text: str) -> date | None:
    """'2026-03' -> date(2026, 3, 1); None when it is not a YYYY-MM month."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-" or not text.isascii():
        return None
    if not (text[:4].isdecimal() and text[5:].isdecimal()):
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        return None
    return date(year, month, 1)


def active_months(
    start: date, end: date | None, first: date, last: date, today: date
) -> list[date]:
    """Months of [first, last] that the engagement window touches and that have begun."""
    low = max(first_of_month(first), first_of_month(start))
    high = first_of_month(last)
    if end is not None:
        high = min(high, first_of_month(end))
    high = min(high, first_of_month(today))
    return months_between(low, high) if low <= high else []


@dataclass(frozen=True)
class Window:
    """The months an engagement takes results for: from its start month to its end month,
    and never past the current month."""

    start: date
    end: date | None
    current: date

    @classmethod
    def of(cls, start_date: date, end_date: date | None, today: date) -> "Window":
        """The window of an engagement running from `start_date` to `end_date`, as of today."""
        end = first_of_month(end_date) if end_date else None
        return cls(first_of_month(start_date), end, first_of_month(today))

    @property
    def last(self) -> date:
        """The latest month that takes results."""
        return min(self.current, self.end) if self.end else self.current

    def problem(self, month: date) -> str | None:
        """Why `month` takes no results, or None when it does."""
        if month < self.start:
            return f"The engagement starts in {self.start:%b %Y}."
        if self.end is not None and month > self.end:
            return f"The engagement ended in {self.end:%b %Y}."
        if month > self.current:
            return f"This month has not begun yet. Results can be given up to {self.last:%b %Y}."
        return None

    def months(self) -> list[date]:
        """Every month of the window, newest first."""
        found, month = [], self.last
        while month >= self.start:
            found.append(month)
            month = shift_month(month, -1)
        return found


# --- status -------------------------------------------------------------------------------


def meets(direction: Direction, actual: Decimal, level: Decimal) -> bool:
    """True when `actual` is at least as good as `level` (boundary values meet)."""
    return actual >= level if direction is Direction.HIGHER else actual <= level


def result_status(terms: LevelTerms, actual: Decimal) -> MonthStatus:
    """Met, warning (misses target, meets the minimum) or breach for a reported value."""
    if meets(terms.direction, actual, terms.target):
        return MonthStatus.MET
    if terms.minimum is not None and meets(terms.direction, actual, terms.minimum):
        return MonthStatus.WARNING
    return MonthStatus.BREACH


def month_status(
    terms: LevelTerms, actual: Decimal | None, month: date, today: date
) -> MonthStatus:
    """A month's status; without a result, an ended month is not reported, the current is open."""
    if actual is not None:
        return result_status(terms, actual)
    if first_of_month(month) >= first_of_month(today):
        return MonthStatus.OPEN
    return MonthStatus.NOT_REPORTED


def worst_status(statuses: Iterable[MonthStatus]) -> MonthStatus | None:
    """The most severe status (breach > not reported > warning > met > open); None if empty."""
    found = list(statuses)
    return max(found, key=lambda s: SEVERITY[s.value]) if found else None


@dataclass(frozen=True)
class Attainment:
    """Met months over reported months, with coverage: reported over expected months."""

    met: int
    reported: int
    expected: int

    @property
    def rate(self) -> float | None:
        """Percent of reported months that met the target; None when nothing was reported."""
        return 100.0 * self.met / self.reported if self.reported else None

    @property
    def coverage(self) -> float | None:
        """Percent of expected months that were reported; None when no month was expected."""
        return 100.0 * self.reported / self.expected if self.expected else None

    def __add__(self, other: "Attainment") -> "Attainment":
        return Attainment(
            self.met + other.met, self.reported + other.reported, self.expected + other.expected
        )


NO_ATTAINMENT = Attainment(0, 0, 0)


def attainment(statuses: Iterable[MonthStatus]) -> Attainment:
    """Count met, reported and expected months; open months are not counted at all."""
    met = reported = expected = 0
    for status in statuses:
        if not status.counted:
            continue
        expected += 1
        if status.reported:
            reported += 1
            met += status is MonthStatus.MET
    return Attainment(met, reported, expected)


# --- validation --------------------------------------------------------------------------


def is_percent_unit(unit: str) -> bool:
    return (unit or "").strip().lower() in PERCENT_UNITS


def to_decimal(value) -> Decimal | None:
    """A finite Decimal from text or a number; None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def value_problem(unit: str, value: Decimal) -> str | None:
    """Why a value does not fit its unit: percentages lie in 0..100, times and counts are >= 0."""
    if is_percent_unit(unit):
        if not Decimal(0) <= value <= Decimal(100):
            return "A percentage must lie between 0 and 100."
    elif value < 0:
        return f"A value in {unit or 'this unit'} cannot be negative."
    if abs(value) >= Decimal("1e10"):
        return "This value is too large."
    return None


def level_problems(
    unit: str,
    direction: Direction,
    target: Decimal | None,
    minimum: Decimal | None,
    classification: Classification,
    allocation_pct: Decimal | None,
    other_allocations_total: Decimal = Decimal(0),
) -> dict[str, str]:
    """Field errors for a service level, including the engagement's allocation total."""
    problems: dict[str, str] = {}
    if target is None:
        problems["target"] = "Give the target level."
    elif problem := value_problem(unit, target):
        problems["target"] = problem
    if minimum is not None:
        if problem := value_problem(unit, minimum):
            problems["minimum"] = problem
        elif target is not None and direction is Direction.HIGHER and minimum > target:
            problems["minimum"] = "When higher is better the minimum cannot be above the target."
        elif target is not None and direction is Direction.LOWER and minimum < target:
            problems["minimum"] = "When lower is better the minimum cannot be below the target."
    if classification is Classification.CRITICAL:
        if allocation_pct is None:
            problems["allocation_pct"] = "A critical service level needs a credit allocation %."
        elif not Decimal(0) < allocation_pct <= MAX_ALLOCATION_TOTAL:
            problems["allocation_pct"] = "The allocation must lie above 0 and at most 500 %."
        elif other_allocations_total + allocation_pct > MAX_ALLOCATION_TOTAL:
            problems["allocation_pct"] = allocation_total_problem(
                other_allocations_total + allocation_pct
            )
    elif allocation_pct not in (None, Decimal(0)):
        problems["allocation_pct"] = "Only critical service levels carry a credit allocation."
    return problems


def allocation_total_problem(total: Decimal) -> str | None:
    """Pool allocations may exceed 100 % (250 % is common) but never 500 %."""
    if total > MAX_ALLOCATION_TOTAL:
        return (
            f"The critical service levels would share {total.normalize():f} % of the at-risk "
            f"pool; the total may not exceed {MAX_ALLOCATION_TOTAL} %."
        )
    return None
