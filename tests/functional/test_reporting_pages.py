"""Reporting pages through the client: landing, scorecards, inbox, portfolio, risks, QBRs."""

import pytest

from tests import factories
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.extensions import db

PAGES = [
    "/reports",
    "/reports/scorecards",
    "/reports/scorecards?period=ttm",
    "/reports/attention",
    "/reports/portfolio",
    "/reports/risks",
    "/reports/qbrs",
    "/reports/exports",
]


@pytest.fixture
def data(app):
    with app.app_context():
        vendor = factories.make_vendor("Acme BPO")
        engagement = factories.make_engagement(vendor, baseline_monthly_cost=120000)
        risk = make_risk(vendor, engagement=engagement)
        qbr = make_qbr(vendor)
        make_action_item(qbr)
        db.session.commit()
        return {"vendor": vendor.id, "engagement": engagement.id, "risk": risk.id, "qbr": qbr.id}


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_for_a_viewer_when_empty(client, auth, url):
    auth.login("viewer")
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES)
def test_pages_answer_with_data(client, auth, data, url):
    auth.login("viewer")
    assert client.get(url).status_code == 200


def test_detail_pages(client, auth, data):
    auth.login("viewer")
    for url in (
        f"/reports/scorecards/vendor/{data['vendor']}",
        f"/reports/scorecards/vendor/{data['vendor']}?period=ttm",
        f"/reports/risks/{data['risk']}",
        f"/reports/qbrs/{data['qbr']}",
        f"/reports/qbrs/{data['qbr']}/pack",
    ):
        page = client.get(url)
        assert page.status_code == 200, url


def test_bad_period_is_a_400_not_a_500(client, auth):
    auth.login("viewer")
    assert client.get("/reports/scorecards?period=2026-Q9").status_code == 400
    assert client.get("/reports/scorecards/vendor/999999").status_code == 404
