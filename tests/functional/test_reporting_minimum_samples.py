"""One rule for minimum samples: the scorecards page, the vendor list, the vendor page, the API
and selection all leave a one-deliverable 100 % unrated until an admin lowers the minimum."""

from datetime import date

from tests import factories
from tests.factories_kpo import make_kpo_engagement
from tests.functional.test_reporting_attention import settings_form
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.engagements.kpo.contracts import KpoPeriodSums, KpoVendorSummary
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services
from vendor_tracker.reporting.scorecard import Band
from vendor_tracker.selection import evaluation

ONE_DELIVERABLE = KpoVendorSummary(
    accepted=1,
    first_pass_rate=100.0,
    mean_rounds_to_acceptance=1.0,
    mean_quality=100.0,
    due=1,
    on_time_first_rate=100.0,
    overdue=0,
    # What the rollups hand over beside the figures (stored with the scorecard).
    sums=KpoPeriodSums(1, 1, 1, 1, 1, 1, 1, 10000, 0),
)
THREE_MONTHS_MET = BpoVendorSummary(
    met=3, reported=3, expected=3, breaches=0, attainment=100.0, credits_payable={}
)


def world(app, monkeypatch):
    """Two vendors: one with a single accepted deliverable, one with 3 met service-level-months
    (exactly the BPO minimum), the same in every period."""
    with app.app_context():
        solo = factories.make_vendor("Solo Analytics")
        steady = factories.make_vendor("Steady Calls")
        make_kpo_engagement(solo, title="Research")
        factories.make_engagement(steady, title="Inbound care")
        db.session.commit()
        solo, steady = solo.id, steady.id

    def load_many(vendor_ids, periods, today, bpo_credits=True):
        return [({steady: THREE_MONTHS_MET}, {solo: ONE_DELIVERABLE}) for _ in periods]

    monkeypatch.setattr(services, "load_summaries_many", load_many)
    return solo, steady


def test_one_deliverable_is_not_rated_anywhere(app, client, auth, api, monkeypatch):
    solo, steady = world(app, monkeypatch)
    auth.login("viewer")
    page = client.get("/reports/scorecards").get_data(as_text=True)
    solo_row = page[
        page.index("Solo Analytics") : page.index("</tr>", page.index("Solo Analytics"))
    ]
    assert "1 deliverable: too few to rate" in solo_row
    assert "100.0 %" in solo_row or "100 %" in solo_row  # the value still shows
    assert "Not rated" in solo_row and "Excellent" not in solo_row
    steady_row = page[page.index("Steady Calls") : page.index("</tr>", page.index("Steady Calls"))]
    assert "Excellent 100.0" not in steady_row and "Excellent" in steady_row

    listing = client.get("/vendors").get_data(as_text=True)
    solo_listing = listing[listing.index("Solo Analytics") :]
    solo_listing = solo_listing[: solo_listing.index("</tr>")]
    assert "Not rated" in solo_listing and "Excellent" not in solo_listing

    vendor_page = client.get(f"/vendors/{solo}").get_data(as_text=True)
    assert "1 deliverable: too few to rate" in vendor_page
    assert "Excellent 100.0" not in vendor_page

    card = client.get(f"/reports/scorecards/vendor/{solo}").get_data(as_text=True)
    assert "1 deliverable: too few to rate" in card
    assert "Not rated</span>" in card and "Excellent</span>" not in card

    body = api.get(f"/api/v1/vendors/{solo}/scorecard", role="viewer").get_json()
    assert body["score"] is None and body["band"] == "not_rated"
    quality = next(c for c in body["components"] if c["key"] == "kpo_quality")
    assert quality["value"] == 100.0 and quality["sample"] == 1
    assert quality["minimum_sample"] == 2 and quality["rated"] is False
    steady_body = api.get(f"/api/v1/vendors/{steady}/scorecard", role="viewer").get_json()
    attainment = next(c for c in steady_body["components"] if c["key"] == "bpo_attainment")
    assert attainment["rated"] is True and steady_body["band"] == "excellent"

    with app.app_context():
        found = evaluation.standings([solo, steady], date.today())
    assert found[solo].band is Band.NOT_RATED and found[solo].score is None
    assert found[steady].band is Band.EXCELLENT


def test_an_admin_lowers_the_minimum_and_the_vendor_rates(app, client, auth, monkeypatch):
    solo, _steady = world(app, monkeypatch)
    auth.login("admin")
    page = client.get("/reports/settings").get_data(as_text=True)
    assert 'name="min_bpo_months"' in page and 'value="3"' in page
    assert 'name="min_kpo_deliverables"' in page and 'value="2"' in page
    refused = client.post("/reports/settings", data=settings_form(min_kpo_deliverables="0"))
    assert refused.status_code == 200
    answer = client.post("/reports/settings", data=settings_form(min_kpo_deliverables="1"))
    assert answer.status_code == 302
    with app.app_context():
        assert services.scorecard_settings().min_kpo_deliverables == 1
        found = evaluation.standings([solo], date.today())
    assert found[solo].band is Band.EXCELLENT and found[solo].score == 100.0
    card = client.get(f"/reports/scorecards/vendor/{solo}").get_data(as_text=True)
    assert "too few to rate" not in card and "Excellent</span>" in card


def test_selection_evidence_names_a_sample_too_small(app, monkeypatch):
    with app.app_context():
        vendor = factories.make_vendor("Solo Analytics").id
        db.session.commit()
        monkeypatch.setattr(evaluation.bpo_services, "vendor_bpo_summary", lambda ids, *a: {})
        monkeypatch.setattr(
            evaluation.kpo_services, "vendor_kpo_summary", lambda ids, *a: {vendor: ONE_DELIVERABLE}
        )
        record = evaluation.track_records([vendor], date.today())[vendor]
    assert [c.sample_note for c in record["too_few"]] == ["1 deliverable: too few to rate"] * 3
