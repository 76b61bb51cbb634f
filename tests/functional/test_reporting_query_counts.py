"""The QBR pack and the BPO/KPO exports issue as many queries for 10 engagements as for 2."""

from datetime import date, timedelta

import pytest

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_kpo import make_deliverable_with_rounds, make_kpo_engagement
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db
from vendor_tracker.reporting.scorecard import previous_quarter

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)


def add_engagements(vendor, pairs: int, offset: int = 0) -> None:
    """`pairs` BPO engagements (two levels, results, a breach) and as many KPO ones."""
    for n in range(offset, offset + pairs):
        bpo = factories.make_engagement(
            vendor,
            title=f"Voice {n}",
            start=shift_month(THIS_MONTH, -8),
            end=TODAY + timedelta(days=200),
        )
        critical = make_level(
            bpo, name="Answer rate", classification="critical", allocation="100", position=1
        )
        key = make_level(bpo, name="Handle time", unit="s", direction="lower", target="300")
        for back in range(1, 8):
            month = shift_month(THIS_MONTH, -back)
            make_result(critical, month, 70 if back == 2 else 85)
            make_result(key, month, 290 + back * 3)
        kpo = make_kpo_engagement(vendor, title=f"Research {n}")
        make_deliverable_with_rounds(kpo, 1 + n % 3, title=f"Brief {n}", start=THIS_MONTH)


def grow(app, vendor_id, pairs, offset):
    with app.app_context():
        add_engagements(db.session.get(factories.Vendor, vendor_id), pairs, offset)
        db.session.commit()


@pytest.fixture
def vendor_id(app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        add_engagements(vendor, 1)  # 2 engagements
        db.session.commit()
        return vendor.id


def test_qbr_pack_queries_do_not_grow(client, auth, app, query_counter, vendor_id):
    quarter = previous_quarter(TODAY)
    with app.app_context():
        vendor = db.session.get(factories.Vendor, vendor_id)
        make_risk(vendor, "Key analyst leaving")
        qbr = make_qbr(vendor, year=quarter.first_day.year, quarter=int(quarter.key[-1]))
        make_action_item(qbr, "Send the staffing plan", due_on=TODAY)
        db.session.commit()
        url = f"/reports/qbrs/{qbr.id}/pack"
    auth.login("viewer")
    client.get(url)
    with query_counter() as few:
        assert client.get(url).status_code == 200
    grow(app, vendor_id, 4, offset=1)  # 10 engagements
    with query_counter() as many:
        page = client.get(url)
    assert page.status_code == 200
    assert "Voice 4" in page.get_data(as_text=True) and "Research 4" in page.get_data(as_text=True)
    assert len(many) == len(few)


@pytest.mark.parametrize("dataset", ["measurements", "credits", "deliverables"])
def test_engagement_exports_queries_do_not_grow(
    client, auth, app, query_counter, vendor_id, dataset
):
    url = f"/reports/exports/{dataset}.csv"
    auth.login("viewer")
    client.get(url)
    with query_counter() as few:
        small = client.get(url)
    grow(app, vendor_id, 4, offset=1)
    with query_counter() as many:
        big = client.get(url)
    assert small.status_code == big.status_code == 200
    # The export really covers the new engagements: 5 times the rows.
    small_rows = len(small.get_data(as_text=True).splitlines()) - 1
    big_rows = len(big.get_data(as_text=True).splitlines()) - 1
    assert small_rows > 0 and big_rows == 5 * small_rows
    assert len(many) == len(few)
