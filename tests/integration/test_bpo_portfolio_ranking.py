"""The BPO portfolio ranks and pages in SQL: hand-computed orders (no data last in both
directions, ties by title then id), the SQL ranking against the pure rules on random data, and
query counts that do not grow with the engagements."""

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.integration.test_bpo_queries import _build
from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.portfolio import portfolio
from vendor_tracker.engagements.bpo.sla import Attainment, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)
MET, WARNING, BREACH = "85", "77", "60"  # against a target of 80 and a minimum of 75


def _engagement(title, vendor=None, **results):
    """An engagement started six months ago; `critical`/`key` map months back to values."""
    engagement = factories.make_engagement(
        vendor=vendor, title=title, start=shift_month(THIS_MONTH, -6), end=None
    )
    for kind, values in results.items():
        level = make_level(engagement, name=kind, classification=kind, allocation="100")
        for back, value in values.items():
            make_result(level, shift_month(THIS_MONTH, -back), value)
    return engagement


@pytest.fixture
def world(ctx):
    """Overall / critical attainment over the twelve months, worked out by hand:

    Alpha    critical met, breach                     overall 1/2 = 50   critical 1/2 = 50
    ALPHA    key met, breach                          overall 1/2 = 50   critical no data
    beta     critical met, met; key breach, breach    overall 2/4 = 50   critical 2/2 = 100
    Gamma    key met                                  overall 1/1 = 100  critical no data
    Delta    a critical level, no result              no data            no data
    Epsilon  no service level                         no data            no data
    Zeta     critical breach, warning, breach         overall 0/3 = 0    critical 0/3 = 0
    eta      critical met; key met                    overall 2/2 = 100  critical 1/1 = 100
    """
    built = {
        "Alpha": _engagement("Alpha", critical={3: MET, 2: BREACH}),
        "ALPHA": _engagement("ALPHA", key={3: MET, 2: BREACH}),
        "beta": _engagement("beta", critical={4: MET, 3: MET}, key={4: BREACH, 3: BREACH}),
        "Gamma": _engagement("Gamma", key={2: MET}),
        "Delta": _engagement("Delta", critical={}),
        "Epsilon": _engagement("Epsilon"),
        "Zeta": _engagement("Zeta", critical={3: BREACH, 2: WARNING, 1: BREACH}),
        "eta": _engagement("eta", critical={2: MET}, key={2: MET}),
    }
    db.session.commit()
    assert built["Alpha"].id < built["ALPHA"].id  # their tie goes by id
    return {title: engagement.id for title, engagement in built.items()}


def _titles(sort, direction, per_page=3, **filters):
    """Every page in turn, joined: the titles in the order the portfolio shows them."""
    first = portfolio(TODAY, sort=sort, direction=direction, per_page=per_page, **filters)
    titles, page = [], first.page
    for number in range(1, page.pages + 1):
        shown = portfolio(
            TODAY, sort=sort, direction=direction, page=number, per_page=per_page, **filters
        )
        titles += [row.title for row in shown.page.items]
    assert len(titles) == page.total
    return titles


EXPECTED = {
    ("attainment", "asc"): ["Zeta", "Alpha", "ALPHA", "beta", "eta", "Gamma", "Delta", "Epsilon"],
    ("attainment", "desc"): ["Gamma", "eta", "beta", "Alpha", "ALPHA", "Zeta", "Epsilon", "Delta"],
    ("critical", "asc"): ["Zeta", "Alpha", "beta", "eta", "ALPHA", "Delta", "Epsilon", "Gamma"],
    ("critical", "desc"): ["eta", "beta", "Alpha", "Zeta", "Gamma", "Epsilon", "Delta", "ALPHA"],
    ("title", "asc"): ["Alpha", "ALPHA", "beta", "Delta", "Epsilon", "eta", "Gamma", "Zeta"],
    ("title", "desc"): ["Zeta", "Gamma", "eta", "Epsilon", "Delta", "beta", "Alpha", "ALPHA"],
}


@pytest.mark.parametrize(("sort", "direction"), list(EXPECTED))
def test_hand_computed_order_across_pages(world, sort, direction):
    assert _titles(sort, direction) == EXPECTED[(sort, direction)]


def test_rows_show_the_hand_computed_figures(world):
    data = portfolio(TODAY, sort="attainment", direction="asc", per_page=8)
    assert (data.page.total, data.page.pages) == (8, 1)
    shown = {row.title: row for row in data.page.items}
    # Six ended months of the window per level: met, reported, expected.
    assert shown["beta"].overall == Attainment(2, 4, 12)
    assert shown["beta"].critical == Attainment(2, 2, 6)
    assert shown["Zeta"].overall == Attainment(0, 3, 6) and shown["Zeta"].overall.rate == 0.0
    assert shown["Delta"].overall == Attainment(0, 0, 6) and shown["Delta"].overall.rate is None
    assert shown["Epsilon"].critical == Attainment(0, 0, 0)
    assert shown["Gamma"].critical.rate is None and shown["Gamma"].overall.rate == 100.0


def test_vendor_sort_ties_go_by_title_then_id(ctx):
    acme, bravo = factories.make_vendor("acme"), factories.make_vendor("Bravo")
    for title, vendor in [("b", acme), ("A", bravo), ("a", acme), ("C", bravo), ("a", bravo)]:
        _engagement(title, vendor=vendor)
    db.session.commit()
    first_page = portfolio(TODAY, sort="vendor", per_page=2).page
    assert first_page.total == 5
    assert [(r.vendor, r.title) for r in first_page.items] == [("acme", "a"), ("acme", "b")]
    order = [(r.vendor, r.title) for r in _rows("vendor", "asc")]
    assert order == [("acme", "a"), ("acme", "b"), ("Bravo", "A"), ("Bravo", "a"), ("Bravo", "C")]
    order = [(r.vendor, r.title) for r in _rows("vendor", "desc")]
    assert order == [("Bravo", "C"), ("Bravo", "A"), ("Bravo", "a"), ("acme", "b"), ("acme", "a")]


def _rows(sort, direction, **filters):
    return portfolio(TODAY, sort=sort, direction=direction, per_page=100, **filters).page.items


def test_filters_and_a_page_past_the_end(world):
    one = db.session.get(Engagement, world["beta"])
    assert [r.title for r in _rows("critical", "desc", vendor_id=one.vendor_id)] == ["beta"]
    assert _rows("attainment", "asc", status="terminated") == []
    past = portfolio(TODAY, page=9, per_page=3)
    assert past.page.items == [] and past.page.total == 8


def _pure_order(sort: str, direction: str) -> list[int]:
    """The order the pure rules give: rate (then lower-case title) in the direction, no rate
    after every rate, equal keys by id."""
    first, last = services.last_twelve_months(TODAY)
    keyed = []
    engagements = db.session.execute(select(Engagement).order_by(Engagement.id)).scalars()
    for engagement in engagements:
        report = services.compliance_report(engagement, first, last, TODAY)
        rate = (report.overall if sort == "attainment" else report.critical).rate
        keyed.append((rate, engagement.title.lower(), engagement.id))
    descending = direction == "desc"
    present = sorted(
        (k for k in keyed if k[0] is not None), key=lambda k: k[:2], reverse=descending
    )
    missing = sorted((k for k in keyed if k[0] is None), key=lambda k: k[1], reverse=descending)
    return [k[2] for k in present + missing]


@pytest.mark.parametrize("sort", ["attainment", "critical"])
def test_sql_ranking_matches_the_pure_rules(ctx, sort):
    _build(24, 18, seed=11)
    for direction in ("asc", "desc"):
        shown = [row.engagement_id for row in _rows(sort, direction)]
        assert shown == _pure_order(sort, direction), direction
        for row in _rows(sort, direction):
            report = services.compliance_report(
                row.engagement, *services.last_twelve_months(TODAY), TODAY
            )
            assert (row.overall, row.critical) == (report.overall, report.critical)


@pytest.mark.parametrize(
    "url",
    [
        "/bpo/portfolio?sort=critical&dir=desc&page=2",
        "/bpo/portfolio?sort=title",
        "/bpo/portfolio?sort=vendor&dir=desc",
    ],
)
def test_query_count_does_not_grow_with_engagements(app, client, auth, query_counter, url):
    """Both the first request after a write (which ranks and stores the ranking) and the next
    one (which reads it back) send as many statements for 36 engagements as for 90."""

    def counts() -> tuple[int, int]:
        with query_counter() as ranked:
            assert client.get(url).status_code == 200
        with query_counter() as read_back:
            assert client.get(url).status_code == 200
        assert not any("stored_answers" in s and "INSERT" in s for s in read_back)
        return len(ranked), len(read_back)

    with app.app_context():
        _build(30, 6, seed=1)
    auth.login("viewer")
    few = counts()
    with app.app_context():
        _build(60, 30, seed=2)
    assert counts() == few
    assert few[1] < few[0]
