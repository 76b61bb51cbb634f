"""Scorecards on real BPO and KPO rows: hand-computed values, sample sizes, pages, query counts."""

from datetime import date, timedelta

import pytest

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_kpo import add_round, make_deliverable, make_kpo_engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services
from vendor_tracker.reporting.scorecard import Component, previous_quarter

TODAY = date.today()
PREVIOUS = previous_quarter(TODAY)  # a whole past quarter: every month of it can be reported
MONTHS = [date(PREVIOUS.first_day.year, PREVIOUS.first_day.month + n, 1) for n in range(3)]


def bpo_vendor(name="Acme BPO", actuals=(85, 70, 90)):
    """A BPO vendor with one key level (higher is better, target 80, minimum 75).

    85 met, 70 breach (below the minimum), 90 met: 2 met of 3 reported = 66.7 %.
    """
    vendor = factories.make_vendor(name)
    engagement = factories.make_engagement(
        vendor, start=PREVIOUS.first_day - timedelta(days=400), end=TODAY + timedelta(days=400)
    )
    level = make_level(engagement, target="80", minimum="75")
    for month, actual in zip(MONTHS, actuals, strict=False):
        make_result(level, month, actual)
    return vendor


def kpo_vendor(name="Insight KPO"):
    """Two deliverables due and accepted in the previous quarter.

    D1: first version on time, accepted first time, quality 80.
    D2: first version late, changes requested, accepted in round 2 with quality 60.
    accepted 2, first-pass 50 %, mean quality 70, due 2, on-time 50 %.
    Score = (70 x 25 + 50 x 15 + 50 x 10) / 50 = 60.0 -> watch.
    """
    vendor = factories.make_vendor(name, lines=("market_research",))
    engagement = make_kpo_engagement(
        vendor, start=PREVIOUS.first_day - timedelta(days=200), end=TODAY + timedelta(days=200)
    )
    due = PREVIOUS.first_day + timedelta(days=20)
    d1 = make_deliverable(engagement, "Market sizing", due_on=due)
    add_round(d1, due - timedelta(days=2), due + timedelta(days=3), "accepted", quality=80)
    d2 = make_deliverable(engagement, "Competitor profiles", due_on=due)
    add_round(d2, due + timedelta(days=1), due + timedelta(days=4), "changes_requested", quality=40)
    add_round(d2, due + timedelta(days=10), due + timedelta(days=12), "accepted", quality=60)
    return vendor


def test_bpo_only_scorecard(ctx):
    vendor = bpo_vendor()
    card = services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id].card
    attainment = card.component(Component.BPO_ATTAINMENT)
    assert (round(attainment.value, 1), attainment.sample) == (66.7, 3)
    assert card.score == 66.7
    assert card.band.value == "watch"
    assert card.component(Component.KPO_QUALITY).value is None


def test_kpo_only_scorecard(ctx):
    vendor = kpo_vendor()
    card = services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id].card
    assert card.component(Component.KPO_QUALITY).value == 70.0
    assert card.component(Component.KPO_QUALITY).sample == 2
    assert card.component(Component.KPO_FIRST_PASS).value == 50.0
    assert card.component(Component.KPO_ON_TIME).value == 50.0
    assert card.component(Component.BPO_ATTAINMENT).value is None
    assert card.score == 60.0
    assert card.band.value == "watch"


def test_vendor_with_no_data_is_not_rated(ctx):
    vendor = factories.make_vendor("Quiet Ltd")
    card = services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id].card
    assert card.score is None and card.band.value == "not_rated"


def test_standing_uses_the_real_summaries(ctx):
    vendor = bpo_vendor()
    standing = services.current_standings([vendor.id], TODAY)[vendor.id]
    assert standing.previous_band == "watch"
    assert standing.previous_score == 66.7


def test_scorecards_page_shows_values_and_samples(client, auth, app):
    with app.app_context():
        bpo_vendor()
        kpo_vendor()
        factories.make_vendor("Quiet Ltd")
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/reports/scorecards?period={PREVIOUS.key}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "66.7 %" in text and "n = 3" in text
    assert "60.0" in text and "Watch" in text
    assert "Not rated" in text and "no data" in text
    assert "2 of 3 vendors rated" in text


def test_scorecards_page_queries_do_not_grow(client, auth, app, query_counter):
    auth.login("viewer")
    with app.app_context():
        bpo_vendor("One")
        kpo_vendor("Two")
        db.session.commit()
    with query_counter() as few:
        assert client.get(f"/reports/scorecards?period={PREVIOUS.key}").status_code == 200
    with app.app_context():
        for n in range(4):
            bpo_vendor(f"More BPO {n}")
            kpo_vendor(f"More KPO {n}")
        db.session.commit()
    with query_counter() as many:
        assert client.get(f"/reports/scorecards?period={PREVIOUS.key}").status_code == 200
    assert len(many) == len(few)


def test_vendor_list_column_and_vendor_section(ctx):
    from vendor_tracker.core.hooks import sections_for_vendor, vendor_list_columns

    vendor = bpo_vendor()
    columns = dict(vendor_list_columns([vendor.id]))
    header = next(h for h in columns if h.startswith("Standing"))
    assert "Not rated" in str(columns[header][vendor.id]) or "Watch" in str(
        columns[header][vendor.id]
    )
    sections = [s for s in sections_for_vendor(vendor) if s.template.startswith("reporting/")]
    assert len(sections) == 1
    assert sections[0].context["previous"].card.score == 66.7


def test_vendor_page_shows_the_scorecard_section(client, auth, app):
    with app.app_context():
        vendor_id = bpo_vendor().id
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/vendors/{vendor_id}")
    assert page.status_code == 200
    assert "Full scorecard" in page.get_data(as_text=True)
    listing = client.get("/vendors")
    assert "Standing (Q" in listing.get_data(as_text=True)


@pytest.mark.parametrize("period", ["ttm", PREVIOUS.key])
def test_vendor_scorecard_page(client, auth, app, period):
    with app.app_context():
        vendor_id = bpo_vendor().id
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/reports/scorecards/vendor/{vendor_id}?period={period}")
    assert page.status_code == 200
    assert "3 service level-months reported" in page.get_data(as_text=True)
