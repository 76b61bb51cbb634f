"""The BPO portfolio: engagements x last 12 months, attainment, credits this year.

A fixed number of queries however many engagements and months there are: the monthly rollups of
every filtered engagement (so sorting by attainment spans all pages) and its credits payable.
"""

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.engagements.bpo.queries import EngagementStats, summarise
from vendor_tracker.engagements.bpo.rollup_reads import payable_over, rollup_stats
from vendor_tracker.engagements.bpo.services import credit_terms, last_twelve_months
from vendor_tracker.engagements.bpo.sla import (
    Attainment,
    MonthStatus,
    active_months,
    months_between,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import ServiceLine, Vendor
from vendor_tracker.vendors.rules import Model

SORTS = ("attainment", "critical", "title", "vendor")


class ListPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a list already sorted in Python."""

    def _query_items(self) -> list:
        items = self._query_args["items"]
        return items[self._query_offset : self._query_offset + self.per_page]

    def _query_count(self) -> int:
        return len(self._query_args["items"])


@dataclass
class PortfolioRow:
    engagement_id: int
    title: str
    vendor: str
    status: str
    overall: Attainment
    critical: Attainment
    worst: dict[date, MonthStatus | None]
    engagement: Engagement | None = None
    credits_this_year: object = None  # Decimal, or None without credit terms


@dataclass
class Portfolio:
    months: list[date]
    page: ListPagination
    vendors: list[tuple[int, str]]
    service_lines: list[tuple[int, str]]
    statuses: list[EngagementStatus]


def _filtered(vendor_id=None, service_line_id=None, status=None):
    stmt = select(Engagement.id).where(Engagement.kind == Model.BPO)
    if vendor_id:
        stmt = stmt.where(Engagement.vendor_id == vendor_id)
    if service_line_id:
        stmt = stmt.where(Engagement.service_line_id == service_line_id)
    if status:
        stmt = stmt.where(Engagement.status == status)
    return stmt


def _sort_key(sort: str):
    def rate(value: float | None) -> float:
        # Engagements without data sort after every measured one, ascending or descending.
        return -1.0 if value is None else value

    return {
        "attainment": lambda r: (rate(r.overall.rate), r.title.lower()),
        "critical": lambda r: (rate(r.critical.rate), r.title.lower()),
        "title": lambda r: r.title.lower(),
        "vendor": lambda r: (r.vendor.lower(), r.title.lower()),
    }[sort]


def portfolio(
    today: date,
    vendor_id: int | None = None,
    service_line_id: int | None = None,
    status: str | None = None,
    sort: str = "attainment",
    direction: str = "asc",
    page: int = 1,
    per_page: int = 25,
) -> Portfolio:
    """The portfolio page's data: every filtered engagement ranked, one page fully evaluated."""
    first, last = last_twelve_months(today)
    ids = _filtered(vendor_id, service_line_id, status)
    rows = db.session.execute(
        select(
            Engagement.id,
            Engagement.title,
            Vendor.name,
            Engagement.status,
            Engagement.start_date,
            Engagement.end_date,
        )
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(Engagement.id.in_(ids))
    ).all()
    stats, payable = rollup_stats(ids, min(first, date(today.year, 1, 1)), last)
    ranked = []
    windows: dict = {}  # engagements often share a window: work out its months once
    for engagement_id, title, vendor, state, start, end in rows:
        found = stats.get(engagement_id) or EngagementStats()
        if (start, end) not in windows:
            windows[(start, end)] = active_months(start, end, first, last, today)
        overall, critical, worst = summarise(
            found, start, end, first, last, today, windows[(start, end)]
        )
        ranked.append(PortfolioRow(engagement_id, title, vendor, state, overall, critical, worst))
    sort = sort if sort in SORTS else "attainment"
    ranked.sort(key=_sort_key(sort), reverse=direction == "desc")
    pagination = ListPagination(page=page, per_page=per_page, error_out=False, items=ranked)
    _fill_page(pagination.items, payable, today)
    return Portfolio(
        months=months_between(first, last),
        page=pagination,
        vendors=db.session.execute(
            select(Vendor.id, Vendor.name)
            .where(Vendor.id.in_(select(Engagement.vendor_id).where(Engagement.kind == Model.BPO)))
            .order_by(Vendor.name)
        ).all(),
        service_lines=db.session.execute(
            select(ServiceLine.id, ServiceLine.name)
            .where(ServiceLine.model == Model.BPO)
            .order_by(ServiceLine.name)
        ).all(),
        statuses=list(EngagementStatus),
    )


def _fill_page(rows: list[PortfolioRow], payable: dict, today: date) -> None:
    """Load the page's engagements; their credits this year are the rollups' payable amounts
    over this year's months of their window."""
    if not rows:
        return
    ids = [row.engagement_id for row in rows]
    engagements = {
        e.id: e
        for e in db.session.execute(
            select(Engagement)
            .options(joinedload(Engagement.vendor), joinedload(Engagement.service_line))
            .where(Engagement.id.in_(ids))
        ).scalars()
    }
    year_start = date(today.year, 1, 1)
    for row in rows:
        engagement = engagements[row.engagement_id]
        row.engagement = engagement
        if not credit_terms(engagement).has_credits:
            continue
        months = active_months(engagement.start_date, engagement.end_date, year_start, today, today)
        row.credits_this_year = payable_over(payable.get(row.engagement_id, {}), months)
