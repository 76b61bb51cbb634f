"""Navigation reaches every report (the BPO portfolio too); list pages export what they show."""

import html

from tests import factories
from vendor_tracker.extensions import db


def test_reports_menu_links_the_bpo_portfolio(client, auth):
    auth.login("viewer")
    page = client.get("/vendors")
    assert page.status_code == 200
    assert b'href="/bpo/portfolio"' in page.data
    assert b'href="/reports/scorecards"' in page.data
    portfolio = client.get("/bpo/portfolio")
    assert portfolio.status_code == 200
    # The Reports entry is marked as the current section on a report that lives under /bpo.
    assert b'class="dropdown-item active"' in portfolio.data


def _link(data: bytes, label: str) -> str:
    text = data.decode()
    end = text.index(f'">{label}</a>')
    start = text.rindex('href="', 0, end) + len('href="')
    return html.unescape(text[start:end])


def test_vendor_list_exports_keep_the_filters(app, client, auth):
    with app.app_context():
        factories.make_vendor(name="Acme Contact", status="approved")
        factories.make_vendor(name="Zeta Calls", status="prospect")
        db.session.commit()
    auth.login("viewer")
    page = client.get("/vendors?status=approved&page=1")
    csv_link = _link(page.data, "CSV")
    assert csv_link == "/reports/exports/vendors.csv?status=approved"
    assert _link(page.data, "Excel") == "/reports/exports/vendors.xlsx?status=approved"
    body = client.get(csv_link).data.decode()
    assert "Acme Contact" in body and "Zeta Calls" not in body


def test_engagement_list_exports_keep_the_filters(app, client, auth):
    with app.app_context():
        factories.make_engagement(kind="BPO", title="Inbound care")
        factories.make_engagement(kind="KPO", title="Market sizing")
        db.session.commit()
    auth.login("viewer")
    page = client.get("/engagements?kind=KPO")
    csv_link = _link(page.data, "CSV")
    assert csv_link == "/reports/exports/engagements.csv?kind=KPO"
    body = client.get(csv_link).data.decode()
    assert "Market sizing" in body and "Inbound care" not in body
    xlsx = client.get(_link(page.data, "Excel"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_export_links_survive_arguments_named_like_their_own(client, auth):
    auth.login("viewer")
    assert client.get("/vendors?dataset=risks&fmt=pdf").status_code == 200
    assert client.get("/engagements?dataset=x&fmt=y&page=2").status_code == 200


def test_filter_selects_keep_the_chosen_values(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement(kind="KPO", title="Market sizing")
        vendor_id = engagement.vendor_id
        db.session.commit()
    auth.login("viewer")
    vendors = client.get("/vendors?status=approved&model=KPO").data.decode()
    assert '<option value="approved" selected>' in vendors
    assert '<option value="KPO" selected>' in vendors
    engagements = client.get(f"/engagements?vendor_id={vendor_id}&kind=KPO").data.decode()
    assert f'<option value="{vendor_id}" selected>' in engagements
    risks = client.get("/reports/risks?status=closed&rating=high").data.decode()
    assert '<option value="closed" selected>' in risks
    assert '<option value="high" selected>' in risks
    assert 'href="/reports/exports/risks.csv?status=closed&amp;rating=high"' in risks
