"""Vendor pages through the test client: create, edit, delete, refusals, list, records."""

from datetime import date, timedelta

from sqlalchemy import select

from tests import factories
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Certification, Contact, DeliveryCenter, Vendor


def vendor_form(**changes):
    data = {
        "name": "Northwind Services",
        "website": "https://northwind.example",
        "hq_country": "IN",
        "description": "Demo",
        "status": "approved",
        "service_lines": [],
        "attrition_pct": "18.5",
        "languages": "English, Hindi, english",
    }
    data.update(changes)
    return data


def line_id(app, code):
    with app.app_context():
        return factories.service_line(code).id


def test_manager_creates_a_vendor_with_lines_of_both_models(app, client, auth):
    auth.login("manager")
    lines = [line_id(app, "customer_support"), line_id(app, "market_research")]
    answer = client.post("/vendors/new", data=vendor_form(service_lines=lines))
    assert answer.status_code == 302
    with app.app_context():
        vendor = db.session.execute(select(Vendor)).scalar_one()
        assert vendor.name_key == "northwind services"
        assert vendor.languages == "English, Hindi"
        assert str(vendor.attrition_pct) == "18.50"
        assert sorted(s.code for s in vendor.service_lines) == [
            "customer_support",
            "market_research",
        ]
        vendor_id = vendor.id
    page = client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    assert "kind-badge-BPO" in page and "kind-badge-KPO" in page
    assert "18.5 %" in page and "India" in page


def test_names_are_unique_whatever_their_case(app, client, auth):
    with app.app_context():
        factories.make_vendor("Northwind Services")
        db.session.commit()
    auth.login("manager")
    page = client.post("/vendors/new", data=vendor_form(name="  NORTHWIND   services "))
    assert page.status_code == 200
    assert b"Another vendor already has this name" in page.data


def test_bad_fields_are_refused_next_to_each_field(client, auth):
    auth.login("manager")
    page = client.post(
        "/vendors/new",
        data=vendor_form(
            name="", hq_country="XX", attrition_pct="101", website="not a url", service_lines=["x"]
        ),
    ).get_data(as_text=True)
    assert "This field is required." in page
    assert "Not a valid choice" in page
    assert "A percentage from 0 to 100." in page
    assert "Give a full address" in page


def test_nan_attrition_is_a_field_error_not_a_crash(client, auth):
    auth.login("manager")
    page = client.post("/vendors/new", data=vendor_form(attrition_pct="NaN"))
    assert page.status_code == 200
    assert b"Give a number." in page.data


def test_edit_over_a_newer_version_is_refused_and_keeps_the_input(app, client, auth):
    with app.app_context():
        vendor = factories.make_vendor("Old name", country="US")
        db.session.commit()
        vendor_id, version = vendor.id, vendor.version
        vendor.description = "changed by someone else"
        db.session.commit()
    auth.login("manager")
    page = client.post(
        f"/vendors/{vendor_id}/edit",
        data=vendor_form(name="My new name", hq_country="US", version=str(version)),
    ).get_data(as_text=True)
    assert "changed by someone else since you opened it" in page
    assert 'value="My new name"' in page
    with app.app_context():
        assert db.session.get(Vendor, vendor_id).name == "Old name"


def test_edit_with_the_current_version_saves(app, client, auth):
    with app.app_context():
        vendor = factories.make_vendor("Old name")
        db.session.commit()
        vendor_id = vendor.id
    auth.login("manager")
    form = client.get(f"/vendors/{vendor_id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in form
    answer = client.post(
        f"/vendors/{vendor_id}/edit", data=vendor_form(name="New name", version="1")
    )
    assert answer.status_code == 302
    with app.app_context():
        vendor = db.session.get(Vendor, vendor_id)
        assert (vendor.name, vendor.version) == ("New name", 2)
    history = client.get(f"/vendors/{vendor_id}").get_data(as_text=True).split("History")[-1]
    assert "Old name → New name" in history


def test_delete_is_refused_while_engagements_exist(app, client, auth):
    with app.app_context():
        vendor = factories.make_vendor("Busy vendor")
        factories.make_engagement(vendor=vendor)
        db.session.commit()
        vendor_id = vendor.id
    auth.login("manager")
    page = client.post(f"/vendors/{vendor_id}/delete", follow_redirects=True)
    text = page.get_data(as_text=True)
    assert "cannot be deleted: it has 1 engagement" in text
    assert "Offboarded instead" in text
    with app.app_context():
        assert db.session.get(Vendor, vendor_id) is not None


def test_delete_removes_a_vendor_and_its_records(app, client, auth):
    with app.app_context():
        vendor = factories.make_vendor("Short-lived")
        factories.make_certification(vendor)
        db.session.commit()
        vendor_id = vendor.id
    auth.login("manager")
    assert client.post(f"/vendors/{vendor_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Vendor, vendor_id) is None
        assert db.session.execute(select(Certification)).first() is None


def test_viewers_read_but_cannot_write(app, client, auth):
    with app.app_context():
        vendor_id = factories.make_vendor("Readable").id
        db.session.commit()
    auth.login("viewer")
    assert client.get("/vendors").status_code == 200
    page = client.get(f"/vendors/{vendor_id}")
    assert page.status_code == 200 and b"Edit vendor" not in page.data
    assert client.get("/vendors/new").status_code == 403
    assert client.post("/vendors/new", data=vendor_form()).status_code == 403
    assert client.post(f"/vendors/{vendor_id}/edit", data=vendor_form()).status_code == 403
    assert client.post(f"/vendors/{vendor_id}/delete").status_code == 403
    assert client.post(f"/vendors/{vendor_id}/contacts/new", data={"name": "X"}).status_code == 403


def test_unknown_and_huge_ids_are_404(client, auth):
    auth.login("viewer")
    assert client.get("/vendors/4242").status_code == 404
    assert client.get("/vendors/99999999999999999999").status_code == 404


def test_contacts_are_added_edited_and_removed_with_email_checked(app, client, auth):
    with app.app_context():
        vendor_id = factories.make_vendor("With people").id
        db.session.commit()
    auth.login("manager")
    page = client.post(
        f"/vendors/{vendor_id}/contacts/new", data={"name": "Ana", "email": "not-an-email"}
    )
    assert b"Give a valid e-mail address." in page.data
    answer = client.post(
        f"/vendors/{vendor_id}/contacts/new",
        data={"name": "Ana", "email": "ana@example.com", "role": "Account director"},
    )
    assert answer.status_code == 302
    with app.app_context():
        contact_id = db.session.execute(select(Contact.id)).scalar_one()
    client.post(
        f"/vendors/{vendor_id}/contacts/{contact_id}/edit",
        data={"name": "Ana Lima", "email": "ana@example.com"},
    )
    detail = client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    assert "Ana Lima" in detail and "contacts" in detail
    assert client.post(f"/vendors/{vendor_id}/contacts/{contact_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Contact, contact_id) is None


def test_centers_belong_to_their_vendor(app, client, auth):
    with app.app_context():
        mine = factories.make_vendor("Mine").id
        other = factories.make_vendor("Other").id
        db.session.commit()
    auth.login("manager")
    answer = client.post(
        f"/vendors/{mine}/centers/new",
        data={"country": "PH", "city": "Manila", "shore": "offshore", "headcount": "1200"},
    )
    assert answer.status_code == 302
    with app.app_context():
        center_id = db.session.execute(select(DeliveryCenter.id)).scalar_one()
    assert client.get(f"/vendors/{other}/centers/{center_id}/edit").status_code == 404
    assert "1,200" in client.get(f"/vendors/{mine}").get_data(as_text=True)


def test_certificate_expiry_cannot_precede_issue_and_badges_show_state(app, client, auth):
    today = date.today()
    with app.app_context():
        vendor = factories.make_vendor("Certified")
        factories.make_certification(vendor, "ISO 27001", expires_on=today - timedelta(days=1))
        factories.make_certification(vendor, "SOC 2 Type II", expires_on=today + timedelta(days=60))
        factories.make_certification(vendor, "ISO 9001", expires_on=today + timedelta(days=61))
        db.session.commit()
        vendor_id = vendor.id
    auth.login("manager")
    page = client.post(
        f"/vendors/{vendor_id}/certifications/new",
        data={"name": "HIPAA", "issued_on": "2026-02-01", "expires_on": "2026-01-31"},
    )
    assert b"The expiry date cannot be before the issue date." in page.data
    detail = client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    assert detail.count(">Expired 1 day ago<") == 1
    assert detail.count(">Expires in 60 days<") == 1
    assert "Expires within" not in detail
    assert detail.count(">Valid<") == 1


def test_list_filters_by_model_line_status_country_and_name(app, client, auth):
    with app.app_context():
        factories.make_vendor("Alpha Contact", lines=("customer_support",), country="PH")
        factories.make_vendor("Beta Insight", lines=("market_research",), status="preferred")
        factories.make_vendor("Gamma Both", lines=("customer_support", "legal_process"))
        db.session.commit()
        research = factories.service_line("market_research").id
    auth.login("viewer")

    def names(query):
        page = client.get("/vendors?" + query).get_data(as_text=True)
        return [n for n in ("Alpha Contact", "Beta Insight", "Gamma Both") if n in page]

    assert names("model=KPO") == ["Beta Insight", "Gamma Both"]
    assert names(f"service_line_id={research}") == ["Beta Insight"]
    assert names("status=preferred") == ["Beta Insight"]
    assert names("country=PH") == ["Alpha Contact"]
    assert names("q=GAMMA") == ["Gamma Both"]
    assert names("status=bogus&country=ZZ&service_line_id=abc") == [
        "Alpha Contact",
        "Beta Insight",
        "Gamma Both",
    ]
    assert b"No vendor matches these filters." in client.get("/vendors?q=nobody").data


def test_list_sorts_by_attrition_with_missing_values_last(app, client, auth):
    with app.app_context():
        factories.make_vendor("High", attrition_pct=40)
        factories.make_vendor("Unknown")
        factories.make_vendor("Low", attrition_pct=5)
        db.session.commit()
    auth.login("viewer")
    page = client.get("/vendors?sort=attrition&dir=asc").get_data(as_text=True)
    assert page.index(">Low<") < page.index(">High<") < page.index(">Unknown<")
    page = client.get("/vendors?sort=attrition&dir=desc").get_data(as_text=True)
    assert page.index(">High<") < page.index(">Low<")


def test_list_paginates_and_shows_an_empty_state(app, client, auth):
    auth.login("manager")
    assert b"No vendors yet." in client.get("/vendors").data
    with app.app_context():
        for n in range(30):
            factories.make_vendor(f"Vendor {n:02d}")
        db.session.commit()
    first = client.get("/vendors").get_data(as_text=True)
    second = client.get("/vendors?page=2").get_data(as_text=True)
    assert "Vendor 00" in first and "Vendor 25" not in first
    assert "Vendor 25" in second and "page 2 of 2" in second
    assert client.get("/vendors?page=-3").status_code == 200


def _make_vendors(app, count, start=0):
    with app.app_context():
        for n in range(start, start + count):
            vendor = factories.make_vendor(
                f"Counted {n:03d}", lines=("customer_support", "data_entry")
            )
            factories.make_engagement(vendor=vendor)
        db.session.commit()


def test_vendor_list_query_count_does_not_grow_with_rows(app, client, auth, query_counter):
    auth.login("viewer")
    _make_vendors(app, 3)
    with query_counter() as few:
        assert client.get("/vendors").status_code == 200
    _make_vendors(app, 27, start=3)
    with query_counter() as many:
        assert client.get("/vendors").status_code == 200
    assert len(many) == len(few)
