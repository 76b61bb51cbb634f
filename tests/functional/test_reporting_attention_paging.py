"""The needs-attention inbox counts every kind without building its items and builds only the
items it shows: counts equal the full list's, a kind pages through each item exactly once, and
the page's query count does not grow with the data."""

import random
import re
from datetime import date, timedelta

import pytest

from tests import factories
from tests.conftest import postgres_url, seeded_app
from tests.factories_kpo import add_round, make_deliverable, make_kpo_engagement, make_touchpoint
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.extensions import db
from vendor_tracker.reporting import attention

TODAY = date.today()
DATABASES = [None] + ([postgres_url()] if postgres_url() else [])


@pytest.fixture(params=DATABASES, ids=lambda url: "postgresql" if url else "sqlite")
def any_app(request, tmp_path):
    with seeded_app(tmp_path, request.param) as app:
        yield app


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def add_items(rng: random.Random, n: int, tag: str = "") -> None:
    """About n rows of every SQL-counted kind, dates spread around today (some not due)."""
    vendor = factories.make_vendor(f"Vendor {tag}{rng.randrange(10**6)}")
    for i in range(n):
        factories.make_certification(vendor, f"Cert {tag}{i}", expires_on=day(rng.randint(-40, 80)))
        factories.make_engagement(
            vendor,
            title=f"Running {tag}{i}",
            start=day(-400),
            end=day(rng.randint(-5, 120)),
            status=rng.choice(["active", "on_hold", "completed"]),
        )
        make_risk(
            vendor,
            f"Risk {tag}{i}",
            next_review_on=day(rng.randint(-20, 5)),
            status=rng.choice(["open", "mitigating", "closed"]),
        )
    kpo = make_kpo_engagement(vendor, title=f"Research {tag}")
    for i in range(n):
        deliverable = make_deliverable(kpo, f"Report {tag}{i}", due_on=day(rng.randint(-30, 10)))
        if rng.random() < 0.3:
            add_round(deliverable, day(-40), decision=rng.choice(["accepted", "rejected"]))
    make_touchpoint(
        kpo,
        held_on=day(-50),
        items=[
            (f"Follow up {tag}{i}", "Ana", day(rng.randint(-15, 5)), rng.random() < 0.3)
            for i in range(n)
        ],
    )
    qbr = make_qbr(vendor)
    for i in range(n):
        make_action_item(
            qbr,
            f"QBR action {tag}{i}",
            due_on=day(rng.randint(-15, 5)),
            status=rng.choice(["open", "done"]),
        )


@pytest.mark.parametrize("seed", [1, 7, 2026])
def test_counts_and_slices_equal_the_full_list(any_app, seed):
    with any_app.test_request_context():
        add_items(random.Random(seed), 14)
        db.session.commit()
        full = attention.attention_items(TODAY)
        inbox = attention.Inbox(TODAY)
        assert inbox.counts() == attention.counts_by_kind(full)
        assert sum(inbox.counts().values()) == len(full)
        assert {"overdue_deliverable", "certificate_expired", "risk_review_due"} <= set(
            inbox.counts()
        )
        for kind in inbox.counts():
            every = [i for i in full if i.kind == kind]
            assert inbox.items(kind, 1000) == every
            assert inbox.items(kind, 3, 2) == every[2:5]
            assert [i.due for i in every] == sorted(i.due for i in every) or kind in (
                "bpo_breach",
                "standing_fell",
            )
        assert inbox.items("no_such_kind", 10) == []


def titles(page: str, prefix: str) -> list[str]:
    return re.findall(rf"<strong>[^<]*?({prefix} \d+)</strong>", page)


def test_a_kind_pages_through_every_item_exactly_once(app, client, auth):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        kpo = make_kpo_engagement(vendor, title="Research")
        for i in range(23):
            make_deliverable(kpo, f"Deliverable {i:02d}", due_on=day(-100 + i))
        db.session.commit()
    app.config["ITEMS_PER_PAGE"] = 5
    auth.login("viewer")
    overview = client.get("/reports/attention").get_data(as_text=True)
    assert titles(overview, "Deliverable") == [f"Deliverable {i:02d}" for i in range(10)]
    assert "Show all 23" in overview and "?kind=overdue_deliverable" in overview
    seen = []
    for number in range(1, 6):
        page = client.get(f"/reports/attention?kind=overdue_deliverable&page={number}")
        seen += titles(page.get_data(as_text=True), "Deliverable")
    assert seen == [f"Deliverable {i:02d}" for i in range(23)]
    past_the_end = client.get("/reports/attention?kind=overdue_deliverable&page=9")
    assert titles(past_the_end.get_data(as_text=True), "Deliverable") == [
        f"Deliverable {i:02d}" for i in range(20, 23)
    ]


def test_a_kind_with_few_items_has_no_show_all_link(app, client, auth):
    with app.app_context():
        kpo = make_kpo_engagement(factories.make_vendor("Acme"), title="Research")
        for i in range(10):
            make_deliverable(kpo, f"Deliverable {i:02d}", due_on=day(-5))
        db.session.commit()
    auth.login("viewer")
    overview = client.get("/reports/attention").get_data(as_text=True)
    assert len(titles(overview, "Deliverable")) == 10
    assert "Show all" not in overview


def test_the_query_count_does_not_grow_with_the_data(app, client, auth, query_counter):
    rng = random.Random(5)
    with app.test_request_context():
        add_items(rng, 8, "a")
        db.session.commit()
        kinds = set(attention.Inbox(TODAY).counts())
    # Every kind is already there: a kind that appears adds its own two queries.
    assert kinds == set(attention.SQL_KINDS) | {"overdue_deliverable", "overdue_action_item"}
    auth.login("viewer")
    urls = ["/reports/attention", "/reports/attention?kind=overdue_deliverable"]
    for url in urls:
        client.get(url)  # warm up caches of the first request
    small = {}
    for url in urls:
        with query_counter() as statements:
            assert client.get(url).status_code == 200
        small[url] = len(statements)
    with app.app_context():
        for n in range(6):
            add_items(rng, 25, f"b{n}")
        db.session.commit()
    with app.test_request_context():
        grown = attention.Inbox(TODAY).counts()
    assert set(grown) == kinds and grown["overdue_deliverable"] > 60
    for url in urls:
        with query_counter() as statements:
            assert client.get(url).status_code == 200
        assert len(statements) == small[url], url


def test_the_api_pages_one_kind_as_the_full_list_does(app, api):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        for i in range(7):
            make_risk(vendor, f"Risk {i}", next_review_on=day(-10 + i))
        make_risk(vendor, "Closed risk", next_review_on=day(-3), status="closed")
        db.session.commit()
    everything = api.get("/api/v1/attention?per_page=100", role="viewer").get_json()
    expected = [i for i in everything["items"] if i["kind"] == "risk_review_due"]
    assert [i["title"] for i in expected] == [f"Risk {i} (Acme)" for i in range(7)]
    seen = []
    for number in (1, 2, 3):
        body = api.get(
            f"/api/v1/attention?kind=risk_review_due&per_page=3&page={number}"
        ).get_json()
        assert (body["total"], body["pages"], body["page"]) == (7, 3, number)
        assert body["counts"] == everything["counts"]
        seen += body["items"]
    assert seen == expected
    past_the_end = api.get("/api/v1/attention?kind=risk_review_due&per_page=3&page=9").get_json()
    assert past_the_end["page"] == 3 and past_the_end["items"] == expected[6:]
    nothing = api.get("/api/v1/attention?kind=bpo_breach").get_json()
    assert (nothing["total"], nothing["items"], nothing["page"]) == (0, [], 1)
