"""The portfolio's figures by quarter, summed over the counts stored beside every vendor's
scorecard, equal `review.period_summary` of every KPO deliverable of the vendors reports cover
(whole months from the rollups, the running quarter cut at today, offboarded vendors left out)
and stay right after a write; on SQLite and PostgreSQL."""

import dataclasses
from datetime import date

from sqlalchemy import select

from tests import factories_kpo as fk
from tests.factories import make_vendor
from tests.integration.test_kpo_summaries import TODAY, _build
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.score_reads import portfolio_periods
from vendor_tracker.reporting.score_store import forget_checked
from vendor_tracker.reporting.scorecard import quarter_period
from vendor_tracker.reporting.services import scorecard_settings
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import VendorStatus

# Adjacent quarters as the portfolio trend asks them; the last one runs, cut at TODAY, and one
# long before the data.
QUARTERS = [quarter_period(2026, q, TODAY) for q in (1, 2, 3, 4)] + [quarter_period(2024, 1)]


def _reference(periods):
    """`period_summary` over the figures of every deliverable of the covered vendors."""
    engagements = db.session.execute(
        select(Engagement.id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(Engagement.kind == "KPO", Vendor.status != VendorStatus.OFFBOARDED)
    ).scalars()
    figures = [row.figures for eid in engagements for row in services.engagement_rows(eid, TODAY)]
    return [
        dataclasses.replace(rules.period_summary(figures, p.first_day, p.last_day), overdue=0)
        for p in periods
    ]


def _kpo(periods=QUARTERS):
    return [found.kpo for found in portfolio_periods(periods, TODAY, scorecard_settings())]


def test_portfolio_figures_match_the_rules_over_every_deliverable(ctx):
    for seed in (4, 5):
        _build(seed=seed)
    expected = _reference(QUARTERS)
    assert QUARTERS[3].last_day == TODAY
    assert any(s.accepted and s.mean_quality is not None for s in expected)
    assert any(s.due and s.on_time_first_rate is not None for s in expected)
    assert expected[-1].due == expected[-1].accepted == 0
    assert _kpo() == expected
    # An offboarded vendor's deliverables leave the portfolio's figures.
    vendor = db.session.execute(
        select(Vendor).join(Engagement).where(Engagement.kind == "KPO").limit(1)
    ).scalar_one()
    vendor.status = VendorStatus.OFFBOARDED
    db.session.commit()
    after = _reference(QUARTERS)
    assert after != expected
    assert _kpo() == after
    assert portfolio_periods([], TODAY, scorecard_settings()) == []


def test_a_review_written_after_the_scores_were_stored_counts_at_once(ctx):
    _build(vendors=2, deliverables=10, seed=6)
    before = _kpo()
    vendor = make_vendor("Late reviewer", lines=("market_research",))
    engagement = fk.make_kpo_engagement(vendor=vendor)
    late = fk.make_deliverable(engagement, title="Late", due_on=date(2026, 8, 10))
    fk.add_round(late, date(2026, 8, 1), date(2026, 8, 3), "accepted", quality=91.5)
    db.session.commit()
    after = _kpo()
    assert after == _reference(QUARTERS)
    assert after[2].accepted == before[2].accepted + 1
    assert after[2].due == before[2].due + 1


def test_a_quality_tie_keeps_the_rules_float_mean(ctx):
    """80.01 and 80 accepted in one month by two vendors: the mean is a decimal tie, which the
    rules' float mean rounds to 80.0; the sum of the vendors' exact parts says the same."""
    for n, quality in enumerate([80.01, 80]):
        vendor = make_vendor(f"Tie {n}", lines=("market_research",))
        engagement = fk.make_kpo_engagement(vendor=vendor)
        tied = fk.make_deliverable(engagement, title=f"Tie {n}", due_on=date(2026, 8, 1))
        fk.add_round(tied, date(2026, 7, 20), date(2026, 7, 21), "accepted", quality=quality)
    db.session.commit()
    summary = _kpo([QUARTERS[2]])[0]
    assert summary == _reference([QUARTERS[2]])[0]
    assert (summary.accepted, summary.mean_quality) == (2, 80.0)


def _counted(query_counter, settings) -> int:
    """The statements of a request that finds the scores stored: it looks for stale ones once
    per period (`fresh_scores` remembers that only within one request), then sums."""
    portfolio_periods(QUARTERS, TODAY, settings)  # the scores stored
    forget_checked()
    with query_counter() as statements:
        portfolio_periods(QUARTERS, TODAY, settings)
    return len(statements)


def test_query_count_does_not_grow(ctx, query_counter):
    settings = scorecard_settings()
    _build(vendors=1, deliverables=2, seed=1)
    few = _counted(query_counter, settings)
    _build(vendors=4, deliverables=60, seed=2)
    assert _counted(query_counter, settings) == few == len(QUARTERS) + 1
