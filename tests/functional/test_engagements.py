"""Engagement pages through the test client."""

from sqlalchemy import select

from tests import factories
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


def ids(app, vendor_name="Acme", lines=("customer_support",)):
    with app.app_context():
        vendor = factories.make_vendor(vendor_name, lines=lines)
        db.session.commit()
        return {
            "vendor": vendor.id,
            "support": factories.service_line("customer_support").id,
            "research": factories.service_line("market_research").id,
            "data_entry": factories.service_line("data_entry").id,
        }


def form(known, manager_id=2, **changes):
    data = {
        "vendor_id": known["vendor"],
        "title": "Inbound support",
        "kind": "BPO",
        "service_line_id": known["support"],
        "status": "active",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "owner_id": manager_id,
        "pricing_model": "per_fte",
        "currency": "EUR",
        "monthly_fee": "50000",
        "baseline_monthly_cost": "65000.50",
        "at_risk_pct": "12",
        "earn_back_months": "3",
    }
    data.update(changes)
    return data


def test_create_preselects_the_vendor_from_the_query(app, client, auth):
    known = ids(app)
    auth.login("manager")
    page = client.get(f"/engagements/new?vendor_id={known['vendor']}").get_data(as_text=True)
    vendor_select = page[page.index('id="vendor_id"') :].split("</select>")[0]
    assert f'<option selected value="{known["vendor"]}">' in vendor_select


def test_manager_creates_a_bpo_engagement_and_sees_its_terms(app, client, auth):
    known = ids(app)
    auth.login("manager")
    answer = client.post("/engagements/new", data=form(known))
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "kind-badge-BPO" in page and "Business process outsourcing" in page
    assert "EUR 50,000.00 a month" in page
    assert "EUR 15,000.50 a month" in page  # savings: 65,000.50 - 50,000
    assert "EUR 180,006.00 over 12 months" in page
    assert "12.0 % of the monthly fee" in page and "3 months" in page
    with app.app_context():
        engagement = db.session.execute(select(Engagement)).scalar_one()
        assert str(engagement.monthly_fee) == "50000.00"
        assert engagement.owner.email == "manager@example.com"


def test_service_line_of_the_other_model_is_a_field_error(app, client, auth):
    known = ids(app)
    auth.login("manager")
    page = client.post("/engagements/new", data=form(known, service_line_id=known["research"]))
    assert page.status_code == 200
    assert b"a BPO engagement needs a BPO service line" in page.data


def test_a_line_the_vendor_does_not_list_is_a_warning_not_a_refusal(app, client, auth):
    known = ids(app)
    auth.login("manager")
    answer = client.post(
        "/engagements/new",
        data=form(known, service_line_id=known["data_entry"]),
        follow_redirects=True,
    )
    text = answer.get_data(as_text=True)
    assert "does not list Data entry and processing" in text
    with app.app_context():
        assert db.session.execute(select(Engagement)).scalar_one() is not None


def test_end_before_start_and_negative_money_are_refused(app, client, auth):
    known = ids(app)
    auth.login("manager")
    page = client.post(
        "/engagements/new",
        data=form(known, end_date="2025-12-31", monthly_fee="-5", at_risk_pct="25"),
    ).get_data(as_text=True)
    assert "The end date cannot be before the start date." in page
    assert "Give an amount of zero or more." in page
    assert "From 0 to 20 %." in page


def test_kpo_work_drops_bpo_only_terms(app, client, auth):
    known = ids(app, lines=("market_research",))
    auth.login("manager")
    answer = client.post(
        "/engagements/new",
        data=form(
            known,
            kind="KPO",
            service_line_id=known["research"],
            pricing_model="fixed_fee",
            monthly_fee="",
            total_contract_value="120000",
            end_date="2026-06-30",
        ),
    )
    assert answer.status_code == 302
    with app.app_context():
        engagement = db.session.execute(select(Engagement)).scalar_one()
        assert (engagement.at_risk_pct, engagement.earn_back_months) == (None, None)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Knowledge process outsourcing" in page
    assert "EUR 20,000.00 a month (contract value over 6 months)" in page
    assert "Fee at risk" not in page


def test_kind_stays_fixed_on_edit(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement(kind="BPO")
        db.session.commit()
        engagement_id, vendor_id = engagement.id, engagement.vendor_id
        support = factories.service_line("customer_support").id
    known = {"vendor": vendor_id, "support": support}
    auth.login("manager")
    page = client.get(f"/engagements/{engagement_id}/edit").get_data(as_text=True)
    assert 'disabled id="kind"' in page
    page = client.post(
        f"/engagements/{engagement_id}/edit", data=form(known, kind="KPO", version="1")
    ).get_data(as_text=True)
    assert "The kind is fixed once created" in page
    answer = client.post(
        f"/engagements/{engagement_id}/edit",
        data={k: v for k, v in form(known, title="Renamed", version="1").items() if k != "kind"},
    )
    assert answer.status_code == 302
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        assert (engagement.title, engagement.kind.value) == ("Renamed", "BPO")


def test_stale_edit_is_refused_and_keeps_the_input(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement()
        db.session.commit()
        engagement_id, vendor_id = engagement.id, engagement.vendor_id
        engagement.notes = "someone else"
        db.session.commit()
        support = factories.service_line("customer_support").id
    auth.login("manager")
    page = client.post(
        f"/engagements/{engagement_id}/edit",
        data=form({"vendor": vendor_id, "support": support}, title="Mine", version="1"),
    ).get_data(as_text=True)
    assert "changed by someone else since you opened it" in page
    assert 'value="Mine"' in page


def test_viewers_cannot_write(app, client, auth):
    with app.app_context():
        engagement_id = factories.make_engagement().id
        db.session.commit()
    auth.login("viewer")
    assert client.get(f"/engagements/{engagement_id}").status_code == 200
    assert client.get("/engagements/new").status_code == 403
    assert client.post(f"/engagements/{engagement_id}/edit", data={}).status_code == 403
    assert client.post(f"/engagements/{engagement_id}/delete").status_code == 403


def test_delete_of_an_engagement_without_recorded_work(app, client, auth):
    with app.app_context():
        engagement_id = factories.make_engagement().id
        db.session.commit()
    auth.login("manager")
    assert client.post(f"/engagements/{engagement_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(Engagement, engagement_id) is None


def test_list_filters_sorts_and_paginates(app, client, auth):
    auth.login("viewer")
    assert b"No engagements yet." in client.get("/engagements").data
    with app.app_context():
        alpha = factories.make_vendor("Alpha")
        beta = factories.make_vendor("Beta", lines=("market_research",))
        factories.make_engagement(vendor=alpha, title="Support A", status="active")
        factories.make_engagement(vendor=beta, kind="KPO", title="Research B", status="planned")
        db.session.commit()
        beta_id = beta.id
    page = client.get("/engagements?kind=KPO").get_data(as_text=True)
    assert "Research B" in page and "Support A" not in page
    page = client.get(f"/engagements?vendor_id={beta_id}").get_data(as_text=True)
    assert "Research B" in page and "Support A" not in page
    page = client.get("/engagements?status=active").get_data(as_text=True)
    assert "Support A" in page and "Research B" not in page
    page = client.get("/engagements?sort=title&dir=asc").get_data(as_text=True)
    assert page.index("Research B") < page.index("Support A")
    page = client.get("/engagements?sort=vendor&dir=desc").get_data(as_text=True)
    assert page.index("Research B") < page.index("Support A")
    assert b"No engagement matches these filters." in client.get("/engagements?status=on_hold").data
    with app.app_context():
        for n in range(30):
            factories.make_engagement(
                vendor=alpha if n % 2 else beta, kind="BPO", title=f"E{n:02d}"
            )
        db.session.commit()
    assert "page 2 of 2" in client.get("/engagements?page=2").get_data(as_text=True)


def _make(app, count):
    with app.app_context():
        for _ in range(count):
            factories.make_engagement()
        db.session.commit()


def test_engagement_list_query_count_does_not_grow_with_rows(app, client, auth, query_counter):
    auth.login("viewer")
    _make(app, 3)
    with query_counter() as few:
        assert client.get("/engagements").status_code == 200
    _make(app, 27)
    with query_counter() as many:
        assert client.get("/engagements").status_code == 200
    assert len(many) == len(few)
