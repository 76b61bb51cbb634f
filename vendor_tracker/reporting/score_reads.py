"""Read the stored vendor scorecards a page at a time: the ranking of the scorecards page and
API, and the vendors whose standing fell. The database sorts, counts and cuts the page; the
scorecards of the rows shown are rebuilt from their stored components with the pure rules.
The portfolio's figures by period are the sums of the counts stored beside them.
"""

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from vendor_tracker.core.paging import ListPage
from vendor_tracker.engagements.kpo.contracts import KpoPeriodSums, KpoVendorSummary
from vendor_tracker.engagements.kpo.rollup_rules import summary_of
from vendor_tracker.extensions import db
from vendor_tracker.reporting.score_models import (
    COMPONENT_COLUMNS,
    KPO_SUM_COLUMNS,
    VendorPeriodScore,
)
from vendor_tracker.reporting.score_store import fresh_scores
from vendor_tracker.reporting.scorecard import (
    Band,
    Component,
    ComponentScore,
    Period,
    Scorecard,
    band_for,
    overall_score,
    trend,
)
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import VendorStatus

SORTS = ("name", "score", *(c.value for c in Component))
LISTED = "listed"  # the order vendors are listed in everywhere else: by name as stored


@dataclass(frozen=True)
class RankedScorecard:
    """One row of the ranking: the vendor, its scorecard for the period, the kinds of
    engagement it has and its band in the previous period (None when not asked for)."""

    vendor_id: int
    name: str
    period: Period
    card: Scorecard
    kinds: frozenset[str]
    previous_band: Band | None

    @property
    def trend(self) -> str | None:
        """Against the previous period's band ("up", "down", "same", "new"); None without a
        previous period or a score."""
        if self.previous_band is None or self.card.score is None:
            return None
        return trend(self.card.band, self.previous_band).value


def card_from_row(row, settings) -> Scorecard:
    """The scorecard of a stored row, rebuilt with the pure rules from its components (a
    missing row: nothing measured)."""
    minimums = settings.minimums
    components = tuple(
        ComponentScore(
            component,
            getattr(row, value) if row is not None else None,
            getattr(row, sample) if row is not None else 0,
            minimums.of(component),
        )
        for component, (value, sample) in zip(Component, COMPONENT_COLUMNS, strict=True)
    )
    score, used = overall_score(components, settings.weights)
    return Scorecard(components, score, band_for(score, settings.bands), used)


def _reported():
    return Vendor.status != VendorStatus.OFFBOARDED


def _order(sort: str, descending: bool, row) -> list:
    """ORDER BY of a sort key: rows without a value last in both directions, then by name
    (the order vendors are listed in), as `core.paging.sort_rows` sorts a list."""
    by_name = [Vendor.name, Vendor.id]
    if sort == LISTED:
        return by_name
    if sort == "name":
        key = func.lower(Vendor.name)
        return [key.desc() if descending else key, *by_name]
    column = row.score if sort == "score" else getattr(row, f"{sort}_value")
    return [column.is_(None), column.desc() if descending else column, *by_name]


def ranked_page(
    period: Period,
    previous: Period | None,
    today: date,
    settings,
    sort: str = "score",
    descending: bool = True,
    page: int = 1,
    per_page: int = 50,
) -> tuple[ListPage, int]:
    """One page of the reported vendors' scorecards for `period` in the order asked for, and
    how many vendors are rated; `previous` adds each one's band of that period."""
    from vendor_tracker.reporting.services import engagement_kinds

    fresh_scores([period, *([previous] if previous else [])], today, settings)
    row = aliased(VendorPeriodScore)
    before = aliased(VendorPeriodScore)
    joined = (row.vendor_id == Vendor.id) & (row.period_key == period.key)
    total, rated = db.session.execute(
        select(func.count(Vendor.id), func.count(row.score))
        .outerjoin(row, joined)
        .where(_reported())
    ).one()
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    stmt = (
        select(Vendor.id, Vendor.name, row, before.band)
        .outerjoin(row, joined)
        .outerjoin(
            before,
            (before.vendor_id == Vendor.id)
            & (before.period_key == (previous.key if previous else "")),
        )
        .where(_reported())
        .order_by(*_order(sort if sort in (*SORTS, LISTED) else "score", descending, row))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    found = db.session.execute(stmt).all()
    kinds = engagement_kinds([vid for vid, *_ in found])
    items = [
        RankedScorecard(
            vid,
            name,
            period,
            card_from_row(stored, settings),
            kinds.get(vid, frozenset()),
            Band(band_before or Band.NOT_RATED.value) if previous else None,
        )
        for vid, name, stored, band_before in found
    ]
    return ListPage(items, page, per_page, total), rated


def _rank(band_column):
    return case(
        {Band.EXCELLENT.value: 3, Band.GOOD.value: 2, Band.WATCH.value: 1, Band.POOR.value: 0},
        value=band_column,
        else_=None,
    )


def _fell(this_quarter: Period, last_quarter: Period, columns):
    now, before = aliased(VendorPeriodScore), aliased(VendorPeriodScore)
    return (
        select(*columns(now, before))
        .join(now, (now.vendor_id == Vendor.id) & (now.period_key == this_quarter.key))
        .join(before, (before.vendor_id == Vendor.id) & (before.period_key == last_quarter.key))
        .where(_reported(), _rank(now.band) < _rank(before.band))
    )


def standing_fell_count(this_quarter: Period, last_quarter: Period, today: date, settings) -> int:
    """How many reported vendors, rated in both quarters, are in a lower band now."""
    fresh_scores([this_quarter, last_quarter], today, settings)
    stmt = _fell(this_quarter, last_quarter, lambda now, before: [func.count(Vendor.id)])
    return db.session.execute(stmt).scalar_one()


def standing_fell_rows(
    this_quarter: Period, last_quarter: Period, today: date, settings, limit, offset: int = 0
) -> list[tuple]:
    """(vendor id, name, score, band, previous score, previous band) of the vendors whose
    standing fell, by name, `limit` of them from `offset` (None: all)."""
    fresh_scores([this_quarter, last_quarter], today, settings)
    stmt = _fell(
        this_quarter,
        last_quarter,
        lambda now, before: [
            Vendor.id,
            Vendor.name,
            now.score,
            now.band,
            before.score,
            before.band,
        ],
    ).order_by(Vendor.name, Vendor.id)
    return db.session.execute(stmt.limit(limit).offset(offset)).all()


@dataclass(frozen=True)
class PortfolioPeriod:
    """Every reported vendor's figures for one period added up: BPO level-months met and
    reported, and the KPO period summary of all their deliverables (`overdue` left 0)."""

    period: Period
    met: int
    reported: int
    kpo: KpoVendorSummary


def portfolio_periods(periods: list[Period], today: date, settings) -> list[PortfolioPeriod]:
    """The portfolio's figures for each period: the stored scorecards made current (after a
    write, only the vendors written to are scored again), then their counts summed by the
    database in one query, whatever the number of vendors."""
    if not periods:
        return []
    fresh_scores(periods, today, settings)
    row = VendorPeriodScore
    counts = [row.bpo_met, row.bpo_reported, *(getattr(row, c) for _f, c in KPO_SUM_COLUMNS)]
    found = {
        key: [int(value) for value in sums]
        for key, *sums in db.session.execute(
            select(row.period_key, *(func.coalesce(func.sum(c), 0) for c in counts))
            .join(Vendor, Vendor.id == row.vendor_id)
            .where(row.period_key.in_([p.key for p in periods]), _reported())
            .group_by(row.period_key)
        )
    }
    result = []
    for period in periods:
        met, reported, *kpo = found.get(period.key, [0] * len(counts))
        result.append(PortfolioPeriod(period, met, reported, summary_of(KpoPeriodSums(*kpo))))
    return result
