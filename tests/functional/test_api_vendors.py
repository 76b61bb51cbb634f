"""/api/v1/vendors: every call and its errors."""

from tests import factories
from vendor_tracker.extensions import db


def test_list_filters_sorts_and_paginates(app, api):
    with app.app_context():
        factories.make_vendor("Alpha", lines=("customer_support",), country="PH", attrition_pct=30)
        factories.make_vendor("Beta", lines=("market_research",), status="preferred")
        factories.make_vendor("Gamma", lines=("customer_support", "legal_process"), attrition_pct=9)
        db.session.commit()
        research = factories.service_line("market_research").id

    def names(query):
        answer = api.get("/api/v1/vendors?" + query, role="viewer")
        assert answer.status_code == 200, answer.get_json()
        return [item["name"] for item in answer.get_json()["items"]]

    assert names("") == ["Alpha", "Beta", "Gamma"]
    assert names("model=KPO") == ["Beta", "Gamma"]
    assert names(f"service_line_id={research}") == ["Beta"]
    assert names("status=preferred&q=ET") == ["Beta"]
    assert names("country=PH") == ["Alpha"]
    assert names("sort=-name") == ["Gamma", "Beta", "Alpha"]
    assert names("sort=attrition") == ["Gamma", "Alpha", "Beta"]  # no data last
    body = api.get("/api/v1/vendors?per_page=2&page=2", role="viewer").get_json()
    assert (body["total"], body["pages"], body["page"], len(body["items"])) == (3, 2, 2, 1)
    item = api.get("/api/v1/vendors?q=gamma").get_json()["items"][0]
    assert item["models"] == ["BPO", "KPO"] and item["attrition_pct"] == 9.0


def test_unknown_filter_values_are_422_naming_the_field(api):
    for query, field in (
        ("model=XPO", "model"),
        ("status=gone", "status"),
        ("country=ZZ", "country"),
        ("sort=size", "sort"),
        ("service_line_id=99999999999999999999", "service_line_id"),
        ("page=0", "page"),
    ):
        answer = api.get("/api/v1/vendors?" + query, role="viewer")
        assert answer.status_code == 422, query
        assert field in answer.get_json()["error"]["fields"], query


def test_create_read_update_delete(app, api):
    with app.app_context():
        support = factories.service_line("customer_support").id
    answer = api.post(
        "/api/v1/vendors",
        json={
            "name": "Delta Works",
            "hq_country": "MX",
            "service_line_ids": [support],
            "attrition_pct": 22.25,
            "languages": ["Spanish", "English"],
            "website": "https://delta.example",
        },
        role="manager",
    )
    assert answer.status_code == 201, answer.get_json()
    vendor = answer.get_json()
    assert vendor["status"] == "prospect" and vendor["languages"] == ["Spanish", "English"]
    assert vendor["attrition_pct"] == 22.25 and vendor["version"] == 1
    url = f"/api/v1/vendors/{vendor['id']}"
    assert api.get(url, role="viewer").get_json()["name"] == "Delta Works"
    patched = api.patch(url, json={"status": "approved", "version": 1}, role="manager")
    assert patched.status_code == 200, patched.get_json()
    assert (patched.get_json()["status"], patched.get_json()["version"]) == ("approved", 2)
    assert api.delete(url, role="manager").status_code == 204
    assert api.get(url).status_code == 404


def test_duplicate_name_is_409_and_bad_values_are_422(app, api):
    with app.app_context():
        factories.make_vendor("Echo")
        db.session.commit()
    answer = api.post("/api/v1/vendors", json={"name": "ECHO", "hq_country": "US"})
    assert answer.status_code == 409
    assert "name" in answer.get_json()["error"]["fields"]
    answer = api.post(
        "/api/v1/vendors",
        json={
            "name": "Foxtrot",
            "hq_country": "XX",
            "attrition_pct": 100.5,
            "status": "famous",
            "service_line_ids": [2**40],
            "extra": 1,
        },
    )
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) >= {
        "hq_country",
        "attrition_pct",
        "status",
        "service_line_ids",
        "extra",
    }
    answer = api.post(
        "/api/v1/vendors", json={"name": "Golf", "hq_country": "US", "service_line_ids": [4242]}
    )
    assert answer.status_code == 422
    assert "service_line_ids" in answer.get_json()["error"]["fields"]
    answer = api.post(
        "/api/v1/vendors", json={"name": "Hotel", "hq_country": "US", "attrition_pct": "12"}
    )
    assert answer.status_code == 422  # numbers travel as numbers


def test_patch_needs_the_current_version(app, api):
    with app.app_context():
        vendor_id = factories.make_vendor("India").id
        db.session.commit()
    url = f"/api/v1/vendors/{vendor_id}"
    missing = api.patch(url, json={"status": "approved"})
    assert missing.status_code == 422 and "version" in missing.get_json()["error"]["fields"]
    assert api.patch(url, json={"status": "preferred", "version": 1}).status_code == 200
    stale = api.patch(url, json={"status": "on_watch", "version": 1})
    assert stale.status_code == 409
    assert stale.get_json()["error"]["fields"]["version"] == ["Current version is 2."]


def test_delete_with_engagements_is_409(app, api):
    with app.app_context():
        vendor = factories.make_vendor("Juliet")
        factories.make_engagement(vendor=vendor)
        db.session.commit()
        vendor_id = vendor.id
    answer = api.delete(f"/api/v1/vendors/{vendor_id}")
    assert answer.status_code == 409
    assert "Offboarded" in answer.get_json()["error"]["message"]


def test_roles_and_auth(app, api, client):
    with app.app_context():
        vendor_id = factories.make_vendor("Kilo").id
        db.session.commit()
    assert client.get("/api/v1/vendors").status_code == 401
    assert api.get("/api/v1/vendors", role="viewer").status_code == 200
    body = {"name": "Lima", "hq_country": "US"}
    assert api.post("/api/v1/vendors", json=body, role="viewer").status_code == 403
    url = f"/api/v1/vendors/{vendor_id}"
    assert api.patch(url, json={"version": 1}, role="viewer").status_code == 403
    refused = api.delete(url, role="viewer")
    assert refused.status_code == 403 and refused.get_json()["error"]["code"] == "forbidden"
    assert api.get("/api/v1/vendors/99999999999999999999").status_code == 404
