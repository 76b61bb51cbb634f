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
from sqlalchemy.orm import joinedload

from vendor_tracker.core.stored_answers import answer_kind, stored_answer, watch
from vendor_tracker.engagements.bpo.rollup_events import settle
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup as Rollup
from vendor_tracker.engagements.bpo.sla import first_of_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model

SORTS = ("attainment", "critical", "title", "vendor")
RANKING = "bpo-ranking"
# Titles, statuses, vendors and their names order the ranking; results and service levels
# reach it through the monthly rollups, whose recomputation makes stored answers stale too.
watch(Engagement, Vendor)
# The rollup columns each attainment sort rates by: (met, reported).
RATED = {
    "attainment": ("met", "reported"),
    "critical": ("critical_met", "critical_reported"),
}


class RankedPagination(Pagination):
    """Flask-SQLAlchemy's pagination over the ranked ids of engagements: one page of them is
    loaded (vendor and service line with it), in the ranking's order."""

    def _query_items(self) -> list:
        ids = self._query_args["ids"][self._query_offset : self._query_offset + self.per_page]
        if not ids:
            return []
        found = db.session.execute(
            select(Engagement)
            .options(joinedload(Engagement.vendor), joinedload(Engagement.service_line))
            .where(Engagement.id.in_(ids))
        )
        by_id = {engagement.id: engagement for engagement in found.unique().scalars()}
        return [by_id[i] for i in ids if i in by_id]

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


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


@answer_kind(RANKING)
def ranking(params: dict, today: date) -> list[int]:
    """The ids of the BPO engagements under the filters of `params`, in the order of its sort
    over the months [first, last]: one query."""
    settle(db.session)  # rank on rollups that include this transaction's writes
    conditions = bpo_conditions(params["vendor_id"], params["service_line_id"], params["status"])
    stmt = select(Engagement.id).join(Vendor, Vendor.id == Engagement.vendor_id).where(*conditions)
    sums = None
    if params["sort"] in RATED:
        first, last = date.fromisoformat(params["first"]), date.fromisoformat(params["last"])
        sums = rollup_sums(select(Engagement.id).where(*conditions), first, last)
        stmt = stmt.outerjoin(sums, sums.c.engagement_id == Engagement.id)
    stmt = stmt.order_by(*_order(params["sort"], params["descending"], sums))
    return list(db.session.execute(stmt).scalars())


def ranked_page(
    filters: dict,
    first: date,
    last: date,
    sort: str,
    descending: bool,
    page: int,
    per_page: int,
    today: date,
) -> RankedPagination:
    """One page of the BPO engagements under `filters` (vendor_id, service_line_id, status;
    vendor and service line loaded) in the sort's order, with the total for the pager. The
    ranking is a stored answer (`core.stored_answers`): computed by the first reader after a
    write, read back by the others; two queries either way, whatever the number of engagements."""
    params = {
        **{name: filters.get(name) for name in ("vendor_id", "service_line_id", "status")},
        "first": first.isoformat(),
        "last": last.isoformat(),
        "sort": sort,
        "descending": descending,
    }
    ids = stored_answer(RANKING, params, today)
    return RankedPagination(page=page, per_page=per_page, error_out=False, ids=ids)
