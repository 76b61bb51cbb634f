"""The risk register through the client: validation next to fields, roles, heat map, filters."""

from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from tests.factories_reporting import make_risk
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Risk

TODAY = date.today()


def form(vendor_id, **changes):
    data = {
        "vendor_id": str(vendor_id),
        "engagement_id": "",
        "title": "Attrition in the night shift",
        "category": "attrition",
        "description": "Agents leave after 6 months.",
        "likelihood": "4",
        "impact": "3",
        "mitigation": "Retention bonus.",
        "owner_id": "",
        "status": "open",
        "next_review_on": (TODAY + timedelta(days=30)).isoformat(),
    }
    data.update(changes)
    return data


def test_manager_creates_a_risk_with_score_and_rating(client, auth, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        db.session.commit()
    auth.login("manager")
    answer = client.post("/reports/risks/new", data=form(vendor_id))
    assert answer.status_code == 302
    with app.app_context():
        risk = db.session.execute(select(Risk)).scalar_one()
        assert (risk.score, risk.rating.value, risk.vendor_id) == (12, "high", vendor_id)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "12 of 25" in page and "High" in page


def test_errors_show_next_to_the_fields(client, auth, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        db.session.commit()
    auth.login("manager")
    page = client.post(
        "/reports/risks/new",
        data=form(vendor_id, title="", likelihood="9", next_review_on=""),
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Give the risk a short title." in text
    assert "Not a valid choice" in text
    assert "An open risk needs a next review date." in text
    with app.app_context():
        assert db.session.execute(select(Risk)).first() is None


def test_engagement_of_another_vendor_is_refused(client, auth, app):
    with app.app_context():
        mine = factories.make_vendor("Mine")
        theirs = factories.make_engagement(factories.make_vendor("Theirs"))
        ids = mine.id, theirs.id
        db.session.commit()
    auth.login("manager")
    page = client.post(
        f"/reports/risks/new?vendor_id={ids[0]}",
        data=form(ids[0], engagement_id=str(ids[1])),
    )
    assert "Not a valid choice" in page.get_data(as_text=True) or "another vendor" in (
        page.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.execute(select(Risk)).first() is None


def test_engagement_risk_takes_its_vendor(client, auth, app):
    with app.app_context():
        engagement = factories.make_engagement(factories.make_vendor("Theirs"))
        ids = engagement.vendor_id, engagement.id
        db.session.commit()
    auth.login("manager")
    answer = client.post("/reports/risks/new", data=form("", engagement_id=str(ids[1])))
    assert answer.status_code == 302
    with app.app_context():
        risk = db.session.execute(select(Risk)).scalar_one()
        assert (risk.vendor_id, risk.engagement_id) == ids


def test_viewer_cannot_write(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        risk_id = make_risk(vendor).id
        db.session.commit()
    auth.login("viewer")
    assert client.get("/reports/risks/new").status_code == 403
    assert client.post(f"/reports/risks/{risk_id}/delete").status_code == 403
    assert client.post(f"/reports/risks/{risk_id}/edit", data={}).status_code == 403


def test_edit_with_a_stale_version_keeps_the_record(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        risk = make_risk(vendor, title="Old title")
        ids = vendor.id, risk.id
        db.session.commit()
    auth.login("manager")
    page = client.post(f"/reports/risks/{ids[1]}/edit", data=form(ids[0], version="7"))
    assert "changed by someone else" in page.get_data(as_text=True)
    answer = client.post(f"/reports/risks/{ids[1]}/edit", data=form(ids[0], version="1"))
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.get(Risk, ids[1]).title == "Attrition in the night shift"


def test_delete_is_a_post(client, auth, app):
    with app.app_context():
        risk_id = make_risk(factories.make_vendor("Acme")).id
        db.session.commit()
    auth.login("manager")
    assert client.get(f"/reports/risks/{risk_id}/delete").status_code == 405
    assert client.post(f"/reports/risks/{risk_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Risk, risk_id) is None


def test_list_filters_overdue_flag_and_heat_map(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        make_risk(vendor, "Late review", 5, 5, next_review_on=TODAY - timedelta(days=3))
        make_risk(vendor, "Mitigating one", 5, 5, status="mitigating")
        make_risk(vendor, "Closed one", 5, 5, status="closed")
        make_risk(vendor, "Small one", 1, 2, category="financial")
        db.session.commit()
    auth.login("viewer")
    text = client.get("/reports/risks").get_data(as_text=True)
    assert "Late review" in text and "Mitigating one" in text and "Closed one" not in text
    assert "overdue" in text
    # Heat map: two live risks at likelihood 5 x impact 5, one at 1 x 2.
    assert "<strong>2</strong>" in text and "<strong>1</strong>" in text
    only_overdue = client.get("/reports/risks?overdue=1").get_data(as_text=True)
    assert "Late review" in only_overdue and "Small one" not in only_overdue
    financial = client.get("/reports/risks?category=financial&status=all")
    assert "Small one" in financial.get_data(as_text=True)
    critical = client.get("/reports/risks?rating=critical").get_data(as_text=True)
    assert "Small one" not in critical and "Late review" in critical
    rubbish = client.get("/reports/risks?status=x&rating=y&sort=z&dir=up&vendor_id=abc&page=-1")
    assert rubbish.status_code == 200


def test_risk_list_queries_do_not_grow(client, auth, app, query_counter):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        engagement = factories.make_engagement(vendor)
        make_risk(vendor, engagement=engagement)
        db.session.commit()
    auth.login("viewer")
    with query_counter() as few:
        client.get("/reports/risks")
    with app.app_context():
        for n in range(8):
            other = factories.make_vendor(f"Other {n}")
            make_risk(other, f"Risk {n}", engagement=factories.make_engagement(other))
        db.session.commit()
    with query_counter() as many:
        client.get("/reports/risks")
    assert len(many) == len(few)
