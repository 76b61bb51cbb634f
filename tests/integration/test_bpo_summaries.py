"""The BPO summaries' SQL paths against the full pure rules on the same random data.

Every new path (vendor summaries, inbox items, bulk per-engagement rows) is compared with what
`services.compliance_report` (statuses, attainment and the credits ledger from the rules) says
for each engagement: random levels, values on and around the target and minimum, gaps, results
outside the engagement window, engagements ending mid-window, with and without credit terms.
"""

import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from tests import factories
from tests.factories_bpo import attention_tuples, make_level, make_result, reference_attention
from tests.integration.test_bpo_queries import LEVEL_SPECS, _value
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.engagements.bpo import bulk, services, summaries
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.bpo.sla import MonthStatus, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)
LAST_MONTH = shift_month(THIS_MONTH, -1)


def _build(vendors=4, engagements=14, seed=11):
    """Engagements spread over a few vendors with varied windows, terms and results."""
    rng = random.Random(seed)
    vendor_list = [factories.make_vendor(f"Vendor {seed}-{n}") for n in range(vendors)]
    for n in range(engagements):
        start = shift_month(THIS_MONTH, -rng.randint(0, 20))
        end = None if n % 3 else shift_month(start, rng.randint(0, 14))
        terms = rng.choice(
            [
                {},  # the factory's: 100,000 fee, 10 %, earn-back 3
                {"earn_back_months": 0},
                {"earn_back_months": 1, "at_risk_pct": Decimal("12.00")},
                {"monthly_fee": None},
                {"at_risk_pct": Decimal("0.00")},
                {"earn_back_months": 2, "monthly_fee": Decimal("5000.00")},
            ]
        )
        engagement = factories.make_engagement(
            vendor=vendor_list[n % vendors],
            start=start + timedelta(days=rng.choice([0, 9, 27])),  # mid-month starts too
            end=end,
            status=rng.choice(["active", "active", "completed", "on_hold"]),
            currency=rng.choice(["USD", "USD", "EUR"]),
            **terms,
        )
        for index, (unit, direction, target, minimum, kind, allocation) in enumerate(
            LEVEL_SPECS[: 1 + n % len(LEVEL_SPECS)]
        ):
            level = make_level(
                engagement,
                name=f"Level {index}",
                unit=unit,
                direction=direction,
                target=target,
                minimum=minimum,
                classification=kind,
                allocation=allocation,
                position=rng.randint(0, 3),
            )
            # One month before the window: the rules ignore it, so must the SQL.
            month = shift_month(start, -1)
            while month <= THIS_MONTH:
                if rng.random() < 0.8:  # leave gaps
                    make_result(level, month, _value(rng, unit, target, minimum))
                month = shift_month(month, 1)
    db.session.commit()
    return [v.id for v in vendor_list]


def _reference_vendor_summary(vendor_ids, first, last):
    """The pre-SQL implementation: the full rules for every engagement, summed per vendor."""
    engagements = db.session.execute(
        select(Engagement).where(Engagement.vendor_id.in_(vendor_ids), Engagement.kind == "BPO")
    ).scalars()
    totals: dict[int, list[int]] = {}  # per vendor: met, reported, expected, breaches
    credits: dict[int, dict[str, Decimal]] = {}
    for engagement in engagements:
        report = services.compliance_report(engagement, first, last, TODAY)
        total = totals.setdefault(engagement.vendor_id, [0, 0, 0, 0])
        owed = credits.setdefault(engagement.vendor_id, {})
        total[0] += report.overall.met
        total[1] += report.overall.reported
        total[2] += report.overall.expected
        total[3] += sum(
            1
            for level in report.levels
            for cell in level.cells.values()
            if cell.status is MonthStatus.BREACH
        )
        if report.ledger.payable:
            currency = engagement.currency
            owed[currency] = owed.get(currency, Decimal("0")) + report.ledger.payable
    return {
        vendor_id: BpoVendorSummary(
            met=met,
            reported=reported,
            expected=expected,
            breaches=breaches,
            attainment=100.0 * met / reported if reported else None,
            credits_payable=credits[vendor_id],
        )
        for vendor_id, (met, reported, expected, breaches) in totals.items()
    }


PERIODS = [
    (shift_month(THIS_MONTH, -2), THIS_MONTH),  # running quarter-like window, open month
    (shift_month(THIS_MONTH, -5), shift_month(THIS_MONTH, -3)),  # a closed quarter
    (shift_month(THIS_MONTH, -11), THIS_MONTH),  # trailing twelve months
    (shift_month(THIS_MONTH, -30), shift_month(THIS_MONTH, -24)),  # before every engagement
    (LAST_MONTH, LAST_MONTH),  # one month
]


def test_vendor_summaries_match_the_pure_rules(ctx):
    vendor_ids = _build()
    expected = [_reference_vendor_summary(vendor_ids, a, b) for a, b in PERIODS]
    assert any(e.credits_payable for period in expected for e in period.values())
    assert any(e.breaches for period in expected for e in period.values())
    assert summaries.vendor_summaries([*vendor_ids, 99999], PERIODS, TODAY) == expected
    for (first, last), wanted in zip(PERIODS, expected, strict=True):
        assert services.vendor_bpo_summary(vendor_ids, first, last, TODAY) == wanted


def test_vendor_summaries_on_other_seeds(ctx):
    for seed in (1, 2, 3):
        vendor_ids = _build(vendors=3, engagements=9, seed=seed)
        for first, last in PERIODS[:3]:
            got = services.vendor_bpo_summary(vendor_ids, first, last, TODAY)
            assert got == _reference_vendor_summary(vendor_ids, first, last), (seed, first)


def test_several_periods_at_once_match_each_period_alone(ctx):
    """One ledger over the periods' span, attributed to each period, equals each period's own
    ledger: adjacent quarters (the portfolio's trend), overlapping and gapped periods, periods
    whose earn-back months lie after their end or in the running month, on several seeds."""
    rng = random.Random(7)
    credited = set()
    for seed in (31, 32, 33):
        vendor_ids = _build(vendors=3, engagements=16, seed=seed)
        quarters = [
            (shift_month(THIS_MONTH, -3 * q - 2), shift_month(THIS_MONTH, -3 * q)) for q in range(4)
        ]
        random_periods = []
        for _ in range(5):
            first = shift_month(THIS_MONTH, -rng.randint(0, 24))
            random_periods.append((first, shift_month(first, rng.randint(0, 5))))
        for periods in (quarters, quarters[::-1], random_periods, [*quarters, PERIODS[2]]):
            got = summaries.vendor_summaries(vendor_ids, periods, TODAY)
            alone = [summaries.vendor_summary(vendor_ids, a, b, TODAY) for a, b in periods]
            assert got == alone, (seed, periods)
            assert got == [_reference_vendor_summary(vendor_ids, a, b) for a, b in periods]
            counts = summaries.vendor_summaries(vendor_ids, periods, TODAY, credits=False)
            assert counts == [
                {vid: replace(e, credits_payable=None) for vid, e in s.items()} for s in got
            ]
            credited |= {
                (seed, i)
                for i, found in enumerate(got)
                for e in found.values()
                if e.credits_payable
            }
    assert len(credited) >= 6  # credits in several periods of every seed, not only zeros


def test_vendor_summary_edges(ctx):
    assert services.vendor_bpo_summary([], THIS_MONTH, THIS_MONTH, TODAY) == {}
    assert summaries.vendor_summaries([1], [], TODAY) == []
    vendor = factories.make_vendor("No results")
    factories.make_engagement(vendor=vendor, start=shift_month(THIS_MONTH, -4), end=None)
    db.session.commit()
    # An engagement without levels or results: an entry with nothing expected, no attainment.
    assert services.vendor_bpo_summary([vendor.id], shift_month(THIS_MONTH, -2), LAST_MONTH, TODAY)[
        vendor.id
    ] == BpoVendorSummary(
        met=0, reported=0, expected=0, breaches=0, attainment=None, credits_payable={}
    )


def test_attention_items_match_the_pure_rules(ctx):
    _build(engagements=18, seed=5)
    items = services.attention_items(TODAY)
    assert all(isinstance(item, InboxItem) for item in items)
    expected = reference_attention(TODAY)
    assert {kind for kind, *_rest in expected} == {"bpo_breach", "bpo_credit_pending"}
    assert attention_tuples(items) == expected
    assert len(items) == len(expected)  # nothing of another kind


def test_bulk_rows_match_the_compliance_report(ctx):
    _build(engagements=10, seed=8)
    ids = list(db.session.execute(select(Engagement.id).order_by(Engagement.id)).scalars())
    first, last = shift_month(THIS_MONTH, -14), THIS_MONTH
    cells = bulk.measurement_rows(ids, first, last, TODAY)
    ledgers = bulk.credit_ledger_rows(ids, first, last, TODAY)
    per_engagement = bulk.engagement_bpo_summaries(ids, first, last, TODAY)
    checked = 0
    for engagement in db.session.execute(
        select(Engagement).where(Engagement.id.in_(ids))
    ).scalars():
        report = services.compliance_report(engagement, first, last, TODAY)
        expected_cells = [
            (lr.level, lr.cells[month]) for lr in report.levels for month in sorted(lr.cells)
        ]
        assert cells[engagement.id] == expected_cells
        assert ledgers[engagement.id] == report.ledger
        summary = per_engagement[engagement.id]
        assert (summary["met"], summary["reported"], summary["expected"]) == (
            report.overall.met,
            report.overall.reported,
            report.overall.expected,
        )
        assert (summary["breaches"], summary["payable"], summary["pending"]) == (
            report.ledger.breaches,
            report.ledger.payable,
            report.ledger.pending,
        )
        assert summary["currency"] == engagement.currency
        checked += len(expected_cells)
    assert checked > 100
    assert bulk.measurement_rows([], first, last, TODAY) == {}
    assert bulk.credit_ledger_rows([], first, last, TODAY) == {}


def test_query_counts_do_not_grow_with_the_data(ctx, query_counter):
    small = _build(vendors=1, engagements=2, seed=21)
    periods = PERIODS[:2]
    with query_counter() as few:
        summaries.vendor_summaries(small, periods, TODAY)
        services.attention_items(TODAY)
        bulk.credit_ledger_rows([1, 2], PERIODS[2][0], THIS_MONTH, TODAY)
    big = _build(vendors=5, engagements=20, seed=22)
    ids = list(db.session.execute(select(Engagement.id)).scalars())
    with query_counter() as many:
        summaries.vendor_summaries(small + big, periods, TODAY)
        services.attention_items(TODAY)
        bulk.credit_ledger_rows(ids, PERIODS[2][0], THIS_MONTH, TODAY)
    assert len(many) == len(few)
