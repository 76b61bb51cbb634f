"""The KPO summaries' SQL narrowing against the pure rules over every deliverable, same data.

The reference is what the summary did before: `review.deliverable_figures` for every deliverable
of the vendor, then `review.period_summary`. Random due dates and review dates fall on, just
before and just after the period boundaries; some deliverables have no rounds, some are open.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select

from tests import factories_kpo as fk
from tests.factories import make_engagement, make_vendor
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services, summaries
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date(2026, 11, 21)
PERIODS = [
    (date(2026, 10, 1), TODAY),  # the running quarter, to date
    (date(2026, 7, 1), date(2026, 9, 30)),  # the previous quarter
    (date(2025, 11, 22), TODAY),  # trailing twelve months
    (date(2024, 1, 1), date(2024, 3, 31)),  # nothing in it
]
BOUNDARIES = [date(2026, 7, 1), date(2026, 9, 30), date(2026, 10, 1), TODAY]
DECISIONS = ["accepted", "changes_requested", "rejected", None]


def _near_boundary(rng) -> date:
    return rng.choice(BOUNDARIES) + timedelta(days=rng.choice([-1, 0, 0, 1, 17, -40]))


def _build(vendors=3, deliverables=40, seed=4):
    rng = random.Random(seed)
    vendor_list = [
        make_vendor(f"KPO vendor {seed}-{n}", lines=("market_research",)) for n in range(vendors)
    ]
    engagements = [
        fk.make_kpo_engagement(vendor=vendor_list[n % vendors]) for n in range(vendors * 2)
    ]
    make_engagement(vendor=vendor_list[0], kind="BPO")  # BPO work never counts here
    for n in range(deliverables):
        deliverable = fk.make_deliverable(
            rng.choice(engagements), title=f"D{n}", due_on=_near_boundary(rng)
        )
        day = _near_boundary(rng) - timedelta(days=rng.randint(0, 20))
        for version in range(rng.randint(0, 3)):
            last = version == 2 or rng.random() < 0.4
            decision = rng.choice(DECISIONS) if last else "changes_requested"
            reviewed = day + timedelta(days=rng.choice([0, 1, 3, 12]))
            fk.add_round(
                deliverable,
                day,
                reviewed if decision else None,
                decision,
                quality=rng.choice([None, 40, 62.5, 100]),
                hours=rng.choice([None, 4]),
            )
            if last:
                break
            day = reviewed + timedelta(days=rng.randint(0, 5))
    db.session.commit()
    return [v.id for v in vendor_list]


def _reference(vendor_ids, first, last):
    per_vendor: dict[int, list] = {}
    engagements = db.session.execute(
        select(Engagement.id, Engagement.vendor_id).where(
            Engagement.vendor_id.in_(vendor_ids), Engagement.kind == "KPO"
        )
    ).all()
    for engagement_id, vendor_id in engagements:
        rows = services.engagement_rows(engagement_id, TODAY)
        if rows:
            per_vendor.setdefault(vendor_id, []).extend(row.figures for row in rows)
    return {vid: rules.period_summary(f, first, last) for vid, f in per_vendor.items()}


def test_period_summaries_match_the_rules_over_every_deliverable(ctx):
    for seed in (4, 5, 6):
        vendor_ids = _build(seed=seed)
        expected = [_reference(vendor_ids, a, b) for a, b in PERIODS]
        assert any(s.accepted and s.overdue for s in expected[2].values())
        assert summaries.vendor_period_summaries([*vendor_ids, 99999], PERIODS, TODAY) == expected
        for (first, last), wanted in zip(PERIODS, expected, strict=True):
            assert services.vendor_kpo_summary(vendor_ids, first, last, TODAY) == wanted


def test_overdue_follows_the_last_round_even_against_the_rules_order(ctx):
    """A closing review on an older version does not close the deliverable (status = last)."""
    vendor = make_vendor("Odd data", lines=("market_research",))
    engagement = fk.make_kpo_engagement(vendor=vendor)
    odd = fk.make_deliverable(engagement, title="Reopened", due_on=date(2026, 9, 1))
    fk.add_round(odd, date(2026, 8, 1), date(2026, 8, 2), "accepted", quality=80)
    fk.add_round(odd, date(2026, 8, 10))  # a version after the acceptance, still in review
    closed = fk.make_deliverable(engagement, title="Closed", due_on=date(2026, 9, 1))
    fk.add_round(closed, date(2026, 8, 1), date(2026, 8, 2), "changes_requested")
    fk.add_round(closed, date(2026, 8, 5), date(2026, 8, 6), "rejected")
    fk.make_deliverable(engagement, title="Future", due_on=TODAY + timedelta(days=3))
    db.session.commit()
    summary = services.vendor_kpo_summary([vendor.id], *PERIODS[1], TODAY)[vendor.id]
    assert summary == _reference([vendor.id], *PERIODS[1])[vendor.id]
    # Only "Reopened" is overdue; accepted on 2 Aug is not its last round, so it is not counted.
    assert (summary.overdue, summary.accepted, summary.due) == (1, 0, 2)


def test_vendors_without_work_in_the_period_keep_an_empty_summary(ctx):
    vendor = make_vendor("Quiet", lines=("market_research",))
    engagement = fk.make_kpo_engagement(vendor=vendor)
    fk.make_deliverable_with_rounds(engagement, 1, due_on=date(2026, 3, 10), start=date(2026, 3, 1))
    idle = make_vendor("No KPO", lines=("market_research",))
    db.session.commit()
    summary = services.vendor_kpo_summary([vendor.id, idle.id], *PERIODS[0], TODAY)
    assert summary == {
        vendor.id: KpoVendorSummary(
            accepted=0,
            first_pass_rate=None,
            mean_rounds_to_acceptance=None,
            mean_quality=None,
            due=0,
            on_time_first_rate=None,
            overdue=0,
        )
    }
    assert services.vendor_kpo_summary([], *PERIODS[0], TODAY) == {}
    assert summaries.vendor_period_summaries([vendor.id], [], TODAY) == []


def test_bulk_deliverable_rows_and_stats_match_the_per_engagement_ones(ctx):
    _build(seed=9)
    ids = list(db.session.execute(select(Engagement.id).order_by(Engagement.id)).scalars())
    rows = summaries.deliverable_rows([*ids, 99999], TODAY)
    stats = summaries.engagement_review_stats_many(ids, TODAY)
    assert rows[99999] == []
    counted = 0
    for engagement_id in ids:
        assert rows[engagement_id] == services.engagement_rows(engagement_id, TODAY)
        assert stats[engagement_id] == services.engagement_review_stats(engagement_id, TODAY)
        counted += len(rows[engagement_id])
    assert counted == 40


def test_query_counts_do_not_grow_with_the_data(ctx, query_counter):
    small = _build(vendors=1, deliverables=2, seed=1)
    with query_counter() as few:
        summaries.vendor_period_summaries(small, PERIODS, TODAY)
        summaries.deliverable_rows([1], TODAY)
    big = _build(vendors=4, deliverables=60, seed=2)
    ids = list(db.session.execute(select(Engagement.id)).scalars())
    with query_counter() as many:
        summaries.vendor_period_summaries(small + big, PERIODS, TODAY)
        summaries.deliverable_rows(ids, TODAY)
    assert len(many) == len(few) == 4


def test_mean_quality_is_the_rules_float_mean_on_ties_and_gapped_versions(ctx):
    """The SQL path's quality mean equals `fmean` to the bit: 80.01 and 80 average to a .xx5 tie
    whose rounding depends on binary float error; versions need not be 1, 2, 3."""
    rng = random.Random(11)
    vendors = [make_vendor(f"Ties {n}", lines=("market_research",)) for n in range(4)]
    engagements = [fk.make_kpo_engagement(vendor=v) for v in vendors]
    for n in range(120):
        deliverable = fk.make_deliverable(
            rng.choice(engagements), title=f"T{n}", due_on=_near_boundary(rng)
        )
        day = _near_boundary(rng)
        for _ in range(rng.randint(1, 3)):
            fk.add_round(deliverable, day, day, "changes_requested", quality=50)
            day += timedelta(days=rng.choice([0, 2]))
        fk.add_round(
            deliverable,
            day,
            day + timedelta(days=rng.choice([0, 1])),
            rng.choice(["accepted", "accepted", "rejected"]),
            quality=rng.choice([None, 80.01, 80, 33.33, 66.67, 0.01, 99.99, 12.5]),
        )
        if rng.random() < 0.3:  # renumber with gaps, in reverse so the unique key holds
            for submission in sorted(deliverable.submissions, key=lambda s: -s.version):
                submission.version = submission.version * 3 + 4
            db.session.flush()
    db.session.commit()
    ids = [v.id for v in vendors]
    expected = [_reference(ids, a, b) for a, b in PERIODS]
    assert any(s.mean_quality for s in expected[2].values())
    assert summaries.vendor_period_summaries(ids, PERIODS, TODAY) == expected
    # Accepted at 80.01 and 80: the mean is a decimal tie; the rules' float mean gives 80.0.
    vendor = make_vendor("Tie", lines=("market_research",))
    engagement = fk.make_kpo_engagement(vendor=vendor)
    for n, quality in enumerate([80.01, 80]):
        tied = fk.make_deliverable(engagement, title=f"Tie {n}", due_on=date(2026, 8, 1))
        fk.add_round(tied, date(2026, 7, 20), date(2026, 7, 21), "accepted", quality=quality)
    db.session.commit()
    summary = services.vendor_kpo_summary([vendor.id], *PERIODS[1], TODAY)[vendor.id]
    assert summary == _reference([vendor.id], *PERIODS[1])[vendor.id]
    assert summary.mean_quality == 80.0
