"""Stored vendor scorecards: the database ranks and pages exactly as the list sorted in Python
did, a row lives for one day, one set of settings and one generation of the vendor's figures,
and `rollups rebuild | check vendor-scores` fill and prove them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.core.paging import sort_rows
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting import score_reads, score_store, services
from vendor_tracker.reporting.score_models import VendorPeriodScore
from vendor_tracker.reporting.scorecard import (
    Component,
    current_quarter,
    previous_quarter,
    quarter_of,
    quarter_period,
    trailing_twelve_months,
)

TODAY = date.today()
THIS_MONTH = TODAY.replace(day=1)
QUARTER = current_quarter(TODAY)


def _vendor(name: str, met: int, levels: int = 4, status: str = "approved"):
    """A BPO vendor whose `met` of `levels` service levels met their target this month."""
    vendor = factories.make_vendor(name, status=status)
    engagement = factories.make_engagement(
        vendor, title=f"{name} voice", start=TODAY - timedelta(days=400), end=TODAY + timedelta(400)
    )
    for n in range(levels):
        level = make_level(engagement, name=f"L{n}", target="80", position=n)
        make_result(level, THIS_MONTH, 90 if n < met else 70)
    return vendor


@pytest.fixture
def vendors(ctx):
    found = [
        _vendor("Delta", 4),
        _vendor("alpha", 2),  # ties with Bravo on 50 %
        _vendor("Bravo", 2),
        _vendor("Charlie", 1, levels=2),  # 50 % on 2 samples: too few (3) to rate
        factories.make_vendor("Echo"),  # no engagement, no data
        _vendor("Foxtrot", 3),
        _vendor("Gone", 4, status="offboarded"),
    ]
    db.session.commit()
    return found


def _expected(sort: str, descending: bool) -> list[str]:
    """The order the scorecards page had when it sorted every vendor's live scorecard."""
    ids = services.all_vendor_ids()
    cards = services.vendor_scorecards(ids, QUARTER, TODAY)
    names = services.vendor_names(ids)
    rows = [{"name": names[v], "card": cards[v].card} for v in ids]
    keys = {
        "name": lambda r: r["name"].lower(),
        "score": lambda r: r["card"].score,
        **{c.value: (lambda r, c=c: r["card"].component(c).value) for c in Component},
    }
    return [r["name"] for r in sort_rows(rows, keys[sort], descending)]


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", ["name", "score", Component.BPO_ATTAINMENT.value])
def test_the_database_ranks_as_the_sorted_list_did(vendors, sort, descending):
    settings = services.scorecard_settings()
    shown = []
    for number in (1, 2, 3):  # pages of two: the order holds across page boundaries
        page, rated = score_reads.ranked_page(
            QUARTER, None, TODAY, settings, sort, descending, number, 2
        )
        shown += [r.name for r in page.items]
    assert shown == _expected(sort, descending)
    assert (page.total, rated) == (6, 4)  # Gone is offboarded; Charlie and Echo not rated


def test_figures_are_the_rules_and_a_page_past_the_end_shows_the_last(vendors):
    settings = services.scorecard_settings()
    page, _rated = score_reads.ranked_page(QUARTER, None, TODAY, settings, "score", True, 9, 4)
    assert page.page == 2
    assert [(r.name, r.card.score, r.card.band.value) for r in page.items] == [
        ("Charlie", None, "not_rated"),
        ("Echo", None, "not_rated"),
    ]
    charlie = page.items[0].card.component(Component.BPO_ATTAINMENT)
    assert (charlie.value, charlie.sample, charlie.too_few) == (50.0, 2, True)
    live = services.vendor_scorecards([vendors[0].id], QUARTER, TODAY)[vendors[0].id].card
    first, _ = score_reads.ranked_page(QUARTER, None, TODAY, settings, "score", True, 1, 1)
    assert first.items[0].card == live
    assert (first.items[0].card.score, first.items[0].card.band.value) == (100.0, "excellent")


def _stored(vendor_id, key=QUARTER.key):
    return db.session.get(VendorPeriodScore, (vendor_id, key))


def test_a_row_is_rescored_after_a_write_new_settings_or_a_new_day(vendors):
    settings = services.scorecard_settings()
    score_store.fresh_scores([QUARTER], TODAY, settings)
    bravo = vendors[2]
    assert (_stored(bravo.id).score, _stored(bravo.id).band) == (50.0, "watch")
    before = {r.vendor_id: r.generation for r in db.session.scalars(select(VendorPeriodScore))}

    result = db.session.execute(  # a third level now meets its target
        select(Measurement)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .join(Engagement, Engagement.id == ServiceLevel.engagement_id)
        .where(Engagement.vendor_id == bravo.id, ServiceLevel.name == "L2")
    ).scalar_one()
    result.actual = Decimal("95")
    db.session.commit()
    assert score_store.check() == []  # stale rows are not differences: no reader uses them
    score_store.fresh_scores([QUARTER], TODAY, settings)
    assert (_stored(bravo.id).score, _stored(bravo.id).band) == (75.0, "good")
    after = {r.vendor_id: r.generation for r in db.session.scalars(select(VendorPeriodScore))}
    assert {v for v in after if after[v] != before[v]} == {bravo.id}  # only Bravo rescored

    saved = services.save_settings(  # a lower bar for "excellent": 75 is now excellent
        {**_settings_values(settings), "band_excellent": "75", "band_good": "60"},
        settings.version,
    )
    db.session.commit()
    score_store.fresh_scores([QUARTER], TODAY, saved)
    assert _stored(bravo.id).band == "excellent"
    assert _stored(bravo.id).settings_key == score_store.settings_key(saved)

    tomorrow = TODAY + timedelta(days=1)
    score_store.fresh_scores([previous_quarter(QUARTER)], tomorrow, saved)
    row = _stored(bravo.id, previous_quarter(QUARTER).key)
    assert row.as_of == tomorrow and row.score is None  # nothing measured last quarter


def test_a_quarter_scored_after_it_ended_holds_on_later_days(vendors):
    """A past quarter's figures no longer change with the day: its rows stored after it ended
    are read on later days; rows stored while it ran, the running quarter's and the trailing
    twelve months' are scored again on a new day."""
    settings = services.scorecard_settings()
    key = score_store.settings_key(settings)
    reported = {v.id for v in vendors if v.name != "Gone"}
    year, quarter = quarter_of(TODAY)
    ended = quarter_period(year, quarter).last_day  # the running quarter's last day
    last_quarter, this_quarter = previous_quarter(QUARTER), quarter_period(year, quarter, TODAY)
    score_store.fresh_scores(
        [last_quarter, this_quarter, trailing_twelve_months(TODAY)], TODAY, settings
    )

    tomorrow = TODAY + timedelta(days=1)
    assert score_store._stale(last_quarter, tomorrow, key) == {}
    assert (
        set(score_store._stale(quarter_period(year, quarter, tomorrow), tomorrow, key)) == reported
    )
    assert set(score_store._stale(trailing_twelve_months(tomorrow), tomorrow, key)) == reported
    # Stored while it ran: stale once it has ended; stored after: valid from then on.
    later = ended + timedelta(days=1)
    this_quarter_later = quarter_period(year, quarter, later)
    assert set(score_store._stale(this_quarter_later, later, key)) == reported
    score_store.fresh_scores([this_quarter_later], later, settings)
    much_later = later + timedelta(days=45)
    assert score_store._stale(quarter_period(year, quarter, much_later), much_later, key) == {}
    # `check` on a later day proves the rows readers still use, and names a tampered one.
    assert score_store.check(much_later) == []
    db.session.execute(
        update(VendorPeriodScore)
        .where(VendorPeriodScore.vendor_id == vendors[0].id)
        .where(VendorPeriodScore.period_key == this_quarter.key)
        .values(bpo_met=1)
    )
    assert score_store.check(much_later) == [
        f"vendor {vendors[0].id}, {this_quarter.key}, bpo_met: stored 1, fresh 4"
    ]


def _settings_values(settings) -> dict:
    names = (*services.SETTINGS_FIELDS, *services.COUNT_FIELDS)
    return {name: str(getattr(settings, name)) for name in names}


def test_rebuild_fills_the_standard_periods_and_check_names_a_tampered_row(vendors):
    written = score_store.rebuild(lambda items, _label: items)
    periods = score_store.standard_periods(TODAY)
    assert written == len(periods) * 6  # every reported vendor, every period
    assert score_store.check() == []
    db.session.execute(
        update(VendorPeriodScore)
        .where(VendorPeriodScore.vendor_id == vendors[0].id)
        .where(VendorPeriodScore.period_key == QUARTER.key)
        .values(score=12.5)
    )
    assert score_store.check() == [
        f"vendor {vendors[0].id}, {QUARTER.key}, score: stored 12.5, fresh 100.0"
    ]
    score_store.rebuild(lambda items, _label: items)
    assert score_store.check() == []


def test_scorecard_queries_do_not_grow_with_vendors(app, client, auth, query_counter):
    with app.app_context():
        for n in range(2):
            _vendor(f"First {n}", n + 1)
        db.session.commit()
    auth.login("viewer")
    urls = ["/reports/scorecards", "/reports/scorecards?period=ttm&sort=name&dir=asc"]
    for url in urls:
        client.get(url)
    with query_counter() as few:
        for url in urls:
            assert client.get(url).status_code == 200
    with app.app_context():
        for n in range(8):
            _vendor(f"More {n}", n % 5)
        db.session.commit()
    for url in urls:  # the new vendors are scored once, by the first reader
        client.get(url)
    with query_counter() as many:
        for url in urls:
            assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize("name", ["bpo", "kpo"])
def test_rebuilding_the_rollups_makes_the_stored_scorecards_stale(vendors, name):
    from vendor_tracker.core.hooks import ROLLUP_KEEPERS

    settings = services.scorecard_settings()
    score_store.fresh_scores([QUARTER], TODAY, settings)
    assert score_store._stale(QUARTER, TODAY, score_store.settings_key(settings)) == {}
    ROLLUP_KEEPERS[name].rebuild(lambda items, _label: items)
    db.session.commit()
    stale = score_store._stale(QUARTER, TODAY, score_store.settings_key(settings))
    expected = {v.id for v in vendors if v.name != "Gone"}
    if name == "kpo":  # no KPO engagements here: nothing was rebuilt, nothing is stale
        expected = set()
    assert set(stale) == expected - {vendors[4].id}  # Echo has no engagement to rebuild


def test_a_write_flushed_before_its_commit_marks_the_scores_stale_in_any_listener_order(vendors):
    """The BPO rollups' own commit listener may run before or after the stored scorecards'
    (the order sessions' listeners were registered in): a write whose flush came first must
    still make its vendor's rows stale in the same commit."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from vendor_tracker.engagements.bpo import rollup_events

    event.remove(Session, "before_commit", rollup_events._before_commit)
    rollup_events.register_rollup_listeners()  # now after the stored scorecards' listener
    score_store.fresh_scores([QUARTER], TODAY, services.scorecard_settings())
    result = db.session.execute(
        select(Measurement)
        .join(ServiceLevel, ServiceLevel.id == Measurement.service_level_id)
        .join(Engagement, Engagement.id == ServiceLevel.engagement_id)
        .where(Engagement.vendor_id == vendors[2].id, ServiceLevel.name == "L3")
    ).scalar_one()
    result.actual = Decimal("95")
    db.session.flush()  # the change is flushed; only the rollups wait for the commit
    db.session.commit()
    assert score_store.check() == []
    stale = score_store._stale(
        QUARTER, TODAY, score_store.settings_key(services.scorecard_settings())
    )
    assert set(stale) == {vendors[2].id}
