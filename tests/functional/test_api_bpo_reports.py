"""Month reports and credit disputes over the API, for the provider and the client."""

from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.factories_bpo import make_credit_dispute, portal_world
from vendor_tracker.engagements.bpo.models import CreditDispute, Measurement, MonthReport
from vendor_tracker.extensions import db


@pytest.fixture
def world(app):
    with app.app_context():
        return portal_world(PASSWORD)


def _base(world, key="engagement"):
    return f"/api/v1/engagements/{world[key]}"


def _submit(api, world, actual="88", replace=False):
    item = {"service_level_id": world["sl"], "period": f"{world['last_month']:%Y-%m}"}
    url = _base(world) + "/measurements" + ("?replace=true" if replace else "")
    return api.post(url, json={**item, "actual": actual}, role="provider")


def _month(api, world, month, role="manager"):
    entries = api.get(_base(world) + "/reports", role=role).get_json()
    return next(e for e in entries if e["period"] == f"{month:%Y-%m}")


def test_a_provider_submits_through_the_one_planner_and_the_month_is_submitted(app, api, world):
    answer = _submit(api, world, replace=True)
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["items"][0]["source"] == "provider"
    entry = _month(api, world, world["last_month"], role="provider")
    assert entry["state"] == "submitted" and entry["provisional"] is True
    assert entry["changed_by"] == "Provider Person" and entry["changed_by_id"] == world["provider"]
    # Months the client keyed in count as verified, with no one named.
    older = _month(api, world, world["breach_month"])
    assert (older["state"], older["provisional"], older["changed_by"]) == ("verified", False, None)
    # The planner's validation is the same for the provider: a percentage above 100 is refused.
    bad = _submit(api, world, actual="101", replace=True)
    assert bad.status_code == 422 and "actual" in bad.get_json()["error"]["fields"]


def test_a_provider_cannot_write_or_read_another_vendors_engagement(app, api, world):
    item = {"service_level_id": world["other_level"], "period": f"{world['last_month']:%Y-%m}"}
    answer = api.post(
        _base(world, "other") + "/measurements", json={**item, "actual": "90"}, role="provider"
    )
    assert answer.status_code == 404
    assert api.get(_base(world, "other") + "/reports", role="provider").status_code == 404
    with app.app_context():
        assert db.session.query(MonthReport).count() == 0
        stored = db.session.query(Measurement).filter_by(service_level_id=world["other_level"])
        assert {m.actual for m in stored} == {Decimal("70")}


def test_verify_and_dispute_are_for_client_managers_only(api, world):
    _submit(api, world, replace=True)
    period = f"{world['last_month']:%Y-%m}"
    body = {"reason": "Wrong export", "service_level_ids": [world["sl"]]}
    assert api.post(_base(world) + f"/reports/{period}/verify", role="provider").status_code == 403
    assert (
        api.post(
            _base(world) + f"/reports/{period}/dispute", json=body, role="provider"
        ).status_code
        == 403
    )
    assert api.post(_base(world) + f"/reports/{period}/verify", role="viewer").status_code == 403
    answer = api.post(_base(world) + f"/reports/{period}/verify", role="manager")
    assert answer.status_code == 200
    assert answer.get_json()["state"] == "verified" and answer.get_json()["provisional"] is False
    again = api.post(_base(world) + f"/reports/{period}/verify", role="admin")
    assert again.status_code == 409
    assert "verified" in again.get_json()["error"]["message"]


def test_dispute_then_resubmission_keeps_the_trail(app, api, world):
    _submit(api, world, replace=True)
    period = f"{world['last_month']:%Y-%m}"
    url = _base(world) + f"/reports/{period}/dispute"
    unknown = api.post(url, json={"reason": "x", "service_level_ids": [world["other_level"]]})
    assert unknown.status_code == 422
    empty = api.post(url, json={"reason": "x", "service_level_ids": []})
    assert empty.status_code == 422
    answer = api.post(
        url, json={"reason": "The ACD export says 81.2", "service_level_ids": [world["sl"]]}
    )
    assert answer.status_code == 200
    entry = answer.get_json()
    assert entry["state"] == "disputed" and entry["provisional"] is True
    assert entry["reasons"] == {str(world["sl"]): "The ACD export says 81.2"}
    # A disputed month is not verified before the provider resubmits.
    assert api.post(_base(world) + f"/reports/{period}/verify").status_code == 409
    assert _submit(api, world, actual="81.2", replace=True).status_code == 201
    entry = _month(api, world, world["last_month"])
    assert entry["state"] == "submitted" and entry["reasons"] == {}
    with app.app_context():
        report = db.session.query(MonthReport).one()
        assert [e.state.value for e in report.events] == ["submitted", "disputed", "submitted"]
        assert report.events[1].reasons == {str(world["sl"]): "The ACD export says 81.2"}


def test_a_month_the_client_keyed_in_cannot_be_decided(api, world):
    period = f"{world['breach_month']:%Y-%m}"
    assert api.post(_base(world) + f"/reports/{period}/verify").status_code == 409
    assert api.post(_base(world) + "/reports/2026-13/verify").status_code == 404


def test_compliance_marks_provisional_months_and_credit_lines(api, world):
    _submit(api, world, actual="70", replace=True)  # last month now breaches too, by the provider
    body = api.get(_base(world) + "/compliance").get_json()
    level = next(lv for lv in body["levels"] if lv["id"] == world["sl"])
    flags = {m["period"]: m["provisional"] for m in level["months"]}
    assert flags[f"{world['last_month']:%Y-%m}"] is True
    assert flags[f"{world['breach_month']:%Y-%m}"] is False
    lines = {m["period"]: m for m in body["credits"]["months"]}
    assert lines[f"{world['last_month']:%Y-%m}"]["provisional"] is True
    assert lines[f"{world['last_month']:%Y-%m}"]["payable"] == "10000.00"
    assert lines[f"{world['breach_month']:%Y-%m}"]["provisional"] is False


def _dispute(
    api, world, level_key="sl", month_key="breach_month", role="provider", key="engagement"
):
    return api.post(
        _base(world, key) + f"/credits/{world[month_key]:%Y-%m}/disputes",
        json={
            "service_level_id": world[level_key],
            "category": "client_caused",
            "reason": "The client's CRM was down.",
        },
        role=role,
    )


def test_a_provider_disputes_a_credit_once_and_only_a_real_one(api, world):
    answer = _dispute(api, world)
    assert answer.status_code == 201, answer.get_json()
    created = answer.get_json()
    assert (created["state"], created["category"], created["raised_by"]) == (
        "open",
        "client_caused",
        "Provider Person",
    )
    assert _dispute(api, world).status_code == 409  # an open dispute exists
    assert _dispute(api, world, level_key="aht").status_code == 409  # a key level: no credit
    assert _dispute(api, world, month_key="last_month").status_code == 409  # met: no credit
    assert _dispute(api, world, level_key="other_level", key="other").status_code == 404
    bad = api.post(
        _base(world) + f"/credits/{world['breach_month']:%Y-%m}/disputes",
        json={"service_level_id": world["sl"], "category": "bad luck", "reason": ""},
        role="provider",
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"category", "reason"}


def test_the_dispute_list_is_scoped_to_the_providers_vendor(app, api, world):
    _dispute(api, world)
    with app.app_context():
        from vendor_tracker.engagements.bpo.models import ServiceLevel

        make_credit_dispute(
            db.session.get(ServiceLevel, world["other_level"]), world["breach_month"]
        )
        db.session.commit()
    mine = api.get("/api/v1/credit-disputes?state=open", role="provider").get_json()
    assert [d["engagement_id"] for d in mine["items"]] == [world["engagement"]]
    everything = api.get("/api/v1/credit-disputes?state=open", role="viewer").get_json()
    assert everything["total"] == 2
    assert api.get("/api/v1/credit-disputes?state=closed").status_code == 422


def test_resolving_a_dispute_waives_the_credit_everywhere_but_keeps_the_breach(app, api, world):
    dispute_id = _dispute(api, world).get_json()["id"]
    url = f"/api/v1/credit-disputes/{dispute_id}/resolve"
    assert (
        api.post(url, json={"decision": "waived", "note": "ok"}, role="provider").status_code == 403
    )
    no_note = api.post(url, json={"decision": "waived"}, role="manager")
    assert no_note.status_code == 422 and "note" in no_note.get_json()["error"]["fields"]
    before = api.get(_base(world) + "/compliance").get_json()["credits"]["totals"]
    assert before["payable"] == "10000.00"
    answer = api.post(url, json={"decision": "waived", "note": "CRM outage confirmed"})
    assert answer.status_code == 200
    assert (answer.get_json()["state"], answer.get_json()["note"]) == (
        "waived",
        "CRM outage confirmed",
    )
    assert api.post(url, json={"decision": "upheld"}).status_code == 409
    body = api.get(_base(world) + "/compliance").get_json()
    assert body["credits"]["totals"]["payable"] == "0.00"
    assert body["credits"]["totals"]["waived"] == "10000.00"
    line = next(
        m for m in body["credits"]["months"] if m["period"] == f"{world['breach_month']:%Y-%m}"
    )
    assert [c["waived"] for c in line["breaches"]] == [True]
    level = next(lv for lv in body["levels"] if lv["id"] == world["sl"])
    status = next(
        m["status"] for m in level["months"] if m["period"] == f"{world['breach_month']:%Y-%m}"
    )
    assert status == "breach"
    # A waived credit cannot be disputed again.
    assert _dispute(api, world).status_code == 409
    with app.app_context():
        assert db.session.query(CreditDispute).one().resolved_by_id is not None


def test_an_upheld_dispute_leaves_the_credit_payable(api, world):
    dispute_id = _dispute(api, world).get_json()["id"]
    answer = api.post(f"/api/v1/credit-disputes/{dispute_id}/resolve", json={"decision": "upheld"})
    assert answer.status_code == 200 and answer.get_json()["state"] == "upheld"
    assert (
        api.get(_base(world) + "/compliance").get_json()["credits"]["totals"]["payable"]
        == "10000.00"
    )
    assert (
        api.post("/api/v1/credit-disputes/999999/resolve", json={"decision": "upheld"}).status_code
        == 404
    )


def test_the_openapi_document_describes_the_new_operations(api):
    spec = api.get("/api/v1/openapi.json").get_json()
    paths = spec["paths"]
    dispute = paths["/api/v1/engagements/{engagement_id}/reports/{period}/dispute"]["post"]
    assert "409" in dispute["responses"] and "403" in dispute["responses"]
    schema = spec["components"]["schemas"]["DisputeMonth"]
    assert set(schema["required"]) == {"reason", "service_level_ids"}
    resolve = spec["components"]["schemas"]["ResolveDispute"]
    assert resolve["properties"]["decision"]["enum"] == ["upheld", "waived"]
    assert "/api/v1/credit-disputes" in paths
