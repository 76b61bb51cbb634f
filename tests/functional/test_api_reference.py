"""The reference-data API: what an integration needs to create records (a valid
`service_line_id`, metric codes, rubric and criteria templates), for every signed-in role."""

import pytest

from tests.factories import make_provider, make_vendor
from vendor_tracker.core.reference import load_json
from vendor_tracker.extensions import db

ROLES = ["admin", "manager", "viewer", "provider@example.com"]


@pytest.fixture
def provider(app):
    from tests.conftest import PASSWORD

    with app.app_context():
        make_provider(PASSWORD, make_vendor(name="Acme BPO"))
        db.session.commit()


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_reference_data(api, provider, role):
    for url in (
        "/api/v1/service-lines",
        "/api/v1/kpi-library",
        "/api/v1/rubric-templates",
        "/api/v1/criteria-templates",
    ):
        answer = api.get(url, role=role)
        assert answer.status_code == 200, (url, answer.get_json())
        assert answer.get_json()["items"], url


def test_reference_data_needs_a_token(client):
    assert client.get("/api/v1/service-lines").status_code == 401


def test_service_lines_give_the_id_an_engagement_needs(api):
    page = api.get("/api/v1/service-lines?model=KPO&per_page=200", role="viewer").get_json()
    assert page["total"] == len(page["items"]) > 0
    assert {line["model"] for line in page["items"]} == {"KPO"}
    line = page["items"][0]
    vendor = api.post("/api/v1/vendors", json={"name": "Ref Co", "hq_country": "IN"}).get_json()
    created = api.post(
        "/api/v1/engagements",
        json={
            "vendor_id": vendor["id"],
            "title": "Research",
            "kind": "KPO",
            "service_line_id": line["id"],
            "pricing_model": "fixed_fee",
            "start_date": "2026-01-01",
            "total_contract_value": 120000,
        },
    )
    assert created.status_code == 201, created.get_json()


def test_service_lines_are_paginated(api):
    everything = api.get("/api/v1/service-lines?per_page=200").get_json()
    first = api.get("/api/v1/service-lines?per_page=2").get_json()
    second = api.get("/api/v1/service-lines?per_page=2&page=2").get_json()
    assert first["total"] == everything["total"] == len(load_json("service_lines.json"))
    assert first["pages"] == -(-everything["total"] // 2)
    assert first["items"] + second["items"] == everything["items"][:4]
    assert api.get("/api/v1/service-lines?model=ABC").status_code == 422


def test_the_kpi_library_says_which_lines_each_metric_suits(api):
    library = api.get("/api/v1/kpi-library?per_page=200", role="viewer").get_json()
    by_code = {k["code"]: k for k in library["items"]}
    assert library["total"] == len(load_json("kpi_library.json"))
    level = by_code["service_level"]
    assert level["unit"] == "%" and level["direction"] == "higher"
    assert level["typical_target"] == "80" and level["typical_minimum"] == "75"
    assert "customer_support" in level["service_lines"]
    outbound = api.get("/api/v1/kpi-library?service_line=telemarketing_sales&per_page=200")
    codes = {k["code"] for k in outbound.get_json()["items"]}
    assert "service_level" not in codes and "conversion_rate" in codes
    two = api.get("/api/v1/kpi-library?per_page=2&page=2").get_json()
    assert two["items"] == library["items"][2:4]


def test_rubric_and_criteria_templates(api):
    rubrics = api.get("/api/v1/rubric-templates", role="viewer").get_json()["items"]
    assert [c["weight"] for c in rubrics[0]["criteria"]] == [30, 25, 20, 15, 10]
    templates = api.get("/api/v1/criteria-templates", role="viewer").get_json()["items"]
    assert [t["model"] for t in templates] == ["BPO", "KPO"]
    assert templates[0]["criteria"][0] == {
        "code": "price",
        "name": "Price per transaction or FTE",
        "weight": 25,
    }


def test_the_document_describes_the_reference_operations(api):
    paths = api.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("service-lines", "kpi-library", "rubric-templates", "criteria-templates"):
        assert "get" in paths[f"/api/v1/{path}"]
