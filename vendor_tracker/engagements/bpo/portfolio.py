"""The BPO portfolio: engagements x last 12 months, attainment, credits this year.

A fixed number of queries however many engagements and months there are: SQL ranks the
filtered engagements (by the rollups' sums for the attainment sorts) and cuts one page
(`portfolio_reads`); only that page's rollups are read, and its figures come from the same
rules as before (`queries.summarise`, the rollups' payable amounts).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from vendor_tracker.engagements.bpo.portfolio_reads import (
    SORTS,
    RankedPagination,
    ranked_page,
)
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
    page: RankedPagination
    vendors: list[tuple[int, str]]
    service_lines: list[tuple[int, str]]
    statuses: list[EngagementStatus]


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
    """The portfolio page's data: the filtered engagements ranked in SQL, one page evaluated."""
    first, last = last_twelve_months(today)
    sort = sort if sort in SORTS else "attainment"
    filters = {"vendor_id": vendor_id, "service_line_id": service_line_id, "status": status}
    descending = direction == "desc"
    pagination = ranked_page(filters, first, last, sort, descending, page, per_page, today)
    pagination.items = _page_rows(pagination.items, first, last, today)
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


def _page_rows(
    engagements: list[Engagement], first: date, last: date, today: date
) -> list[PortfolioRow]:
    """The rows of one page, in its order: attainment and worst status per month from the
    page's rollups, credits this year as the rollups' payable amounts over this year's months
    of each window. Two queries, none when the page is empty."""
    if not engagements:
        return []
    ids = [engagement.id for engagement in engagements]
    stats, payable = rollup_stats(ids, min(first, date(today.year, 1, 1)), last)
    year_start = date(today.year, 1, 1)
    rows = []
    for engagement in engagements:
        start, end = engagement.start_date, engagement.end_date
        overall, critical, worst = summarise(
            stats.get(engagement.id) or EngagementStats(), start, end, first, last, today
        )
        row = PortfolioRow(
            engagement.id,
            engagement.title,
            engagement.vendor.name,
            engagement.status,
            overall,
            critical,
            worst,
            engagement,
        )
        if credit_terms(engagement).has_credits:
            months = active_months(start, end, year_start, today, today)
            row.credits_this_year = payable_over(payable.get(engagement.id, {}), months)
        rows.append(row)
    return rows
