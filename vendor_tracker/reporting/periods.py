"""Pure reporting periods: calendar quarters (cut at today while they run), the trailing twelve
months, and parsing a period a person typed."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

TRAILING_KEY = "ttm"  # the trailing twelve months' key: its span moves with the day


@dataclass(frozen=True)
class Period:
    """A reporting period: calendar days [first_day, last_day] and its months."""

    key: str  # "2026-Q3" or "ttm"
    label: str  # "Q3 2026 (Jul – Sep)" or "12 months Nov 2025 – Oct 2026"
    first_day: date
    last_day: date

    @property
    def first_month(self) -> date:
        return self.first_day.replace(day=1)

    @property
    def last_month(self) -> date:
        return self.last_day.replace(day=1)


def _month_start(year: int, month_index: int) -> date:
    """First day of month `month_index` (0-based, may overflow) counted from January of `year`."""
    return date(year + month_index // 12, month_index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first.year, first.month) - timedelta(days=1)


def quarter_of(day: date) -> tuple[int, int]:
    """(year, quarter 1..4) of a day."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_period(year: int, quarter: int, today: date | None = None) -> Period:
    """A calendar quarter, cut at `today` when it is still running (data cannot exist after)."""
    if not 1 <= quarter <= 4:
        raise ValueError("A quarter is 1 to 4.")
    first = date(year, 3 * quarter - 2, 1)
    last = _month_end(_month_start(year, 3 * quarter - 1))
    if today is not None and first <= today < last:
        last = today
    months = f"{first:%b} – {_month_end(_month_start(year, 3 * quarter - 1)):%b}"
    return Period(f"{year}-Q{quarter}", f"Q{quarter} {year} ({months})", first, last)


def current_quarter(today: date) -> Period:
    """The running calendar quarter, to date."""
    return quarter_period(*quarter_of(today), today=today)


def previous_quarter(period_or_day: Period | date) -> Period:
    """The whole quarter before a period's (or a day's) quarter."""
    day = period_or_day.first_day if isinstance(period_or_day, Period) else period_or_day
    year, quarter = quarter_of(day)
    return quarter_period(year - 1, 4) if quarter == 1 else quarter_period(year, quarter - 1)


def trailing_twelve_months(today: date) -> Period:
    """The 12 whole calendar months before the current month."""
    first = _month_start(today.year, today.month - 1 - 12)
    last = today.replace(day=1) - timedelta(days=1)
    return Period(TRAILING_KEY, f"12 months {first:%b %Y} – {last:%b %Y}", first, last)


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_period(text: str | None, today: date) -> Period:
    """'2026-Q3' or 'ttm' (case-insensitive); empty means the current quarter.

    Raises ValueError with a reason a person can act on.
    """
    raw = (text or "").strip().upper()
    if not raw:
        return current_quarter(today)
    if raw == "TTM":
        return trailing_twelve_months(today)
    match = _QUARTER.match(raw)
    if not match:
        raise ValueError("Use a quarter such as 2026-Q3, or ttm for the trailing 12 months.")
    year, quarter = int(match.group(1)), int(match.group(2))
    if year < 2000:
        raise ValueError("Choose a quarter from the year 2000 on.")
    period = quarter_period(year, quarter, today)
    if period.first_day > today:
        raise ValueError("That quarter has not started yet.")
    return period


def recent_quarters(today: date, count: int = 8) -> list[Period]:
    """The current quarter and the `count - 1` before it, newest first."""
    periods = [current_quarter(today)]
    while len(periods) < count:
        periods.append(previous_quarter(periods[-1]))
    return periods
