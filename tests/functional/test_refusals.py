"""One refusal, mapped once: a service's Refusal or NotFound answers the same way on every page
and every API endpoint (409 for a conflict, 422 for invalid input, 404 for a missing record)."""

from tests import factories
from tests.factories_selection import make_request
from vendor_tracker.extensions import db
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.vendors.models import Vendor


def _cancelled_request(app) -> int:
    with app.app_context():
        record = make_request(status="cancelled", override_reason="")
        db.session.commit()
        return record.id


def test_a_conflict_answers_409_with_its_fields_and_writes_nothing(api, app):
    rid = _cancelled_request(app)
    answer = api.delete(f"/api/v1/sourcing-requests/{rid}/advisor/override", role="manager")
    assert answer.status_code == 409
    assert answer.get_json() == {
        "error": {
            "code": "conflict",
            "message": "This request is cancelled; it can no longer be changed.",
            "fields": {"status": ["The request is closed."]},
        }
    }


def test_invalid_input_answers_422_with_a_list_of_reasons_per_field(api, app):
    with app.app_context():
        factories.make_vendor(name="Taken Name")
        db.session.commit()
    unknown_line = api.post(
        "/api/v1/vendors",
        {"name": "New Vendor", "hq_country": "US", "service_line_ids": [99999]},
        role="manager",
    )
    assert unknown_line.status_code == 422
    assert unknown_line.get_json()["error"] == {
        "code": "validation_error",
        "message": "Unknown service line.",
        "fields": {"service_line_ids": ["No service line has the id 99999."]},
    }
    taken = api.post("/api/v1/vendors", {"name": "taken name", "hq_country": "US"}, role="manager")
    assert taken.status_code == 409
    assert taken.get_json()["error"]["fields"] == {
        "name": ["Another vendor already has this name (names ignore case)."]
    }


def test_a_record_a_service_cannot_find_is_404_in_the_api_and_on_pages(api, auth, client):
    missing = api.get("/api/v1/sourcing-requests/999")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == {
        "code": "not_found",
        "message": "Sourcing request not found.",
        "fields": {},
    }
    auth.login("viewer")
    page = client.get("/selection/999")
    assert page.status_code == 404 and "Page not found" in page.get_data(as_text=True)
    assert client.get("/vendors/999").status_code == 404


def test_a_refused_page_action_is_rolled_back_and_flashed(app, auth, client):
    with app.app_context():
        vendor = factories.make_vendor(name="Kept Vendor")
        factories.make_engagement(vendor=vendor)
        db.session.commit()
        vendor_id = vendor.id
    auth.login("manager")
    refused = client.post(f"/vendors/{vendor_id}/delete", follow_redirects=True)
    assert refused.status_code == 200
    assert "Kept Vendor cannot be deleted: it has 1 engagement" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Vendor, vendor_id) is not None


def test_a_closed_request_sends_the_page_back_to_the_request(app, auth, client):
    rid = _cancelled_request(app)
    auth.login("manager")
    answer = client.post(f"/selection/{rid}/advisor/override/clear")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/selection/{rid}")
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "This request is cancelled; it can no longer be changed." in page
    with app.app_context():
        assert db.session.get(SourcingRequest, rid).status.value == "cancelled"
