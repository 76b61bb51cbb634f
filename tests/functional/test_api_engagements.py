"""/api/v1/engagements: every call and its errors."""

from tests import factories
from vendor_tracker.extensions import db


def setup_ids(app):
    with app.app_context():
        vendor = factories.make_vendor("Acme", lines=("customer_support",))
        db.session.commit()
        return {
            "vendor": vendor.id,
            "support": factories.service_line("customer_support").id,
            "research": factories.service_line("market_research").id,
            "hr": factories.service_line("hr_payroll").id,
        }


def body(known, **changes):
    data = {
        "vendor_id": known["vendor"],
        "title": "Inbound support",
        "kind": "BPO",
        "service_line_id": known["support"],
        "start_date": "2026-01-01",
        "end_date": "2026-06-30",
        "pricing_model": "per_fte",
        "currency": "GBP",
        "monthly_fee": 40000,
        "baseline_monthly_cost": 52000.5,
        "at_risk_pct": 10,
        "earn_back_months": 6,
    }
    data.update(changes)
    return data


def test_create_read_update_delete(app, api):
    known = setup_ids(app)
    answer = api.post("/api/v1/engagements", json=body(known), role="manager")
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert created["kind"] == "BPO" and created["status"] == "planned"
    assert created["months"] == 6 and created["monthly_savings"] == 12000.5
    assert created["owner_id"] == 2 and created["warnings"] == []
    url = f"/api/v1/engagements/{created['id']}"
    assert api.get(url, role="viewer").get_json()["vendor_name"] == "Acme"
    patched = api.patch(url, json={"status": "active", "version": 1})
    assert patched.status_code == 200 and patched.get_json()["status"] == "active"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_rules_answer_422_with_the_field(app, api):
    known = setup_ids(app)
    for changes, field in (
        ({"service_line_id": known["research"]}, "service_line_id"),
        ({"end_date": "2025-12-31"}, "end_date"),
        ({"monthly_fee": None, "total_contract_value": None}, "monthly_fee"),
        ({"monthly_fee": -1}, "monthly_fee"),
        ({"at_risk_pct": 21}, "at_risk_pct"),
        ({"currency": "XYZ"}, "currency"),
        ({"kind": "LPO"}, "kind"),
        ({"vendor_id": 4242}, "vendor_id"),
        ({"owner_id": 4242}, "owner_id"),
        ({"earn_back_months": 10**30}, "earn_back_months"),
        ({"monthly_fee": 1e300}, "monthly_fee"),
    ):
        answer = api.post("/api/v1/engagements", json=body(known, **changes))
        assert answer.status_code == 422, (changes, answer.get_json())
        assert field in answer.get_json()["error"]["fields"], changes
    kpo = body(known, kind="KPO", service_line_id=known["research"], monthly_fee=1000)
    answer = api.post("/api/v1/engagements", json=kpo)
    assert answer.status_code == 422
    assert set(answer.get_json()["error"]["fields"]) == {"at_risk_pct", "earn_back_months"}


def test_a_line_the_vendor_does_not_list_comes_back_as_a_warning(app, api):
    known = setup_ids(app)
    answer = api.post("/api/v1/engagements", json=body(known, service_line_id=known["hr"]))
    assert answer.status_code == 201
    assert "does not list HR and payroll" in answer.get_json()["warnings"][0]


def test_kind_is_fixed_and_versions_are_checked(app, api):
    with app.app_context():
        engagement_id = factories.make_engagement().id
        db.session.commit()
    url = f"/api/v1/engagements/{engagement_id}"
    answer = api.patch(url, json={"kind": "KPO", "version": 1})
    assert answer.status_code == 422 and "kind" in answer.get_json()["error"]["fields"]
    assert api.patch(url, json={"title": "Renamed", "version": 1}).status_code == 200
    stale = api.patch(url, json={"title": "Again", "version": 1})
    assert stale.status_code == 409


def test_list_filters_and_sorts(app, api):
    with app.app_context():
        alpha = factories.make_vendor("Alpha")
        beta = factories.make_vendor("Beta", lines=("market_research",))
        factories.make_engagement(vendor=alpha, title="A support", status="active")
        factories.make_engagement(vendor=beta, kind="KPO", title="B research", status="planned")
        db.session.commit()
        beta_id = beta.id
        research = factories.service_line("market_research").id

    def titles(query):
        answer = api.get("/api/v1/engagements?" + query, role="viewer")
        assert answer.status_code == 200, answer.get_json()
        return [item["title"] for item in answer.get_json()["items"]]

    assert titles("kind=KPO") == ["B research"]
    assert titles(f"vendor_id={beta_id}") == ["B research"]
    assert titles("status=active") == ["A support"]
    assert titles(f"service_line_id={research}") == ["B research"]
    assert titles("sort=title") == ["A support", "B research"]
    assert titles("sort=-vendor") == ["B research", "A support"]
    bad = api.get("/api/v1/engagements?kind=XPO&vendor_id=-1")
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"kind", "vendor_id"}


def test_roles(app, api, client):
    with app.app_context():
        engagement_id = factories.make_engagement().id
        db.session.commit()
    url = f"/api/v1/engagements/{engagement_id}"
    assert client.get(url).status_code == 401
    assert api.get(url, role="viewer").status_code == 200
    assert api.post("/api/v1/engagements", json={}, role="viewer").status_code == 403
    assert api.patch(url, json={"version": 1}, role="viewer").status_code == 403
    assert api.delete(url, role="viewer").status_code == 403
