"""BPO figures other packages show: per-vendor summaries (the needs-attention items are in
`bpo.attention`).

The vendor summaries read the monthly rollups (`rollup_reads`): attainment, breaches and the
credits payable per engagement-month, kept equal to the pure rules by the write path. A fixed
number of queries whatever the number of engagements; tests compare them with the full rules on
the same data.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.engagements.bpo.bulk import load_engagements
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.bpo.queries import EngagementStats
from vendor_tracker.engagements.bpo.rollup_reads import PeriodSums, level_counts, period_sums
from vendor_tracker.engagements.bpo.sla import Attainment, active_months, first_of_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.vendors.rules import Model


def vendor_summary(
    vendor_ids: list[int], first_month: date, last_month: date, today: date
) -> dict[int, BpoVendorSummary]:
    """Per vendor: met/reported/expected level-months, attainment %, breaches, credits payable.

    Vendors with at least one BPO engagement get an entry; three queries in all.
    """
    return vendor_summaries(vendor_ids, [(first_month, last_month)], today)[0]


def vendor_summaries(
    vendor_ids: list[int], periods: list[tuple[date, date]], today: date, credits: bool = True
) -> list[dict[int, BpoVendorSummary]]:
    """`vendor_summary` for several (first month, last month) periods in one pass: three
    queries over the monthly rollups of the months they span, whatever the number of periods.

    With `credits=False` the summaries carry the counts only (`credits_payable` is None).
    """
    if not vendor_ids or not periods:
        return [{} for _ in periods]
    bounds = [(first_of_month(a), first_of_month(b)) for a, b in periods]
    in_scope = (Engagement.vendor_id.in_(list(vendor_ids)), Engagement.kind == Model.BPO)
    engagements = load_engagements(*in_scope)
    engagement_filter = select(Engagement.id).where(*in_scope)
    levels = level_counts(engagement_filter)
    sums = period_sums(engagement_filter, bounds, today)
    return [
        _summary(engagements, levels, found, credits, a, b, today)
        for (a, b), found in zip(bounds, sums, strict=True)
    ]


def _summary(engagements, levels, sums, credits, first, last, today):
    """Sum each vendor's engagements over [first, last] from their rollup sums; expected
    level-months are each ended month's levels plus the running month's results, as the rules
    count them. `credits` False: `credits_payable` None (not worked out)."""
    totals: dict[int, list[int]] = {}  # per vendor: met, reported, expected, breaches
    owed: dict[int, dict[str, Decimal]] = {}
    windows: dict = {}  # engagements often share a window: count its ended months once
    current = first_of_month(today)
    empty_levels, empty_sums = EngagementStats(), PeriodSums(0, 0, 0, Decimal("0.00"), 0)
    for engagement in engagements.values():
        window = (engagement.start_date, engagement.end_date)
        if window not in windows:
            months = active_months(*window, first, last, today)
            windows[window] = (sum(1 for m in months if m < current), current in months)
        ended, running = windows[window]
        found = sums.get(engagement.id, empty_sums)
        level_count = (levels.get(engagement.id) or empty_levels).levels
        total = totals.setdefault(engagement.vendor_id, [0, 0, 0, 0])
        total[0] += found.met
        total[1] += found.reported
        total[2] += level_count * ended + (found.reported_now if running else 0)
        total[3] += found.breaches
        vendor_owed = owed.setdefault(engagement.vendor_id, {})
        if credits and found.payable:
            currency = engagement.currency
            vendor_owed[currency] = vendor_owed.get(currency, Decimal("0")) + found.payable
    return {
        vendor_id: BpoVendorSummary(
            met=met,
            reported=reported,
            expected=expected,
            breaches=breaches,
            attainment=Attainment(met, reported, expected).rate,
            credits_payable=owed[vendor_id] if credits else None,
        )
        for vendor_id, (met, reported, expected, breaches) in totals.items()
    }
