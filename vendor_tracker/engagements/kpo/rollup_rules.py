"""Pure rules of the KPO monthly rollups: per engagement and calendar month, the sums every
portfolio figure reads, and the period summary made from those sums.

A deliverable counts in the month of its due date (due, status, punctuality, review and rework
days, final quality) and, once accepted, in the month of the accepting review (accepted, first
pass, rounds, quality). Nothing here depends on today: the figures that do (overdue, punctuality
of what was never submitted) are derived by the reader from the status counts of past months
plus the running month, read live.

Means must equal `review._mean` (`statistics.fmean` of floats, rounded) to the last bit: a mean
of two-place values can fall on a .xx5 tie, where the float sum decides. `fmean` divides
`math.fsum`, the correctly rounded exact sum of the floats. Each quality q is a two-place value
whose float is a multiple of 2**-59 (q >= 0.01) or 0, so float(q) = (h * 2**59 + r) / (100 *
2**59) with h = q in hundredths and r a small integer residue (|r| <= 100 * 2**12); sums of h and
r are plain integers (summed in SQL) and give the exact float sum back, hence the same mean.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from fractions import Fraction

from vendor_tracker.engagements.kpo.contracts import KpoPeriodSums, KpoVendorSummary
from vendor_tracker.engagements.kpo.review import (
    CLOSED,
    DeliverableStatus,
    Round,
    deliverable_figures,
)

SCALE = 2**59  # every float of a two-place value from 0.01 up is a multiple of 1 / SCALE


def month_of(day: date) -> date:
    """The first day of the day's calendar month (the rollup's month key)."""
    return day.replace(day=1)


def exact_parts(value: float) -> tuple[int, int]:
    """(hundredths, residue) of a quality: float(value) == (h * SCALE + r) / (100 * SCALE)."""
    hundredths = round(Fraction(value) * 100)
    residue = Fraction(value) * 100 * SCALE - hundredths * SCALE
    # Qualities are stored with two places; anything else would not fit the integer parts.
    if hundredths / 100 != value or residue.denominator != 1 or not 0 <= hundredths <= 10000:
        raise ValueError(f"{value!r} is not a two-place quality from 0 to 100")
    return hundredths, int(residue)


def parts_sum(values: Iterable[float]) -> tuple[int, int]:
    """The sums of `exact_parts` of the values."""
    hundredths = residue = 0
    for value in values:
        h, r = exact_parts(value)
        hundredths, residue = hundredths + h, residue + r
    return hundredths, residue


def exact_mean(hundredths: int, residue: int, count: int) -> float | None:
    """`review._mean` of `count` qualities whose `parts_sum` is given: the correctly rounded sum
    (what `math.fsum` returns) divided by the count, rounded to 2 places."""
    if not count:
        return None
    total = float(Fraction(hundredths * SCALE + residue, 100 * SCALE))
    return round(total / count, 2)


def histogram_text(counts: Counter) -> str:
    """Rounds-to-acceptance counts as stored: "1:3 2:1" (rounds:count, ascending)."""
    return " ".join(f"{k}:{v}" for k, v in sorted(counts.items()) if v)


def histogram_counts(text: str) -> Counter:
    """The counts of `histogram_text`."""
    return Counter(
        {int(k): int(v) for k, v in (part.split(":") for part in (text or "").split() if part)}
    )


@dataclass(frozen=True)
class MonthFigures:
    """One engagement's sums for one calendar month."""

    # Deliverables due in the month, by their status (independent of today).
    due_not_submitted: int = 0
    due_in_review: int = 0
    due_changes_requested: int = 0
    due_accepted: int = 0
    due_rejected: int = 0
    due_on_time: int = 0  # first version submitted on or before the due date
    # Deliverables due in the month: review and rework durations, final quality once closed.
    review_days_sum: int = 0
    review_days_count: int = 0
    rework_days_sum: int = 0
    rework_days_count: int = 0
    closed_quality_count: int = 0
    closed_quality_hundredths: int = 0
    closed_quality_residue: int = 0
    # Deliverables whose accepting review is dated in the month.
    accepted: int = 0
    accepted_first_pass: int = 0
    accepted_rounds: int = 0
    accepted_quality_count: int = 0
    accepted_quality_hundredths: int = 0
    accepted_quality_residue: int = 0
    accepted_rounds_histogram: str = ""

    @property
    def due(self) -> int:
        return (
            self.due_not_submitted
            + self.due_in_review
            + self.due_changes_requested
            + self.due_accepted
            + self.due_rejected
        )

    @property
    def open(self) -> int:
        """Due in the month and neither accepted nor rejected (overdue once the date passed)."""
        return self.due_not_submitted + self.due_in_review + self.due_changes_requested


FIELDS = tuple(f.name for f in fields(MonthFigures))
STATUS_FIELD = {
    DeliverableStatus.NOT_SUBMITTED: "due_not_submitted",
    DeliverableStatus.IN_REVIEW: "due_in_review",
    DeliverableStatus.CHANGES_REQUESTED: "due_changes_requested",
    DeliverableStatus.ACCEPTED: "due_accepted",
    DeliverableStatus.REJECTED: "due_rejected",
}


# Filled from lists of values when a month is frozen, not counted one by one.
_FROM_VALUES = {
    "closed_quality_count",
    "closed_quality_hundredths",
    "closed_quality_residue",
    "accepted_quality_count",
    "accepted_quality_hundredths",
    "accepted_quality_residue",
    "accepted_rounds_histogram",
}


def _empty() -> dict:
    counts = {name: 0 for name in FIELDS if name not in _FROM_VALUES}
    return counts | {
        "closed_quality_values": [],
        "accepted_quality_values": [],
        "histogram": Counter(),
    }


def month_figures(deliverables: Iterable[tuple[date, Sequence[Round]]]) -> dict[date, MonthFigures]:
    """{month: sums} of one engagement's deliverables, given each one's due date and rounds;
    months where nothing counts are left out."""
    months: dict[date, dict] = {}
    for due_on, rounds in deliverables:
        # `today` only decides overdue and the punctuality of what was never sent: unused here.
        figures = deliverable_figures(rounds, due_on, date.min)
        due = months.setdefault(month_of(due_on), _empty())
        due[STATUS_FIELD[figures.status]] += 1
        due["due_on_time"] += figures.first_version_on_time is True
        due["review_days_sum"] += sum(figures.review_days)
        due["review_days_count"] += len(figures.review_days)
        due["rework_days_sum"] += sum(figures.rework_days)
        due["rework_days_count"] += len(figures.rework_days)
        if figures.status in CLOSED and figures.final_quality is not None:
            due["closed_quality_values"].append(figures.final_quality)
        if figures.accepted_on is None:
            continue
        accepted = months.setdefault(month_of(figures.accepted_on), _empty())
        accepted["accepted"] += 1
        accepted["accepted_first_pass"] += bool(figures.first_pass)
        accepted["accepted_rounds"] += figures.rounds_to_acceptance or 0
        accepted["histogram"][figures.rounds_to_acceptance] += 1
        if figures.final_quality is not None:
            accepted["accepted_quality_values"].append(figures.final_quality)
    return {month: _freeze(sums) for month, sums in sorted(months.items())}


def _freeze(sums: dict) -> MonthFigures:
    closed, accepted = sums.pop("closed_quality_values"), sums.pop("accepted_quality_values")
    histogram = sums.pop("histogram")
    closed_h, closed_r = parts_sum(closed)
    accepted_h, accepted_r = parts_sum(accepted)
    return MonthFigures(
        **sums,
        closed_quality_count=len(closed),
        closed_quality_hundredths=closed_h,
        closed_quality_residue=closed_r,
        accepted_quality_count=len(accepted),
        accepted_quality_hundredths=accepted_h,
        accepted_quality_residue=accepted_r,
        accepted_rounds_histogram=histogram_text(histogram),
    )


@dataclass
class Tally:
    """Raw counts of a vendor's period, added up from rollup months and live partial months."""

    due: int = 0
    decided: int = 0
    on_time: int = 0
    accepted: int = 0
    first_pass: int = 0
    rounds: int = 0
    quality_count: int = 0
    quality_hundredths: int = 0
    quality_residue: int = 0
    overdue: int = 0

    def add_month(self, month: MonthFigures, due_before_today: bool) -> None:
        """Add one whole month's sums; `due_before_today` when every day of it is before today
        (then what was never submitted is late, else still undecided)."""
        self.due += month.due
        self.decided += month.due if due_before_today else month.due - month.due_not_submitted
        self.on_time += month.due_on_time
        self.accepted += month.accepted
        self.first_pass += month.accepted_first_pass
        self.rounds += month.accepted_rounds
        self.quality_count += month.accepted_quality_count
        self.quality_hundredths += month.accepted_quality_hundredths
        self.quality_residue += month.accepted_quality_residue

    def add_qualities(self, quality: float, count: int) -> None:
        """Add `count` accepted deliverables' final quality `quality` (read live)."""
        h, r = exact_parts(quality)
        self.quality_count += count
        self.quality_hundredths += h * count
        self.quality_residue += r * count

    def summary(self) -> KpoVendorSummary:
        """The period summary `review.period_summary` gives for the same deliverables."""
        # The tally's counts but `overdue` (a figure of today, not of the period) by name.
        sums = KpoPeriodSums(**{f.name: getattr(self, f.name) for f in fields(KpoPeriodSums)})
        return summary_of(sums, self.overdue)


def summary_of(sums: KpoPeriodSums, overdue: int = 0) -> KpoVendorSummary:
    """The period summary of deliverables whose counts are `sums` (one vendor's, or several
    vendors' added up): `review.period_summary`'s figures, rounded as it rounds them."""
    return KpoVendorSummary(
        accepted=sums.accepted,
        first_pass_rate=rate(sums.first_pass, sums.accepted),
        mean_rounds_to_acceptance=round(sums.rounds / sums.accepted, 2) if sums.accepted else None,
        mean_quality=exact_mean(sums.quality_hundredths, sums.quality_residue, sums.quality_count),
        due=sums.due,
        on_time_first_rate=rate(sums.on_time, sums.decided),
        overdue=overdue,
        sums=sums,
    )


def rate(part: int, whole: int) -> float | None:
    """As `review._rate`: a percentage to one place, None without a whole."""
    return round(part / whole * 100, 1) if whole else None


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def split_period(
    first_day: date, last_day: date, this_month: date
) -> tuple[list[tuple[date, date]], list[tuple[date, date]]]:
    """The period's whole months other than `this_month` as (first month, last month) runs, read
    from the rollups; and the day ranges left (a cut month at either end, the running month),
    read live. Together they cover every day of the period once."""
    whole: list[tuple[date, date]] = []
    live: list[tuple[date, date]] = []
    if first_day > last_day:
        return whole, live
    month = month_of(first_day)
    while month <= last_day:
        following = _next_month(month)
        start, end = max(first_day, month), min(last_day, following - timedelta(days=1))
        if start == month and following - timedelta(days=1) == end and month != this_month:
            if whole and _next_month(whole[-1][1]) == month:
                whole[-1] = (whole[-1][0], month)
            else:
                whole.append((month, month))
        else:
            live.append((start, end))
        month = following
    return whole, live
