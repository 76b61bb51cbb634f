"""BPO figures other packages show: per-vendor summaries and needs-attention items.

The vendor summaries read the monthly rollups (`rollup_reads`): attainment, breaches and the
credits payable per engagement-month, kept equal to the pure rules by the write path. The inbox
feeds the pure ledger rules only the months of the critical levels that breached
(`queries.critical_months`). A fixed number of queries whatever the number of engagements; tests
compare both paths with the full rules on the same data.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.engagements.bpo.bulk import ledgers_from_months, load_engagements
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.bpo.credits import EarnBack
from vendor_tracker.engagements.bpo.disputes import waivers_for
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.queries import (
    SEVERITY,
    EngagementStats,
    critical_months,
    status_severity_expr,
)
from vendor_tracker.engagements.bpo.rollup_reads import (
    PeriodSums,
    flagged_engagements,
    level_counts,
    period_sums,
)
from vendor_tracker.engagements.bpo.services import engagement_url
from vendor_tracker.engagements.bpo.sla import (
    Attainment,
    active_months,
    first_of_month,
    shift_month,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model


def _bears_credits():
    """SQL for `CreditTerms.has_credits`: a fee and an at-risk share, both non-zero."""
    return (Engagement.monthly_fee != 0) & (Engagement.at_risk_pct != 0)


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


def attention(today: date) -> list[InboxItem]:
    """One item per active BPO engagement with breaches last month or credits pending.

    The monthly rollups say which engagements had breaches last month or credits pending as
    far back as a credit can still be pending (the longest earn-back window); only their
    breached levels and critical results are read: five queries, bounded months and rows.
    """
    current = first_of_month(today)
    last_month = shift_month(current, -1)
    running = (Engagement.kind == Model.BPO, Engagement.status == EngagementStatus.ACTIVE)
    engagements = load_engagements(*running)
    # A credit is pending only while one of the `window` months after it is still to come.
    waiting = {
        e.id: e
        for e in engagements.values()
        if e.credit_terms.has_credits and (e.earn_back_months or 0) > 0
    }
    longest = max((e.earn_back_months for e in waiting.values()), default=0)
    lower = max(shift_month(last_month, -11), shift_month(current, -longest))
    with_breaches, with_pending = flagged_engagements(
        select(Engagement.id).where(*running), last_month, lower
    )
    breached = _breaches_in(last_month, (*running, Engagement.id.in_(sorted(with_breaches))))
    waiting = {eid: e for eid, e in waiting.items() if eid in with_pending}
    rows = critical_months(
        select(Engagement.id).where(
            *running,
            _bears_credits(),
            Engagement.earn_back_months > 0,
            Engagement.id.in_(sorted(with_pending)),
        ),
        lower,
        last_month,
        lower,
        current,
    )
    ledgers = ledgers_from_months(
        waiting,
        rows,
        lower,
        last_month,
        current,
        today,
        only_with_rows=True,
        waivers=waivers_for(waiting),
    )
    items: list[InboxItem] = []
    for engagement in engagements.values():
        names = breached.get(engagement.id, [])
        ledger = ledgers.get(engagement.id)
        if names or ledger is not None:  # most engagements have nothing: no label or link built
            items += _engagement_items(engagement, names, ledger, last_month, today)
    return items


def _engagement_items(engagement, names, ledger, last_month: date, today: date) -> list[InboxItem]:
    """An engagement's breach item (levels breached last month) and pending-credit item."""
    items: list[InboxItem] = []
    label = f"{engagement.vendor_name} · {engagement.title}"
    url = engagement_url(engagement.id)
    if names and active_months(
        engagement.start_date, engagement.end_date, last_month, last_month, today
    ):
        items.append(
            InboxItem(
                kind="bpo_breach",
                title=f"{len(names)} service level breach"
                f"{'es' if len(names) > 1 else ''} in {last_month:%b %Y}",
                detail=f"{label}: {', '.join(names)}",
                url=url,
                due=None,
            )
        )
    pending = [c for c in ledger.credits() if c.state is EarnBack.PENDING] if ledger else []
    if pending:
        amount = sum((c.amount for c in pending), Decimal("0.00"))
        window = engagement.earn_back_months or 0
        resolves = max(shift_month(c.month, window + 1) for c in pending) - timedelta(days=1)
        items.append(
            InboxItem(
                kind="bpo_credit_pending",
                title=f"{engagement.currency} {amount:,.2f} of service credits pending earn-back",
                detail=f"{label}: "
                + ", ".join(f"{c.level_name} ({c.month:%b %Y})" for c in pending),
                url=url,
                due=resolves,
            )
        )
    return items


def _breaches_in(month: date, engagement_conditions) -> dict[int, list[str]]:
    """{engagement id: names of its service levels that breached in `month`}, in level order."""
    rows = db.session.execute(
        select(Measurement.engagement_id, ServiceLevel.name)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .join(Engagement, Engagement.id == Measurement.engagement_id)
        .where(
            *engagement_conditions,
            Measurement.period == month,
            status_severity_expr() == SEVERITY["breach"],
        )
        .order_by(
            Measurement.engagement_id,
            ServiceLevel.classification,
            ServiceLevel.position,
            ServiceLevel.id,
        )
    )
    found: dict[int, list[str]] = {}
    for engagement_id, name in rows:
        found.setdefault(engagement_id, []).append(name)
    return found
