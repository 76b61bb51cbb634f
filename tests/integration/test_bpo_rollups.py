"""The BPO monthly rollups stay equal to a fresh computation from the pure rules.

Random sequences of writes through every write path (results by form, API, provider and file
import, clears and late results, service-level term changes, engagement window and credit
term changes, waived credit disputes, deleted levels, rolled-back transactions) are followed
by `check_all`, which compares every stored row with the rules; the sums of the rows equal
`compliance.evaluate_engagement` over any period.
"""

import random
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories_bpo import make_level
from tests.factories_reporting import stored_scorecards_agree
from tests.integration.test_bpo_queries import LEVEL_SPECS, _value
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import rollups, services, writes
from vendor_tracker.engagements.bpo.disputes import raise_dispute, resolve_dispute
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.results import IncomingRow, Intent
from vendor_tracker.engagements.bpo.rollup_events import settle
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup
from vendor_tracker.engagements.bpo.rollup_rules import affected_months
from vendor_tracker.engagements.bpo.sla import Classification, Source, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)


def _world(rng, engagements=3):
    """A vendor with engagements of varied windows and terms and a few levels each."""
    vendor = factories.make_vendor(f"Rollups {rng.random()}")
    ids = []
    for n in range(engagements):
        start = shift_month(THIS_MONTH, -rng.randint(6, 14))
        engagement = factories.make_engagement(
            vendor=vendor,
            start=start,
            end=None if n % 2 else shift_month(THIS_MONTH, rng.randint(-2, 6)),
            earn_back_months=rng.choice([0, 1, 2, 3]),
        )
        for index, spec in enumerate(LEVEL_SPECS[: 2 + n % 3]):
            unit, direction, target, minimum, kind, allocation = spec
            make_level(
                engagement,
                name=f"Level {index}",
                unit=unit,
                direction=direction,
                target=target,
                minimum=minimum,
                classification=kind,
                allocation=allocation,
                position=index,
            )
        ids.append(engagement.id)
    db.session.commit()
    return ids


def _levels(engagement_id):
    return list(
        db.session.execute(
            select(ServiceLevel)
            .where(ServiceLevel.engagement_id == engagement_id)
            .order_by(ServiceLevel.id)
        ).scalars()
    )


def _write_results(rng, engagement):
    """Results of a few months (late ones too) by a random writer, with some clears."""
    stored = writes.stored_results(engagement.id)
    months = [shift_month(THIS_MONTH, -rng.randint(0, 12)) for _ in range(rng.randint(1, 3))]
    rows = []
    for level in _levels(engagement.id):
        for month in set(months):
            if (level.id, month) in stored and rng.random() < 0.25:
                rows.append(IncomingRow(len(rows), level.id, month, None, clear=True))
            elif rng.random() < 0.8:
                value = _value(
                    rng, level.unit, str(level.target), level.minimum and str(level.minimum)
                )
                rows.append(IncomingRow(len(rows), level.id, month, value))
    plan = writes.plan_writes(engagement, rows, Intent.REPLACE, TODAY)
    if not plan.ok:  # months outside the window: the planner refuses them, nothing is written
        return
    source = rng.choice([Source.FORM, Source.API, Source.PROVIDER, Source.IMPORT])
    writes.apply_plan(
        engagement, plan, source, None, "tests", bulk=source is Source.IMPORT, filename="r.csv"
    )


def _change_level(rng, engagement):
    levels = _levels(engagement.id)
    if not levels:
        return
    level = rng.choice(levels)
    step = rng.random()
    if step < 0.15 and len(levels) > 1:
        services.delete_service_level(level)
    elif step < 0.5:
        critical = level.classification != Classification.CRITICAL
        level.classification = Classification.CRITICAL if critical else Classification.KEY
        level.allocation_pct = Decimal(rng.choice(["40", "100"])) if critical else None
    else:
        level.target = level.target + Decimal(rng.choice(["-1", "1", "0.5"]))
        if level.minimum is not None and rng.random() < 0.5:
            level.minimum = None
    db.session.flush()


def _change_engagement(rng, engagement):
    step = rng.random()
    if step < 0.3:
        engagement.start_date = shift_month(engagement.start_date, rng.choice([-2, 1, 2]))
    elif step < 0.55:
        engagement.end_date = rng.choice([None, shift_month(THIS_MONTH, rng.randint(-3, 3))])
    elif step < 0.8:
        engagement.earn_back_months = rng.choice([0, 1, 2, 3])
    else:
        engagement.at_risk_pct = Decimal(rng.choice(["0", "5", "12"]))
    db.session.flush()


def _waive_a_credit(rng, engagement):
    report = services.compliance_report(engagement, shift_month(THIS_MONTH, -14), THIS_MONTH, TODAY)
    credits = report.ledger.credits()
    if not credits:
        return
    credit = rng.choice(credits)
    try:
        dispute = raise_dispute(
            engagement, credit.level_id, credit.month, "other", "Outage upstream", None, TODAY
        )
        resolve_dispute(dispute, rng.choice(["waived", "upheld"]), "Agreed", None)
    except Refusal:
        db.session.rollback()


STEPS = (
    _write_results,
    _write_results,
    _write_results,
    _change_level,
    _change_engagement,
    _waive_a_credit,
)


def _run_sequence(seed, steps=24):
    rng = random.Random(seed)
    ids = _world(rng)
    for _ in range(steps):
        engagement = db.session.get(Engagement, rng.choice(ids))
        rng.choice(STEPS)(rng, engagement)
        if rng.random() < 0.15:
            db.session.rollback()  # nothing of a rolled-back transaction may stay behind
        else:
            db.session.commit()
        assert stored_scorecards_agree() == []  # no stored scorecard outlived the write
    return ids


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_writes_keep_every_rollup_equal_to_the_rules(ctx, seed):
    _run_sequence(seed)
    assert rollups.check_all(db.session) == []
    rows = db.session.execute(select(func.count()).select_from(BpoMonthlyRollup)).scalar_one()
    months = select(Measurement.engagement_id, Measurement.period).distinct().subquery()
    results = db.session.execute(select(func.count()).select_from(months)).scalar_one()
    assert 0 < rows <= results


def test_the_sequences_reach_credits_and_an_earned_back_credit_is_kept(ctx):
    """The random writes are not idle: they produce credits and payable amounts. A credit met
    back in both following months of a 2-month earn-back is earned back: 10,000.00 gross,
    10,000.00 earned back, nothing payable."""
    for seed in (1, 2, 3, 4):
        _run_sequence(seed)
    totals = db.session.execute(
        select(
            func.sum(BpoMonthlyRollup.gross),
            func.sum(BpoMonthlyRollup.payable),
            func.sum(BpoMonthlyRollup.credits),
        )
    ).one()
    assert all(total and total > 0 for total in totals), totals
    engagement = factories.make_engagement(
        vendor=factories.make_vendor("Earn-back"),
        start=shift_month(THIS_MONTH, -6),
        end=None,
        earn_back_months=2,
    )
    level = make_level(engagement, classification="critical", allocation="100")
    db.session.commit()
    breach = shift_month(THIS_MONTH, -3)
    rows = [
        IncomingRow(0, level.id, breach, Decimal("70")),
        IncomingRow(1, level.id, shift_month(breach, 1), Decimal("80")),
        IncomingRow(2, level.id, shift_month(breach, 2), Decimal("81")),
    ]
    plan = writes.plan_writes(engagement, rows, Intent.ADD, TODAY)
    writes.apply_plan(engagement, plan, Source.IMPORT, None, "tests", bulk=True)
    db.session.commit()
    row = db.session.get(BpoMonthlyRollup, (engagement.id, breach))
    assert (row.gross, row.earned_back, row.payable) == (
        Decimal("10000.00"),
        Decimal("10000.00"),
        Decimal("0.00"),
    )
    assert rollups.check_all(db.session) == []


def test_a_stale_row_is_named_and_a_rebuild_mends_it(ctx):
    _run_sequence(9, steps=10)
    row = db.session.execute(select(BpoMonthlyRollup).limit(1)).scalar_one()
    eid, month, met = row.engagement_id, row.month, row.met
    db.session.execute(
        BpoMonthlyRollup.__table__.update()
        .where(BpoMonthlyRollup.engagement_id == eid, BpoMonthlyRollup.month == month)
        .values(met=met + 5)
    )
    assert rollups.check_all(db.session) == [
        f"engagement {eid}, {month:%Y-%m}, met: stored {met + 5}, fresh {met}"
    ]
    db.session.execute(
        BpoMonthlyRollup.__table__.delete().where(BpoMonthlyRollup.engagement_id == eid)
    )
    assert any("row missing" in line for line in rollups.check_all(db.session))
    assert rollups.rebuild_all(db.session) > 0
    assert rollups.check_all(db.session) == []


def test_a_reader_settles_changes_not_yet_committed(ctx):
    """Within a transaction a reader calls `settle` and sees its own writes."""
    ids = _world(random.Random(5), engagements=1)
    engagement = db.session.get(Engagement, ids[0])
    level = _levels(engagement.id)[0]
    month = shift_month(THIS_MONTH, -1)
    plan = writes.plan_writes(
        engagement, [IncomingRow(0, level.id, month, Decimal("1"))], Intent.ADD, TODAY
    )
    writes.apply_plan(engagement, plan, Source.FORM, None, "tests")
    settle(db.session)
    row = db.session.get(BpoMonthlyRollup, (engagement.id, month))
    assert (row.reported, row.breaches) == (1, 1)
    db.session.rollback()
    assert db.session.get(BpoMonthlyRollup, (engagement.id, month)) is None


def test_affected_months_are_the_month_and_its_earn_back_window():
    may = date(2026, 5, 1)
    assert affected_months([date(2026, 5, 17)], 0) == {may}
    assert affected_months([may], 2) == {may, date(2026, 4, 1), date(2026, 3, 1)}
    assert affected_months([date(2026, 1, 1)], 1) == {date(2026, 1, 1), date(2025, 12, 1)}
    assert affected_months([], 3) == set()


def test_pending_credits_turn_final_as_months_end_and_check_allows_for_it(ctx):
    """A breach in M-2 with a 3-month earn-back waits for M-1 (met) and M (open): pending
    until M ends. Stored today, the row is exact; a month later, M unreported, the rules call it
    final and only `pending` differs, which check allows for (payable does not change)."""
    vendor = factories.make_vendor("Pending")
    engagement = factories.make_engagement(
        vendor=vendor, start=shift_month(THIS_MONTH, -6), end=None, earn_back_months=3
    )
    level = make_level(engagement, classification="critical", allocation="100")
    db.session.commit()
    rows = [
        IncomingRow(0, level.id, shift_month(THIS_MONTH, -2), Decimal("70")),
        IncomingRow(1, level.id, shift_month(THIS_MONTH, -1), Decimal("90")),
    ]
    plan = writes.plan_writes(engagement, rows, Intent.ADD, TODAY)
    writes.apply_plan(engagement, plan, Source.FORM, None, "tests")
    db.session.commit()
    row = db.session.get(BpoMonthlyRollup, (engagement.id, shift_month(THIS_MONTH, -2)))
    # 100,000 x 10 % x 100 % = 10,000.00 credit; cap 10,000.00; not earned back yet.
    assert (row.gross, row.pending, row.payable, row.earned_back) == (
        Decimal("10000.00"),
        Decimal("10000.00"),
        Decimal("10000.00"),
        Decimal("0.00"),
    )
    assert row.pending_until == THIS_MONTH
    next_month = shift_month(THIS_MONTH, 1)
    assert rollups.check_all(db.session, next_month) == []
    fresh = rollups.fresh_figures(db.session, {engagement.id: None}, next_month)[engagement.id]
    final = fresh[shift_month(THIS_MONTH, -2)]
    assert (final.pending, final.payable) == (Decimal("0.00"), Decimal("10000.00"))
