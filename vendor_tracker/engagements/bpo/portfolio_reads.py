"""SQL reads of the BPO portfolio: one page of engagements, ranked and counted in SQL.

Sorting by attainment ranks on sums of the monthly rollups over the twelve months, grouped by
engagement in SQL: `sla.Attainment.rate` is 100 x met / reported, so these sums are all it
needs, and a request builds Python objects only for the rows of one page. Engagements without
a reported result (no rate) come after every measured one, ascending or descending; ties go by
title, then by id.
"""

from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Float, case, cast, func, select
from sqlalchemy.orm import contains_eager, joinedload

from vendor_tracker.engagements.bpo.rollup_events import settle
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup as Rollup
from vendor_tracker.engagements.bpo.sla import first_of_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model

SORTS = ("attainment", "critical", "title", "vendor")
# The rollup columns each attainment sort rates by: (met, reported).
RATED = {
    "attainment": ("met", "reported"),
    "critical": ("critical_met", "critical_reported"),
}


class RankedPagination(Pagination):
    """Flask-SQLAlchemy's pagination over a ranked select of engagements and its count."""

    def _query_items(self) -> list:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(db.session.execute(stmt).unique().scalars())

    def _query_count(self) -> int:
        return db.session.execute(self._query_args["total"]).scalar_one()


def bpo_conditions(vendor_id=None, service_line_id=None, status=None) -> list:
    """The WHERE conditions of the portfolio's filters over BPO engagements."""
    conditions = [Engagement.kind == Model.BPO]
    if vendor_id:
        conditions.append(Engagement.vendor_id == vendor_id)
    if service_line_id:
        conditions.append(Engagement.service_line_id == service_line_id)
    if status:
        conditions.append(Engagement.status == status)
    return conditions


def rollup_sums(engagement_filter, first: date, last: date):
    """Subquery: per engagement the rollups' sums of met and reported results (overall and of
    critical levels) over the months [first, last]. Rollup rows exist only for months of the
    engagement's window up to the current month, so with `last` the current month these are
    the counts `queries.summarise` adds up over the engagement's active months."""
    return (
        select(
            Rollup.engagement_id.label("engagement_id"),
            func.sum(Rollup.met).label("met"),
            func.sum(Rollup.reported).label("reported"),
            func.sum(Rollup.critical_met).label("critical_met"),
            func.sum(Rollup.critical_reported).label("critical_reported"),
        )
        .where(
            Rollup.engagement_id.in_(engagement_filter),
            Rollup.month >= first_of_month(first),
            Rollup.month <= first_of_month(last),
        )
        .group_by(Rollup.engagement_id)
        .subquery()
    )


def rate_expr(met, reported):
    """SQL for `Attainment.rate`: 100 x met / reported as a float, NULL when nothing was
    reported (the same division, so equal rates tie as they do in Python)."""
    return case((reported > 0, cast(met, Float) * 100.0 / cast(reported, Float)), else_=None)


def _order(sort: str, descending: bool, sums) -> list:
    def by(expr):
        return expr.desc() if descending else expr.asc()

    title = func.lower(Engagement.title)
    if sort in RATED:
        met, reported = RATED[sort]
        rate = rate_expr(sums.c[met], sums.c[reported])
        return [case((rate.is_(None), 1), else_=0), by(rate), by(title), Engagement.id]
    if sort == "vendor":
        return [by(func.lower(Vendor.name)), by(title), Engagement.id]
    return [by(title), Engagement.id]


def ranked_page(
    conditions: list,
    first: date,
    last: date,
    sort: str,
    descending: bool,
    page: int,
    per_page: int,
) -> RankedPagination:
    """One page of the filtered BPO engagements (vendor and service line loaded) in the sort's
    order, with the total for the pager: two queries whatever the number of engagements."""
    settle(db.session)  # rank on rollups that include this transaction's writes
    stmt = (
        select(Engagement)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .options(contains_eager(Engagement.vendor), joinedload(Engagement.service_line))
        .where(*conditions)
    )
    sums = None
    if sort in RATED:
        sums = rollup_sums(select(Engagement.id).where(*conditions), first, last)
        stmt = stmt.outerjoin(sums, sums.c.engagement_id == Engagement.id)
    stmt = stmt.order_by(*_order(sort, descending, sums))
    count = select(func.count()).select_from(Engagement).where(*conditions)
    return RankedPagination(page=page, per_page=per_page, error_out=False, select=stmt, total=count)
