"""Nothing kept in process memory: scorecards read the database on every call, and a stored
answer is made stale by the writer's own transaction, so a write through the app shows at once;
a write outside the app shows after the rollups are rebuilt."""

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


def test_a_fee_saved_through_the_form_shows_on_the_portfolio_page_at_once(app, client, auth):
    """The portfolio page reads a stored answer: the engagement form's save makes it stale in
    the same transaction, so the next view shows the new fee (and a second view reads the
    stored answer back, sending fewer statements)."""
    from tests.functional.test_engagements import form

    with app.app_context():
        engagement = factories.make_engagement(
            factories.make_vendor("Acme"), start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        db.session.commit()
        engagement_id = engagement.id
        known = {"vendor": engagement.vendor_id, "support": engagement.service_line_id}
    window = "from=2026-01&to=2026-12"
    auth.login("manager")
    assert "USD 1,200,000.00" in client.get(f"/reports/portfolio?{window}").get_data(True)
    saved = client.post(
        f"/engagements/{engagement_id}/edit",
        data={**form(known, monthly_fee="2000.00", currency="USD", version="1"), "kind": "BPO"},
    )
    assert saved.status_code == 302
    page = client.get(f"/reports/portfolio?{window}").get_data(as_text=True)
    assert "USD 24,000.00" in page and "USD 1,200,000.00" not in page
