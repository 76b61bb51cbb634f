"""KPO services against the database: contracts other packages call, SQL agreeing with rules."""

from datetime import date, timedelta

from sqlalchemy import func, select

from tests import factories_kpo as fk
from tests.factories import make_engagement, make_vendor
from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo import services, writes
from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary
from vendor_tracker.engagements.kpo.models import (
    ActionItem,
    Deliverable,
    Review,
    ReviewScore,
    RubricCriterion,
    Submission,
)
from vendor_tracker.extensions import db

TODAY = date.today()


def test_ensure_rubric_default_custom_and_once(ctx):
    engagement = make_engagement(kind="KPO")
    criteria = services.ensure_rubric(engagement)
    assert [(c.name, c.weight) for c in criteria] == [
        ("Accuracy", 30),
        ("Depth of insight", 25),
        ("Completeness", 20),
        ("Clarity", 15),
        ("Actionability", 10),
    ]
    again = services.ensure_rubric(engagement, [{"name": "Other", "weight": 1}])
    assert [c.name for c in again] == [c.name for c in criteria]  # already has one
    other = make_engagement(kind="KPO")
    custom = services.ensure_rubric(other, [{"name": "Rigour", "weight": 3, "description": ""}])
    assert [(c.name, c.weight) for c in custom] == [("Rigour", 3)]


def test_vendor_kpo_summary_over_all_kpo_engagements(ctx):
    vendor = make_vendor(lines=("market_research",))
    first = fk.make_kpo_engagement(vendor=vendor)
    second = fk.make_kpo_engagement(vendor=vendor)
    make_engagement(vendor=vendor, kind="BPO")  # BPO work never counts here
    march = date(2026, 3, 1)
    # first: accepted first time on 3 Mar (quality 60), due 10 Mar, on time
    fk.make_deliverable_with_rounds(first, 1, due_on=date(2026, 3, 10), start=march)
    # second: accepted after 3 rounds on 13 Mar (final quality 80), due 5 Mar, first on time
    fk.make_deliverable_with_rounds(second, 3, due_on=date(2026, 3, 5), start=march)
    # second: nothing submitted, due 20 Mar -> late first version, overdue
    fk.make_deliverable(second, title="Late", due_on=date(2026, 3, 20))
    # first: due in April, outside the period
    fk.make_deliverable(first, title="April", due_on=date(2026, 4, 20))
    idle = make_vendor(lines=("market_research",))
    db.session.flush()

    summary = services.vendor_kpo_summary(
        [vendor.id, idle.id], date(2026, 3, 1), date(2026, 3, 31), today=date(2026, 4, 1)
    )
    assert idle.id not in summary
    assert summary[vendor.id] == KpoVendorSummary(
        accepted=2,
        first_pass_rate=50.0,
        mean_rounds_to_acceptance=2.0,
        mean_quality=70.0,
        due=3,
        on_time_first_rate=66.7,  # 2 of 3 (the unsubmitted one is late)
        overdue=1,
    )
    stats = services.vendor_review_stats(vendor.id, date(2026, 4, 1))
    assert stats.deliverables == 4 and stats.accepted == 2
    assert services.vendor_review_stats(idle.id, TODAY) is None


def test_attention_sql_agrees_with_the_overdue_rule(app, ctx):
    engagement = fk.make_kpo_engagement()
    past = TODAY - timedelta(days=30)
    fk.make_deliverable_with_rounds(engagement, 1, due_on=past, start=past, title="Accepted")
    fk.make_deliverable_with_rounds(
        engagement, 2, decision="rejected", due_on=past, start=past, title="Rejected"
    )
    fk.make_deliverable_with_rounds(
        engagement, 1, decision="changes_requested", due_on=past, start=past, title="Open"
    )
    fk.make_deliverable(engagement, title="Never sent", due_on=past)
    fk.make_deliverable(engagement, title="Due today", due_on=TODAY)
    fk.make_touchpoint(
        engagement,
        items=[
            ("Late and open", "Ana", TODAY - timedelta(days=1), False),
            ("Late but done", "Ana", TODAY - timedelta(days=1), True),
            ("Due today", "Ana", TODAY, False),
            ("No due date", "Ana", None, False),
        ],
    )
    db.session.commit()
    by_rule = {
        row.title for row in services.engagement_rows(engagement.id, TODAY) if row.figures.overdue
    }
    assert by_rule == {"Open", "Never sent"}
    with app.test_request_context():
        items = services.attention_items(TODAY)
    titles = {i.title for i in items}
    assert {t.split(": ", 1)[1] for t in titles if "deliverable" in t} == by_rule
    assert {i.title for i in items if i.kind == "overdue_action_item"} == {
        "Overdue action item: Late and open"
    }
    assert all(isinstance(i, InboxItem) for i in items)


def test_deleting_a_deliverable_removes_its_rounds(ctx):
    engagement = fk.make_kpo_engagement()
    deliverable = fk.make_deliverable_with_rounds(engagement, 3)
    db.session.commit()
    writes.delete_deliverable(services.load_deliverable(deliverable.id))
    db.session.commit()
    for model in (Deliverable, Submission, Review):
        assert db.session.execute(select(func.count()).select_from(model)).scalar_one() == 0


def test_demo_seed_is_idempotent_and_covers_the_cases(ctx):
    from vendor_tracker.demo import seed_all

    first = seed_all(TODAY)
    db.session.commit()
    assert first["KPO deliverables"] == 16 and first["KPO touchpoints"] == 8
    again = seed_all(TODAY)
    assert again["KPO deliverables"] == 0 and again["KPO touchpoints"] == 0

    engagements = db.session.execute(select(Deliverable.engagement_id).distinct()).scalars().all()
    figures = [row.figures for e_id in engagements for row in services.engagement_rows(e_id, TODAY)]
    assert any(f.first_pass for f in figures)
    assert {f.rounds_to_acceptance for f in figures} >= {1, 2, 3}
    assert any(f.status == rules.DeliverableStatus.REJECTED for f in figures)
    assert any(f.overdue for f in figures)
    done = db.session.execute(select(ActionItem.done)).scalars().all()
    assert set(done) == {True, False}
    # Three engagements with the default rubric; every review scored all 5 criteria.
    assert db.session.execute(select(func.count()).select_from(RubricCriterion)).scalar_one() == 15
    reviews = db.session.execute(select(func.count()).select_from(Review)).scalar_one()
    scores = db.session.execute(select(func.count()).select_from(ReviewScore)).scalar_one()
    assert reviews == 19 and scores == 5 * reviews
    # For the provider portal: action items assigned to the provider's company, and a
    # deliverable awaiting the provider's next version.
    assert set(db.session.execute(select(ActionItem.for_provider)).scalars()) == {True, False}
    assert any(f.status == rules.DeliverableStatus.CHANGES_REQUESTED for f in figures)
