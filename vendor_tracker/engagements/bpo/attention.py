"""BPO needs-attention items: breaches last month, credits pending earn-back, open credit
disputes and months awaiting verification. Every kind is counted in SQL (one query for all
four) and listed a page at a time in SQL order, so the inbox builds titles, details and credit
ledgers only for the engagements it shows, whatever the size of the portfolio.

Which engagements have a credit pending is judged in SQL exactly as `credits.earn_back_state`
judges it (tested against the pure rules on random data); the amounts and details shown come
from the pure ledger (`bulk.ledgers_from_months`) of the shown engagements only.
"""

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Select, and_, extract, func, or_, select, union_all
from sqlalchemy.orm import aliased, joinedload

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.engagements.bpo.bulk import ledgers_from_months, load_engagements
from vendor_tracker.engagements.bpo.credits import EarnBack
from vendor_tracker.engagements.bpo.disputes import waivers_for
from vendor_tracker.engagements.bpo.models import (
    CreditDispute,
    Measurement,
    MonthReport,
    ServiceLevel,
)
from vendor_tracker.engagements.bpo.queries import SEVERITY, critical_months, status_severity_expr
from vendor_tracker.engagements.bpo.reporting_rules import DisputeState, ReportState
from vendor_tracker.engagements.bpo.rollup_events import settle
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup as Rollup
from vendor_tracker.engagements.bpo.services import engagement_url
from vendor_tracker.engagements.bpo.sla import Classification, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model

KINDS = ("bpo_breach", "bpo_credit_pending", "bpo_credit_dispute", "bpo_report_submitted")
# How far back the inbox looks for pending credits: the twelve months before the running one.
LOOK_BACK_MONTHS = 12


def _cached_by_day(query):
    """The query of a day built once and reused (statements are immutable): building these
    expressions costs more than running them."""
    return lru_cache(maxsize=4)(query)


def _running():
    return (Engagement.kind == Model.BPO, Engagement.status == EngagementStatus.ACTIVE)


def _month_index(column):
    """SQL for year x 12 + month of a date column: months apart by subtraction."""
    return extract("year", column) * 12 + extract("month", column)


# --- which engagements, most urgent first ----------------------------------------------------


@_cached_by_day
def _breached(today: date) -> Select:
    """Running engagements with a breach (of any level) last month, by id: the rollup of last
    month counts the breaching results of the engagement's window."""
    last_month = shift_month(first_of_month(today), -1)
    return (
        select(Rollup.engagement_id)
        .join(Engagement, Engagement.id == Rollup.engagement_id)
        .where(*_running(), Rollup.month == last_month, Rollup.breaches > 0)
        .order_by(Rollup.engagement_id)
    )


def _credit_months(today: date):
    """(engagement id, month, months since, earn-back window, pending until) of the months of
    the last twelve of running engagements whose rollup had a credit pending when last
    computed (`pending_until` set, waived and zero credits too). A credit not pending then is
    not pending now: the rows are recomputed whenever a result they depend on changes."""
    current = first_of_month(today)
    # The rollup months first, from the partial index of the months with a credit pending
    # (`ix_bpo_monthly_rollups_pending`), then their engagements: not every running
    # engagement's months.
    flagged = (
        select(Rollup.engagement_id, Rollup.month, Rollup.pending_until)
        .where(
            Rollup.month >= shift_month(current, -LOOK_BACK_MONTHS),
            Rollup.month < current,
            Rollup.pending_until.is_not(None),
        )
        .cte("flagged_months")
        .prefix_with("MATERIALIZED")
    )
    age = (current.year * 12 + current.month - _month_index(flagged.c.month)).label("age")
    return (
        select(
            flagged.c.engagement_id,
            flagged.c.month,
            age,
            Engagement.earn_back_months.label("window"),
            flagged.c.pending_until,
        )
        .join(Engagement, Engagement.id == flagged.c.engagement_id)
        .where(*_running())
        # Materialised: the planner must start from these few rows, not from every result.
        .cte("credit_months")
        .prefix_with("MATERIALIZED")
    )


def _pending_credits(today: date):
    """(engagement id, months since, earn-back window) of each month with a credit pending
    earn-back today, as `credits.earn_back_state` judges it. A month whose credits wait for a
    month still to end (`pending_until` not past) keeps them pending. One whose first awaited
    month ended unreported since (that credit is final now) has another look at each breach of
    a critical level: still pending if its window reaches the running month, every ended month
    since was met, and the running month is unreported, or met while the window goes on."""
    current = first_of_month(today)
    months = _credit_months(today)
    waiting = select(months.c.engagement_id, months.c.age, months.c.window).where(
        months.c.pending_until >= current
    )
    met, later = SEVERITY["met"], aliased(Measurement)  # `later`: a result of the same level
    met_since = (
        select(func.count())
        .select_from(later)
        .where(
            later.service_level_id == Measurement.service_level_id,
            later.period > Measurement.period,
            later.period < current,
            status_severity_expr(later) == met,
        )
        .scalar_subquery()
    )
    running_month = (
        select(status_severity_expr(later))
        .where(later.service_level_id == Measurement.service_level_id, later.period == current)
        .scalar_subquery()
    )
    still_pending = (
        select(Measurement.id)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .where(
            Measurement.engagement_id == months.c.engagement_id,
            Measurement.period == months.c.month,
            ServiceLevel.classification == Classification.CRITICAL,
            status_severity_expr() == SEVERITY["breach"],
            met_since == months.c.age - 1,
            or_(
                running_month.is_(None), and_(running_month == met, months.c.window > months.c.age)
            ),
        )
        .exists()
    )
    # A correlated test per month, so that the planner starts from these months whatever its
    # statistics say.
    rechecked = select(months.c.engagement_id, months.c.age, months.c.window).where(
        months.c.pending_until < current,
        months.c.window >= months.c.age,  # some month of the window is still to come
        still_pending,
    )
    return union_all(waiting, rechecked)


@_cached_by_day
def _pending(today: date) -> Select:
    """Engagements with a credit pending earn-back, soonest resolved first (the month the
    latest pending credit's window ends), then by id."""
    credits = _pending_credits(today).subquery()
    return (
        select(credits.c.engagement_id)
        .group_by(credits.c.engagement_id)
        .order_by(func.max(credits.c.window - credits.c.age), credits.c.engagement_id)
    )


@_cached_by_day
def _disputes(_today: date) -> Select:
    return (
        select(CreditDispute)
        .where(CreditDispute.state == DisputeState.OPEN)
        .order_by(CreditDispute.raised_at, CreditDispute.id)
    )


@_cached_by_day
def _reports(_today: date) -> Select:
    return (
        select(MonthReport.engagement_id, MonthReport.period, Engagement.title, Vendor.name)
        .join(Engagement, Engagement.id == MonthReport.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(MonthReport.state == ReportState.SUBMITTED)
        .order_by(MonthReport.period, Engagement.title, MonthReport.id)
    )


_QUERIES = {
    "bpo_breach": _breached,
    "bpo_credit_pending": _pending,
    "bpo_credit_dispute": _disputes,
    "bpo_report_submitted": _reports,
}


@_cached_by_day
def _counting(today: date) -> Select:
    """One row: the number of items of each kind, in the order of `_QUERIES`."""
    return select(
        *(
            select(func.count())
            .select_from(query(today).order_by(None).subquery())
            .scalar_subquery()
            .label(kind)
            for kind, query in _QUERIES.items()
        )
    )


def attention_counts(today: date) -> dict[str, int]:
    """How many items of each BPO kind, in one query (kinds with none left out)."""
    settle(db.session)
    counts = db.session.execute(_counting(today)).one()
    return {kind: found for kind, found in zip(_QUERIES, counts, strict=True) if found}


# --- the items of the engagements shown --------------------------------------------------------


def _label(engagement) -> str:
    return f"{engagement.vendor_name} · {engagement.title}"


def breach_items(engagement_ids: list[int], today: date) -> dict[int, InboxItem]:
    """{engagement id: its item for the service levels that breached last month}, three
    queries for any number of engagements."""
    last_month = shift_month(first_of_month(today), -1)
    engagements = load_engagements(Engagement.id.in_(engagement_ids))
    names = _breaches_in(last_month, engagement_ids)
    return {
        eid: InboxItem(
            kind="bpo_breach",
            title=f"{len(names[eid])} service level breach"
            f"{'es' if len(names[eid]) > 1 else ''} in {last_month:%b %Y}",
            detail=f"{_label(engagement)}: {', '.join(names[eid])}",
            url=engagement_url(eid),
            due=None,
        )
        for eid, engagement in engagements.items()
        if names.get(eid)
    }


def _breaches_in(month: date, engagement_ids: list[int]) -> dict[int, list[str]]:
    """{engagement id: names of its service levels that breached in `month`}, in level order."""
    rows = db.session.execute(
        select(Measurement.engagement_id, ServiceLevel.name)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .where(
            Measurement.engagement_id.in_(engagement_ids),
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


def pending_items(engagement_ids: list[int], today: date) -> dict[int, InboxItem]:
    """{engagement id: its item for the credits pending earn-back}, from the pure ledger of
    the last twelve months of each engagement given: five queries for any number of them."""
    current = first_of_month(today)
    last_month = shift_month(current, -1)
    first = shift_month(current, -LOOK_BACK_MONTHS)
    engagements = load_engagements(Engagement.id.in_(engagement_ids))
    rows = critical_months(
        select(Engagement.id).where(Engagement.id.in_(engagement_ids)),
        first,
        last_month,
        first,
        current,
    )
    ledgers = ledgers_from_months(
        engagements,
        rows,
        first,
        last_month,
        current,
        today,
        only_with_rows=True,
        waivers=waivers_for(engagements),
    )
    items = {}
    for eid, ledger in ledgers.items():
        pending = [c for c in ledger.credits() if c.state is EarnBack.PENDING]
        if not pending:
            continue
        engagement = engagements[eid]
        amount = sum((c.amount for c in pending), Decimal("0.00"))
        window = engagement.earn_back_months or 0
        resolves = max(shift_month(c.month, window + 1) for c in pending) - timedelta(days=1)
        items[eid] = InboxItem(
            kind="bpo_credit_pending",
            title=f"{engagement.currency} {amount:,.2f} of service credits pending earn-back",
            detail=f"{_label(engagement)}: "
            + ", ".join(f"{c.level_name} ({c.month:%b %Y})" for c in pending),
            url=engagement_url(eid),
            due=resolves,
        )
    return items


def _dispute_item(dispute: CreditDispute) -> InboxItem:
    return InboxItem(
        "bpo_credit_dispute",
        f"Credit of {dispute.period:%b %Y} disputed: {dispute.service_level.name}",
        f"{dispute.engagement.vendor.name} · {dispute.engagement.title}: "
        f"{dispute.category.label}. {dispute.reason[:160]}",
        _page_url(
            "bpo.credits",
            f"/bpo/engagements/{dispute.engagement_id}/credits",
            engagement_id=dispute.engagement_id,
        ),
        None,
    )


def _report_item(row) -> InboxItem:
    engagement_id, period, title, vendor = row
    return InboxItem(
        "bpo_report_submitted",
        f"Results of {period:%b %Y} to verify",
        f"{vendor} · {title}: submitted by the provider, provisional until verified.",
        _page_url(
            "bpo.month",
            f"/bpo/engagements/{engagement_id}/results/{period:%Y-%m}",
            engagement_id=engagement_id,
            period=f"{period:%Y-%m}",
        ),
        None,
    )


def _page_url(endpoint: str, fallback: str, **values) -> str:
    """A page's URL (its plain path outside a request, as in the inbox's CLI uses)."""
    from flask import has_request_context, url_for

    return url_for(endpoint, **values) if has_request_context() else fallback


def attention_slice(today: date, kind: str, limit: int | None, offset: int = 0) -> list[InboxItem]:
    """Up to `limit` items of one BPO kind (all when None) from `offset`, most urgent first:
    the page is chosen in SQL and only its items are built."""
    if kind not in _QUERIES:
        return []
    settle(db.session)
    query = _QUERIES[kind](today).limit(limit).offset(offset)
    if kind == "bpo_credit_dispute":
        options = (
            joinedload(CreditDispute.service_level),
            joinedload(CreditDispute.engagement).joinedload(Engagement.vendor),
        )
        return [_dispute_item(d) for d in db.session.execute(query.options(*options)).scalars()]
    if kind == "bpo_report_submitted":
        return [_report_item(row) for row in db.session.execute(query)]
    ids = list(db.session.execute(query).scalars())
    build = breach_items if kind == "bpo_breach" else pending_items
    found = build(ids, today)
    return [found[eid] for eid in ids if eid in found]


def attention_items(today: date) -> list[InboxItem]:
    """Every BPO item: each engagement's breach and pending-credit items (by engagement), then
    open credit disputes and months awaiting verification."""
    settle(db.session)
    breached = list(db.session.execute(_breached(today)).scalars())
    pending = list(db.session.execute(_pending(today)).scalars())
    breaches, credits = breach_items(breached, today), pending_items(pending, today)
    items = [
        item
        for eid in sorted({*breached, *pending})
        for item in (breaches.get(eid), credits.get(eid))
        if item is not None
    ]
    for kind in ("bpo_credit_dispute", "bpo_report_submitted"):
        items += attention_slice(today, kind, None)
    return items
