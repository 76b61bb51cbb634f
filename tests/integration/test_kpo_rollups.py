"""The KPO monthly rollups stay equal to a fresh computation from the pure rules after any
sequence of writes (new deliverables, date changes, versions, reviews, deletions, rubric changes),
in the same transaction; `flask rollups check kpo` says so on the demo data on every backend.
"""

import random
from datetime import date, timedelta

from sqlalchemy import select, update

from tests import factories_kpo as fk
from tests.factories import make_vendor
from vendor_tracker.demo import seed_all
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import rollups, services, summaries, writes
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date(2026, 11, 21)
KEEPER = rollups.KpoRollupKeeper()


def _stored(engagement_id):
    return {
        row.month: rollups.figures_from_row(row)
        for row in db.session.execute(
            select(KpoMonthlyRollup).where(KpoMonthlyRollup.engagement_id == engagement_id)
        ).scalars()
    }


def test_demo_data_checks_clean_and_a_tampered_figure_is_named_and_rebuilt(app):
    with app.app_context():
        seed_all(TODAY)
        db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["rollups", "check", "kpo"])
    assert result.exit_code == 0, result.output
    assert "kpo: no differences." in result.output
    with app.app_context():
        row = db.session.execute(
            select(KpoMonthlyRollup).where(KpoMonthlyRollup.due_accepted > 0).limit(1)
        ).scalar_one()
        key = (row.engagement_id, row.month, row.due_accepted)
        # A raw write past the ORM events, as a restore or a bulk load would leave it.
        db.session.execute(
            update(KpoMonthlyRollup)
            .where(KpoMonthlyRollup.engagement_id == key[0], KpoMonthlyRollup.month == key[1])
            .values(due_accepted=key[2] + 5)
        )
        db.session.commit()
    result = runner.invoke(args=["rollups", "check", "kpo"])
    assert result.exit_code == 1
    assert (
        f"kpo: engagement {key[0]}, month {key[1]:%Y-%m}, due_accepted: "
        f"stored {key[2] + 5}, fresh {key[2]}" in result.output
    )
    assert "kpo: 1 difference." in result.output
    result = runner.invoke(args=["rollups", "rebuild", "kpo"])
    assert result.exit_code == 0, result.output
    assert "kpo: 1 rollup rows rebuilt." in result.output
    assert runner.invoke(args=["rollups", "check", "kpo"]).exit_code == 0


def test_months_follow_a_hand_counted_deliverable(ctx):
    """Due 10 Mar, v1 sent 8 Mar, changes asked 12 Mar, v2 sent 15 Mar, accepted 2 Apr (80)."""
    engagement = fk.make_kpo_engagement(vendor=make_vendor("Hand counted"))
    deliverable = fk.make_deliverable(engagement, due_on=date(2026, 3, 10))
    fk.add_round(deliverable, date(2026, 3, 8), date(2026, 3, 12), "changes_requested", 40)
    fk.add_round(deliverable, date(2026, 3, 15), date(2026, 4, 2), "accepted", 80)
    stored = _stored(engagement.id)
    assert set(stored) == {date(2026, 3, 1), date(2026, 4, 1)}
    march, april = stored[date(2026, 3, 1)], stored[date(2026, 4, 1)]
    assert (march.due, march.due_accepted, march.due_on_time, march.accepted) == (1, 1, 1, 0)
    assert (march.review_days_sum, march.review_days_count) == (4 + 18, 2)
    assert (march.rework_days_sum, march.rework_days_count) == (3, 1)
    assert (march.closed_quality_count, march.closed_quality_hundredths) == (1, 8000)
    assert (april.due, april.accepted, april.accepted_first_pass, april.accepted_rounds) == (
        0,
        1,
        0,
        2,
    )
    assert (april.accepted_quality_count, april.accepted_quality_hundredths) == (1, 8000)
    assert april.accepted_rounds_histogram == "2:1"
    # Moving the due date to April moves the due-side figures, in the same transaction.
    writes.update_deliverable(deliverable, {"due_on": date(2026, 4, 20)})
    stored = _stored(engagement.id)
    assert set(stored) == {date(2026, 4, 1)}
    assert (stored[date(2026, 4, 1)].due, stored[date(2026, 4, 1)].accepted) == (1, 1)
    writes.delete_deliverable(deliverable)
    assert _stored(engagement.id) == {}
    db.session.rollback()
    assert _stored(engagement.id) == {}  # nothing was committed: the rollups roll back too


def _rules_summaries(vendor_id, periods, today=TODAY):
    """The reference: `review.period_summary` over every deliverable's figures (no rollups)."""
    figures = []
    for engagement_id in db.session.execute(
        select(Engagement.id).where(Engagement.vendor_id == vendor_id)
    ).scalars():
        figures += [row.figures for row in services.engagement_rows(engagement_id, today)]
    if not figures:  # a vendor without deliverables has no KPO summary
        return [None for _ in periods]
    return [rules.period_summary(figures, first, last) for first, last in periods]


# Whole months, cut months, the running month to date, and months after it.
PERIODS = [
    (date(2026, 10, 1), TODAY),
    (date(2026, 7, 1), date(2026, 9, 30)),
    (date(2025, 11, 22), TODAY),
    (date(2026, 8, 17), date(2027, 2, 28)),
    (date(2026, 11, 21), date(2026, 11, 21)),
]


def _random_day(rng) -> date:
    return TODAY + timedelta(days=rng.randint(-150, 40))


def _random_step(rng, engagements, criteria_names) -> None:
    """One write through the services, chosen at random; refusals are part of the game."""
    deliverables = list(db.session.execute(select(Deliverable)).scalars())
    action = rng.choice(["new", "new", "date", "version", "version", "review", "review", "drop"])
    action = action if deliverables or action == "new" else "new"
    if action == "new":
        writes.create_deliverable(
            rng.choice(engagements),
            {"title": f"D{rng.random()}", "type": "report", "due_on": _random_day(rng)},
        )
        return
    deliverable = rng.choice(deliverables)
    if action == "date":
        writes.update_deliverable(deliverable, {"due_on": _random_day(rng)})
    elif action == "drop":
        writes.delete_deliverable(deliverable)
    elif action == "version":
        last = deliverable.submissions[-1].review if deliverable.submissions else None
        earliest = last.reviewed_on if last else TODAY - timedelta(days=150)
        day = earliest + timedelta(days=rng.randint(0, max(0, (TODAY - earliest).days)))
        writes.submit_version(deliverable, day, "v", "", None, TODAY)
    else:
        open_versions = [s for s in deliverable.submissions if s.review is None]
        if not open_versions:
            return
        submission = open_versions[-1]
        day = submission.submitted_on + timedelta(
            days=rng.randint(0, (TODAY - submission.submitted_on).days)
        )
        decision = rng.choice(["accepted", "changes_requested", "changes_requested", "rejected"])
        scores = {name: rng.randint(1, 5) for name in criteria_names(deliverable)}
        writes.record_review(submission, None, day, decision, "Fix it.", scores, TODAY)


def test_random_write_sequences_keep_every_month_equal_to_the_rules(ctx):
    from vendor_tracker.core.refusals import Refusal

    vendor = make_vendor("Random writes", lines=("market_research",))
    engagements = [fk.make_kpo_engagement(vendor=vendor) for _ in range(3)]
    db.session.commit()

    def criteria_names(deliverable):
        return [c.name for c in services.rubric_for(deliverable.engagement_id)]

    seen = []
    for seed in range(4):
        rng = random.Random(seed)
        for step in range(40):
            try:
                _random_step(rng, engagements, criteria_names)
            except Refusal:
                db.session.rollback()
            if step % 10 == 3:
                # A rubric change: later reviews are scored with the new weights.
                engagement = rng.choice(engagements)
                rubric = [
                    {"name": c.name, "weight": rng.randint(1, 9)}
                    for c in services.rubric_for(engagement.id)
                ]
                services.replace_rubric(engagement, rubric)
            if rng.random() < 0.3:
                db.session.commit()
            assert KEEPER.check() == [], f"seed {seed}, step {step}"
        db.session.commit()
        assert KEEPER.check() == []
        found = summaries.vendor_period_summaries([vendor.id], PERIODS, TODAY)
        expected = _rules_summaries(vendor.id, PERIODS)
        assert [f.get(vendor.id) for f in found] == expected
        # Any period, read on any day (a later day turns past-due open work overdue).
        today = TODAY + timedelta(days=rng.choice([0, 9, 45]))
        periods = []
        for _ in range(4):
            first = TODAY + timedelta(days=rng.randint(-200, 60))
            periods.append((first, first + timedelta(days=rng.randint(0, 120))))
        found = summaries.vendor_period_summaries([vendor.id], periods, today)
        assert [f.get(vendor.id) for f in found] == _rules_summaries(vendor.id, periods, today)
        seen += [s for s in expected if s is not None]
        ids = [e.id for e in engagements]
        assert summaries.engagement_review_stats_many(ids, TODAY) == {
            e: services.engagement_review_stats(e, TODAY) for e in ids
        }
    # The sequences reached the figures that matter: acceptances, qualities, overdue, on time.
    assert any(s.accepted and s.mean_quality is not None for s in seen)
    assert any(s.overdue for s in seen) and any(s.on_time_first_rate for s in seen)
    assert db.session.execute(select(Submission)).first() is not None
