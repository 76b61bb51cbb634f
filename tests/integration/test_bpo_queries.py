"""The portfolio's SQL aggregation against the pure rules on the same data; query counts."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.portfolio import portfolio
from vendor_tracker.engagements.bpo.queries import month_stats, summarise
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)
LEVEL_SPECS = [
    # (unit, direction, target, minimum, classification, allocation)
    ("%", "higher", "80", "75", "critical", "100"),
    ("%", "higher", "99.5", None, "critical", "80"),
    ("s", "lower", "360", "420", "key", None),
    ("%", "lower", "5", None, "critical", "70"),
]


def _value(rng, unit, target, minimum):
    """Values on, around and far from the target and minimum, boundaries included."""
    base = [Decimal(target)]
    if minimum:
        base.append(Decimal(minimum))
    pick = rng.choice(base)
    offset = Decimal(rng.choice(["0", "0.01", "-0.01", "1", "-1", "3", "-3"]))
    value = max(Decimal(0), pick + offset)
    return min(value, Decimal(100)) if unit == "%" else value


def _build(count, months_back, seed=7):
    rng = random.Random(seed)
    ids = []
    for n in range(count):
        start = shift_month(THIS_MONTH, -rng.randint(1, months_back))
        end = None if n % 3 else shift_month(start, rng.randint(2, 20))
        engagement = factories.make_engagement(start=start, end=end)
        for index, (unit, direction, target, minimum, kind, allocation) in enumerate(
            LEVEL_SPECS[: 1 + n % len(LEVEL_SPECS)]
        ):
            level = make_level(
                engagement,
                name=f"Level {index}",
                unit=unit,
                direction=direction,
                target=target,
                minimum=minimum,
                classification=kind,
                allocation=allocation,
            )
            month = first_of_month(start)
            while month <= THIS_MONTH and (end is None or month <= end):
                if rng.random() < 0.8:  # leave gaps
                    make_result(level, month, _value(rng, unit, target, minimum))
                month = shift_month(month, 1)
        ids.append(engagement.id)
    db.session.commit()
    return ids


def test_sql_aggregation_matches_the_pure_rules(ctx):
    ids = _build(12, 18)
    first, last = services.last_twelve_months(TODAY)
    stats = month_stats(select(Engagement.id).where(Engagement.id.in_(ids)), first, last)
    checked_months = 0
    engagements = db.session.execute(select(Engagement).where(Engagement.id.in_(ids))).scalars()
    for engagement in engagements:
        report = services.compliance_report(engagement, first, last, TODAY)
        overall, critical, worst = summarise(
            stats[engagement.id], engagement.start_date, engagement.end_date, first, last, TODAY
        )
        assert overall == report.overall, engagement.id
        assert critical == report.critical, engagement.id
        assert list(worst) == list(report.months)
        for month in report.months:
            assert worst[month] == report.worst_critical(month), (engagement.id, month)
            checked_months += 1
    assert checked_months > 50


def test_portfolio_sorts_by_attainment_and_filters(ctx):
    ids = _build(6, 12, seed=3)
    data = portfolio(TODAY, sort="attainment", direction="desc", per_page=4)
    rates = [row.overall.rate for row in data.page.items]
    known = [r for r in rates if r is not None]
    assert known == sorted(known, reverse=True)
    assert data.page.total == 6 and data.page.pages == 2
    one = db.session.get(Engagement, ids[0])
    filtered = portfolio(TODAY, vendor_id=one.vendor_id)
    assert [row.engagement_id for row in filtered.page.items] == [one.id]
    assert portfolio(TODAY, status="terminated").page.total == 0


def test_portfolio_credits_this_year_use_the_ledger(ctx):
    engagement = factories.make_engagement(start=date(TODAY.year - 1, 1, 1), end=None)
    level = make_level(engagement, classification="critical", allocation="50")
    make_result(level, date(TODAY.year - 1, 12, 1), "10")  # last year: not counted
    if THIS_MONTH.month > 1:
        make_result(level, date(TODAY.year, 1, 1), "10")  # breach, then a gap: final
    db.session.commit()
    (row,) = portfolio(TODAY).page.items
    expected = Decimal("5000.00") if THIS_MONTH.month > 1 else Decimal("0.00")
    assert row.credits_this_year == expected


def test_pages_issue_the_same_number_of_queries_for_more_data(app, client, auth, query_counter):
    with app.app_context():
        small = _build(2, 3, seed=1)
    auth.login("viewer")
    client.get("/engagements")
    # The first request after a write ranks the engagements (and stores the ranking).
    with query_counter() as few:
        assert client.get("/bpo/portfolio").status_code == 200
    with app.app_context():
        _build(20, 30, seed=2)
    with query_counter() as many:
        page = client.get("/bpo/portfolio")
        assert page.status_code == 200
    assert len(many) == len(few)
    with query_counter() as detail_small:
        client.get(f"/engagements/{small[0]}")
    with app.app_context():
        big = max(db.session.execute(select(Engagement.id)).scalars())
    with query_counter() as detail_big:
        client.get(f"/engagements/{big}")
    assert len(detail_big) == len(detail_small)


def test_vendor_summary_and_attention_items(ctx):
    vendor = factories.make_vendor()
    engagement = factories.make_engagement(
        vendor=vendor, start=shift_month(THIS_MONTH, -6), end=None, earn_back_months=2
    )
    level = make_level(engagement, classification="critical", allocation="100")
    last_month = shift_month(THIS_MONTH, -1)
    make_result(level, shift_month(THIS_MONTH, -3), "81")
    make_result(level, shift_month(THIS_MONTH, -2), "82")
    make_result(level, last_month, "60")  # breach last month: pending earn-back
    db.session.commit()
    first = shift_month(THIS_MONTH, -3)
    summary = services.vendor_bpo_summary([vendor.id, 999], first, last_month, TODAY)
    assert set(summary) == {vendor.id}
    entry = summary[vendor.id]
    assert (entry.met, entry.reported, entry.expected, entry.breaches) == (2, 3, 3, 1)
    assert entry.attainment == pytest.approx(66.6667, abs=1e-3)
    assert entry.credits_payable == {"USD": Decimal("10000.00")}
    items = services.attention_items(TODAY)
    kinds = sorted(item.kind for item in items)
    assert kinds == ["bpo_breach", "bpo_credit_pending"]
    pending = next(i for i in items if i.kind == "bpo_credit_pending")
    # Earned back only if the next 2 months are met: it resolves at the end of the second.
    assert pending.due == shift_month(last_month, 3) - timedelta(days=1)
    assert pending.url == f"/engagements/{engagement.id}"
    assert "USD 10,000.00" in pending.title
