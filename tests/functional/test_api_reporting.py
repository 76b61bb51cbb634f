"""/api/v1 reporting: scorecards, risks CRUD with versions and field errors, attention items."""

from datetime import date, timedelta

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_reporting import make_risk
from vendor_tracker.extensions import db
from vendor_tracker.reporting.scorecard import previous_quarter

TODAY = date.today()
PREVIOUS = previous_quarter(TODAY)


def bpo_vendor(app, name="Acme"):
    with app.app_context():
        vendor = factories.make_vendor(name)
        engagement = factories.make_engagement(
            vendor, start=PREVIOUS.first_day - timedelta(days=100), end=TODAY + timedelta(days=99)
        )
        level = make_level(engagement, target="80", minimum="75")
        for n, actual in enumerate((85, 70, 90)):
            make_result(
                level, date(PREVIOUS.first_day.year, PREVIOUS.first_day.month + n, 1), actual
            )
        db.session.commit()
        return vendor.id


def test_vendor_scorecard(api, app):
    vendor_id = bpo_vendor(app)
    body = api.get(
        f"/api/v1/vendors/{vendor_id}/scorecard?period={PREVIOUS.key}", role="viewer"
    ).get_json()
    assert body["score"] == 66.7 and body["band"] == "watch"
    assert body["period"]["key"] == PREVIOUS.key
    attainment = next(c for c in body["components"] if c["key"] == "bpo_attainment")
    assert attainment["sample"] == 3 and attainment["weight_used"] == 100.0
    quality = next(c for c in body["components"] if c["key"] == "kpo_quality")
    assert quality["value"] is None and quality["weight_used"] is None
    ttm = api.get(f"/api/v1/vendors/{vendor_id}/scorecard?period=ttm").get_json()
    assert ttm["period"]["key"] == "ttm" and ttm["trend"] is None


def test_scorecard_errors(api, app):
    vendor_id = bpo_vendor(app)
    bad = api.get(f"/api/v1/vendors/{vendor_id}/scorecard?period=2026-Q5")
    assert bad.status_code == 422 and "period" in bad.get_json()["error"]["fields"]
    future = api.get(f"/api/v1/vendors/{vendor_id}/scorecard?period={TODAY.year + 1}-Q1")
    assert future.status_code == 422 and "period" in future.get_json()["error"]["fields"]
    assert api.get("/api/v1/vendors/999999/scorecard").status_code == 404
    assert api.get("/api/v1/vendors/99999999999/scorecard").status_code == 404


def test_all_scorecards_paginated(api, app):
    bpo_vendor(app, "Acme")
    bpo_vendor(app, "Beta")
    with app.app_context():
        factories.make_vendor("Quiet")
        db.session.commit()
    body = api.get(f"/api/v1/scorecards?period={PREVIOUS.key}&per_page=2").get_json()
    assert body["total"] == 3 and body["pages"] == 2
    assert [i["vendor_name"] for i in body["items"]] == ["Acme", "Beta"]
    second = api.get(f"/api/v1/scorecards?period={PREVIOUS.key}&per_page=2&page=2").get_json()
    assert second["items"][0]["band"] == "not_rated" and second["items"][0]["score"] is None


def risk_body(vendor_id, **changes):
    body = {
        "vendor_id": vendor_id,
        "title": "Time-zone gaps",
        "category": "communication",
        "likelihood": 3,
        "impact": 2,
        "next_review_on": (TODAY + timedelta(days=7)).isoformat(),
    }
    body.update(changes)
    return body


def test_risk_crud(api, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        db.session.commit()
    created = api.post("/api/v1/risks", json=risk_body(vendor_id), role="manager")
    assert created.status_code == 201
    risk = created.get_json()
    assert (risk["score"], risk["rating"], risk["status"], risk["review_overdue"]) == (
        6,
        "medium",
        "open",
        False,
    )
    url = f"/api/v1/risks/{risk['id']}"
    patched = api.patch(url, json={"impact": 5, "version": risk["version"]}, role="manager")
    assert patched.status_code == 200 and patched.get_json()["rating"] == "critical"
    stale = api.patch(url, json={"impact": 1, "version": risk["version"]}, role="manager")
    assert stale.status_code == 409
    listed = api.get("/api/v1/risks?rating=critical", role="viewer").get_json()
    assert [r["id"] for r in listed["items"]] == [risk["id"]]
    assert api.delete(url, role="viewer").status_code == 403
    assert api.delete(url, role="manager").status_code == 204
    assert api.get(url).status_code == 404


def test_risk_validation_names_fields(api, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        other = factories.make_engagement(factories.make_vendor("Other")).id
        db.session.commit()
    answer = api.post("/api/v1/risks", json={"title": "", "likelihood": 9}, role="manager")
    assert answer.status_code == 422
    assert {"title", "likelihood", "impact", "category"} <= set(
        answer.get_json()["error"]["fields"]
    )
    no_review = api.post(
        "/api/v1/risks", json=risk_body(vendor_id, next_review_on=None), role="manager"
    )
    assert no_review.status_code == 422
    assert "next_review_on" in no_review.get_json()["error"]["fields"]
    mismatch = api.post(
        "/api/v1/risks", json=risk_body(vendor_id, engagement_id=other), role="manager"
    )
    assert mismatch.status_code == 422
    assert "engagement_id" in mismatch.get_json()["error"]["fields"]
    missing = api.post("/api/v1/risks", json=risk_body(999999), role="manager")
    assert "vendor_id" in missing.get_json()["error"]["fields"]
    assert api.post("/api/v1/risks", json=risk_body(vendor_id), role="viewer").status_code == 403


def test_attention_items(api, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        make_risk(vendor, "Review me", next_review_on=TODAY - timedelta(days=1))
        factories.make_certification(vendor, expires_on=TODAY + timedelta(days=3))
        db.session.commit()
    body = api.get("/api/v1/attention", role="viewer").get_json()
    assert body["counts"] == {"certificate_expiring": 1, "risk_review_due": 1}
    assert [i["kind"] for i in body["items"]] == ["risk_review_due", "certificate_expiring"]
    only = api.get("/api/v1/attention?kind=risk_review_due").get_json()
    assert only["total"] == 1 and only["items"][0]["url"].startswith("/reports/risks/")
