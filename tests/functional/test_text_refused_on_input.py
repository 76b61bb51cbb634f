"""Control characters are refused where text comes in (the API naming the field, a page next to
the field, an import by line), so no text can break an export; line breaks and tabs pass."""

import io
from datetime import date

from markupsafe import escape
from sqlalchemy import func, select

from tests import factories
from tests.factories_bpo import make_level
from vendor_tracker.core.text import CONTROL_CHARACTERS
from vendor_tracker.engagements.bpo.models import Measurement
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor

THIS_MONTH = first_of_month(date.today())


def _vendor_names(app) -> list[str]:
    with app.app_context():
        return list(db.session.execute(select(Vendor.name).order_by(Vendor.id)).scalars())


def test_the_api_refuses_a_control_character_naming_the_field(app, api):
    answer = api.post("/api/v1/vendors", json={"name": "Acme\x0b", "hq_country": "US"})
    assert answer.status_code == 422
    assert answer.get_json()["error"]["fields"] == {"name": [CONTROL_CHARACTERS]}
    created = api.post(
        "/api/v1/vendors",
        json={"name": "Acme", "hq_country": "US", "description": "Line one\r\nline\ttwo"},
    )
    assert created.status_code == 201
    url = f"/api/v1/vendors/{created.get_json()['id']}"
    patch = api.patch(url, json={"version": 1, "description": "Bell\x07"})
    assert patch.status_code == 422
    assert patch.get_json()["error"]["fields"] == {"description": [CONTROL_CHARACTERS]}
    assert _vendor_names(app) == ["Acme"]
    assert api.get("/reports/exports/vendors.xlsx").status_code == 200


def test_a_page_shows_the_refusal_next_to_the_field_and_saves_nothing(app, client, auth):
    auth.login("manager")
    form = {"name": "Northwind", "hq_country": "IN", "status": "approved"}
    page = client.post("/vendors/new", data={**form, "description": "Escalated\x1b[0m"})
    assert page.status_code == 200
    assert str(escape(CONTROL_CHARACTERS)) in page.get_data(as_text=True)
    assert _vendor_names(app) == []
    saved = client.post("/vendors/new", data={**form, "description": "Two\r\nlines"})
    assert saved.status_code == 302
    with app.app_context():
        vendor = db.session.execute(select(Vendor)).scalar_one()
        assert vendor.description == "Two\r\nlines"  # as a browser's textarea sends it


def test_an_import_names_the_line_of_a_note_with_a_control_character(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -6), end=shift_month(THIS_MONTH, 12)
        )
        make_level(engagement)
        db.session.commit()
        engagement_id = engagement.id
    month = shift_month(THIS_MONTH, -1)
    text = (
        "service_level,period,actual,note\r\n"
        f'Service level,{month:%Y-%m},81,"Storm,\r\nday two"\r\n'
        f"Service level,{shift_month(month, -1):%Y-%m},82,Storm\x08\r\n"
    )
    auth.login("manager")
    answer = client.post(
        f"/bpo/engagements/{engagement_id}/import",
        data={"file": (io.BytesIO(text.encode()), "results.csv")},
        content_type="multipart/form-data",
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Nothing was imported" in html
    assert f"<td>4</td><td>note</td><td>{escape(CONTROL_CHARACTERS)}</td>" in html
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Measurement)).scalar() == 0
