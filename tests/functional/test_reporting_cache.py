"""The summary cache: reused while nothing changes, never stale after an audited write."""

from datetime import date, timedelta

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services, summary_cache
from vendor_tracker.reporting.scorecard import previous_quarter

TODAY = date.today()
PREVIOUS = previous_quarter(TODAY)
FIRST = PREVIOUS.first_day


def test_second_call_is_served_from_the_cache_and_a_write_invalidates_it(ctx, query_counter):
    vendor = factories.make_vendor("Acme")
    engagement = factories.make_engagement(
        vendor, start=FIRST - timedelta(days=100), end=TODAY + timedelta(days=100)
    )
    level = make_level(engagement, target="80", minimum="75")
    make_result(level, FIRST, 85)
    db.session.commit()
    with query_counter() as cold:
        first = services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id]
    with query_counter() as warm:
        again = services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id]
    assert first.card.score == again.card.score == 100.0
    assert len(warm) < len(cold)
    # A new result is an audited write: the next call sees it (1 met of 2 = 50 %).
    make_result(level, date(FIRST.year, FIRST.month + 1, 1), 60)
    db.session.commit()
    assert services.vendor_scorecards([vendor.id], PREVIOUS, TODAY)[vendor.id].card.score == 50.0


def test_big_requests_fill_one_entry_that_serves_any_subset(ctx):
    summary_cache.clear()
    ids = [factories.make_vendor(f"V{n}").id for n in range(summary_cache.SMALL_REQUEST + 2)]
    db.session.commit()
    calls = []

    def compute(wanted):
        calls.append(list(wanted))
        return {v: {"reported": 1, "met": 1, "attainment": 100.0} for v in wanted}, {}

    window = (PREVIOUS.first_day, PREVIOUS.last_day)
    everyone = summary_cache.cached_summaries(ids, window, TODAY, compute, lambda: ids)
    one = summary_cache.cached_summaries(ids[:1], window, TODAY, compute, lambda: ids)
    assert len(calls) == 1 and set(everyone[0]) == set(ids) and set(one[0]) == {ids[0]}
    other_day = summary_cache.cached_summaries(
        ids[:1], window, TODAY + timedelta(days=1), compute, lambda: ids
    )
    assert len(calls) == 2 and set(other_day[0]) == {ids[0]}
