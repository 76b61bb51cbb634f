"""QBR records, action items and the printable pack through the client."""

from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_kpo import make_deliverable_with_rounds, make_kpo_engagement
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Qbr, QbrActionItem
from vendor_tracker.reporting.scorecard import previous_quarter

TODAY = date.today()


def qbr_form(vendor_id, **changes):
    data = {
        "vendor_id": str(vendor_id),
        "year": "2026",
        "quarter": "3",
        "held_on": "2026-10-05",
        "attendees": "Ana (us), Raj (vendor)",
        "decisions": '=HYPERLINK("http://x")',
        "notes": "Good quarter.",
    }
    data.update(changes)
    return data


def test_record_a_qbr_and_refuse_a_second_for_the_same_quarter(client, auth, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        db.session.commit()
    auth.login("manager")
    answer = client.post("/reports/qbrs/new", data=qbr_form(vendor_id))
    assert answer.status_code == 302
    again = client.post("/reports/qbrs/new", data=qbr_form(vendor_id, held_on="2026-10-06"))
    assert again.status_code == 200
    assert "already has a QBR for that quarter" in again.get_data(as_text=True)
    with app.app_context():
        assert len(db.session.execute(select(Qbr)).all()) == 1


def test_qbr_form_errors_next_to_fields(client, auth, app):
    with app.app_context():
        vendor_id = factories.make_vendor("Acme").id
        db.session.commit()
    auth.login("manager")
    page = client.post(
        "/reports/qbrs/new", data=qbr_form(vendor_id, year="1999", quarter="7", held_on="")
    )
    text = page.get_data(as_text=True)
    assert "Use a year 2000–2100." in text
    assert "Not a valid choice" in text or "Choose a quarter." in text
    assert "Enter the date of the meeting." in text or "Not a valid date value" in text
    empty = client.post("/reports/qbrs/new", data={})
    assert empty.status_code == 200 and "Choose the vendor." in empty.get_data(as_text=True)


def test_action_items_add_edit_delete(client, auth, app):
    with app.app_context():
        qbr_id = make_qbr(factories.make_vendor("Acme")).id
        db.session.commit()
    auth.login("manager")
    bad = client.post(f"/reports/qbrs/{qbr_id}/actions", data={"description": "", "owner": ""})
    assert bad.status_code == 422
    assert "Say what is to be done." in bad.get_data(as_text=True)
    due = (TODAY + timedelta(days=10)).isoformat()
    good = client.post(
        f"/reports/qbrs/{qbr_id}/actions",
        data={"description": "Staffing plan", "owner": "Raj", "due_on": due, "status": "open"},
    )
    assert good.status_code == 302
    with app.app_context():
        item = db.session.execute(select(QbrActionItem)).scalar_one()
        item_id = item.id
    edit = client.post(
        f"/reports/qbrs/{qbr_id}/actions/{item_id}/edit",
        data={
            "description": "Staffing plan",
            "owner": "Raj",
            "due_on": due,
            "status": "done",
            "version": "1",
        },
    )
    assert edit.status_code == 302
    with app.app_context():
        assert db.session.get(QbrActionItem, item_id).status.value == "done"
    assert client.post(f"/reports/qbrs/999999/actions/{item_id}/delete").status_code == 404
    assert client.post(f"/reports/qbrs/{qbr_id}/actions/{item_id}/delete").status_code == 302


def test_viewer_reads_but_cannot_write(client, auth, app):
    with app.app_context():
        qbr_id = make_qbr(factories.make_vendor("Acme")).id
        db.session.commit()
    auth.login("viewer")
    assert client.get(f"/reports/qbrs/{qbr_id}").status_code == 200
    assert client.post(f"/reports/qbrs/{qbr_id}/delete").status_code == 403
    assert client.post(f"/reports/qbrs/{qbr_id}/actions", data={}).status_code == 403


def test_pack_assembles_scorecard_bpo_kpo_risks_actions_and_notes(client, auth, app):
    quarter = previous_quarter(TODAY)
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        bpo = factories.make_engagement(
            vendor,
            title="Inbound voice",
            start=quarter.first_day - timedelta(days=90),
            end=TODAY + timedelta(days=300),
        )
        level = make_level(bpo, name="Service level 80/20", target="80", minimum="75")
        for n, actual in enumerate((85, 70, 90)):
            make_result(level, date(quarter.first_day.year, quarter.first_day.month + n, 1), actual)
        kpo = make_kpo_engagement(vendor, title="Sector research")
        make_deliverable_with_rounds(kpo, 2, start=quarter.first_day)
        make_risk(vendor, "Key analyst leaving", category="attrition")
        make_risk(vendor, "Closed risk", status="closed")
        qbr = make_qbr(
            vendor,
            year=quarter.first_day.year,
            quarter=int(quarter.key[-1]),
            notes="Agreed to pilot chat support.",
        )
        make_action_item(qbr, "Send the revised staffing plan", due_on=TODAY - timedelta(days=1))
        db.session.commit()
        qbr_id = qbr.id
    auth.login("viewer")
    page = client.get(f"/reports/qbrs/{qbr_id}/pack")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Inbound voice" in text and "66.7 %" in text and "2 / 3 / 3" in text
    assert "Sector research" in text
    assert "Key analyst leaving" in text and "Closed risk" not in text
    assert "Send the revised staffing plan" in text and "(overdue)" in text
    assert "Agreed to pilot chat support." in text
    assert "@media print" in text
