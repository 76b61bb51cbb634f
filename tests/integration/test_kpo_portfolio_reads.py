"""The portfolio's KPO figures by period, summed by the database over every vendor at once, equal
`review.period_summary` of every KPO deliverable of the vendors reports cover, on the same data:
whole months from the rollups, cut months and the running month live, offboarded vendors left
out; on SQLite and PostgreSQL."""

import dataclasses
from datetime import date

from sqlalchemy import select

from tests import factories_kpo as fk
from tests.factories import make_vendor
from tests.integration.test_kpo_summaries import PERIODS, TODAY, _build
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services
from vendor_tracker.engagements.kpo.portfolio_reads import portfolio_period_summaries
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import VendorStatus

# Adjacent quarters as the portfolio trend asks them, and the overlapping periods of the
# summaries' own test (the running quarter to date, a past quarter, twelve months, an empty one).
QUARTERS = [
    (date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 4, 1), date(2026, 6, 30)),
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2026, 10, 1), TODAY),
]


def _reference(periods):
    """`period_summary` over the figures of every deliverable of the covered vendors."""
    engagements = db.session.execute(
        select(Engagement.id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(Engagement.kind == "KPO", Vendor.status != VendorStatus.OFFBOARDED)
    ).scalars()
    figures = [row.figures for eid in engagements for row in services.engagement_rows(eid, TODAY)]
    return [
        dataclasses.replace(rules.period_summary(figures, first, last), overdue=0)
        for first, last in periods
    ]


def test_portfolio_summaries_match_the_rules_over_every_deliverable(ctx):
    for seed in (4, 5):
        _build(seed=seed)
    expected = _reference(QUARTERS + PERIODS)
    assert any(s.accepted and s.mean_quality is not None for s in expected)
    assert any(s.due and s.on_time_first_rate is not None for s in expected)
    assert portfolio_period_summaries(QUARTERS + PERIODS, TODAY) == expected
    # An offboarded vendor's deliverables leave the portfolio's figures.
    vendor = db.session.execute(
        select(Vendor).join(Engagement).where(Engagement.kind == "KPO").limit(1)
    ).scalar_one()
    vendor.status = VendorStatus.OFFBOARDED
    db.session.commit()
    after = _reference(QUARTERS + PERIODS)
    assert after != expected
    assert portfolio_period_summaries(QUARTERS + PERIODS, TODAY) == after
    assert portfolio_period_summaries([], TODAY) == []


def test_a_quality_tie_keeps_the_rules_float_mean(ctx):
    """80.01 and 80 accepted in one month by two vendors: the mean is a decimal tie, which the
    rules' float mean rounds to 80.0; the portfolio sum of exact parts says the same."""
    for n, quality in enumerate([80.01, 80]):
        vendor = make_vendor(f"Tie {n}", lines=("market_research",))
        engagement = fk.make_kpo_engagement(vendor=vendor)
        tied = fk.make_deliverable(engagement, title=f"Tie {n}", due_on=date(2026, 8, 1))
        fk.add_round(tied, date(2026, 7, 20), date(2026, 7, 21), "accepted", quality=quality)
    db.session.commit()
    summary = portfolio_period_summaries([QUARTERS[2]], TODAY)[0]
    assert summary == _reference([QUARTERS[2]])[0]
    assert (summary.accepted, summary.mean_quality) == (2, 80.0)


def test_query_count_does_not_grow(ctx, query_counter):
    _build(vendors=1, deliverables=2, seed=1)
    with query_counter() as few:
        portfolio_period_summaries(QUARTERS, TODAY)
    _build(vendors=4, deliverables=60, seed=2)
    with query_counter() as many:
        portfolio_period_summaries(QUARTERS, TODAY)
    assert len(many) == len(few) == 2
