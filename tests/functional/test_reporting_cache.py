"""No summary cache: scorecards read the database on every call, so a write through the app
shows at once; a write outside the app shows after the rollups are rebuilt."""

from datetime import date, timedelta

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.core import hooks
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services
from vendor_tracker.reporting.models import ScorecardSettings
from vendor_tracker.reporting.scorecard import previous_quarter

TODAY = date.today()
PREVIOUS = previous_quarter(TODAY)
FIRST = PREVIOUS.first_day


def test_a_new_result_shows_at_once(ctx, query_counter):
    vendor = factories.make_vendor("Acme")
    engagement = factories.make_engagement(
        vendor, start=FIRST - timedelta(days=100), end=TODAY + timedelta(days=100)
    )
    level = make_level(engagement, target="80", minimum="75")
    make_result(level, FIRST, 85)
    # One service-level-month rates here: this test is about reading afresh, not sample sizes.
    db.session.add(ScorecardSettings(min_bpo_months=1))
    db.session.commit()
    vendor_id, level_id, engagement_id = vendor.id, level.id, engagement.id  # before counting
    with query_counter() as first_call:
        first = services.vendor_scorecards([vendor_id], PREVIOUS, TODAY)[vendor_id]
    with query_counter() as second_call:
        again = services.vendor_scorecards([vendor_id], PREVIOUS, TODAY)[vendor_id]
    assert first.card.score == again.card.score == 100.0
    assert len(second_call) == len(first_call)  # nothing kept in process memory
    # A new result: the next call sees it (1 met of 2 = 50 %).
    make_result(db.session.get(type(level), level_id), date(FIRST.year, FIRST.month + 1, 1), 60)
    db.session.commit()
    assert services.vendor_scorecards([vendor_id], PREVIOUS, TODAY)[vendor_id].card.score == 50.0
    # A raw SQL write made outside the app bypasses the rollups the scorecards read: `rollups
    # check` names the difference, and `rollups rebuild` brings the scorecard up to date.
    db.session.execute(
        db.text("UPDATE bpo_measurements SET actual = 90 WHERE service_level_id = :id"),
        {"id": level_id},
    )
    db.session.commit()
    assert services.vendor_scorecards([vendor_id], PREVIOUS, TODAY)[vendor_id].card.score == 50.0
    keeper = hooks.ROLLUP_KEEPERS["bpo"]
    assert any(f"engagement {engagement_id}," in line for line in keeper.check())
    keeper.rebuild(None)
    db.session.commit()
    assert keeper.check() == []
    assert services.vendor_scorecards([vendor_id], PREVIOUS, TODAY)[vendor_id].card.score == 100.0
