"""The KPO demo data as users see it: engagement pages, the vendor page, the API."""

from sqlalchemy import select

from tests.conftest import logged_in_client
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor


def _demo(app, vendor, title):
    from vendor_tracker.demo import demo_engagement

    with app.app_context():
        return demo_engagement(vendor, title).id


def test_demo_kpo_engagements_show_their_deliverables(demo_app):
    client = logged_in_client(demo_app, "viewer")
    evalueserve = _demo(demo_app, "Evalueserve", "Competitive landscape research")
    html = client.get(f"/engagements/{evalueserve}").get_data(as_text=True)
    for text in ("Pricing benchmark: SaaS analytics tiers", "Rejected", "Overdue", "Accepted"):
        assert text in html
    assert "Introduce two friendly buyers" in html  # an open, overdue action item


def test_vendor_page_shows_kpo_review_figures(demo_app):
    client = logged_in_client(demo_app, "viewer")
    with demo_app.app_context():
        genpact = db.session.execute(
            select(Vendor.id).where(Vendor.name_key == "genpact")
        ).scalar_one()
        concentrix = db.session.execute(
            select(Vendor.id).where(Vendor.name_key == "concentrix")
        ).scalar_one()
    page = client.get(f"/vendors/{genpact}").get_data(as_text=True)
    assert "KPO review cycle" in page and "First-pass acceptance" in page
    # Genpact: 3 accepted, 1 first time -> 33.3 %
    assert "33.3 %" in page
    assert "KPO review cycle" not in client.get(f"/vendors/{concentrix}").get_data(as_text=True)


def test_demo_review_stats_api(demo_app):
    from tests.conftest import ApiActions

    api = ApiActions(demo_app.test_client())
    pwc = _demo(demo_app, "PwC", "Commercial contract review")
    body = api.get(f"/api/v1/engagements/{pwc}/review-stats", role="viewer").get_json()
    assert body["accepted"] == 2 and body["first_pass_rate"] == 50.0
    assert body["overdue"] == 1 and body["mean_rounds_to_acceptance"] == 1.5


def test_demo_evalueserve_awaits_a_provider_version_and_has_their_action_items(demo_app):
    from datetime import date

    from vendor_tracker.engagements.kpo import services
    from vendor_tracker.engagements.kpo.models import ActionItem

    engagement_id = _demo(demo_app, "Evalueserve", "Competitive landscape research")
    with demo_app.app_context():
        vendor_id = db.session.execute(
            select(Vendor.id).where(Vendor.name_key == "evalueserve")
        ).scalar_one()
        due = services.provider_due_deliverables(vendor_id, date.today())
        assigned = db.session.execute(
            select(ActionItem.text).where(
                ActionItem.engagement_id == engagement_id, ActionItem.for_provider.is_(True)
            )
        ).scalars()
        assigned = sorted(assigned)
    win_loss = next(d for d in due if d.title == "Win/loss interview synthesis")
    assert win_loss.status == "changes_requested" and win_loss.overdue
    assert win_loss.provider_to_act and win_loss.next_version == 2
    assert assigned == [
        "Send final interview transcripts",
        "Share the segment list for the win/loss split",
    ]
