"""Words found in use, pinned: one date format within an inbox item, certificate expiry as a
distance, days in the singular when there is one."""

import re
from datetime import date, timedelta

from tests import factories
from tests.factories_kpo import make_deliverable, make_kpo_engagement
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.core.templating import nice_date
from vendor_tracker.extensions import db

TODAY = date.today()
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_inbox_items_use_one_date_format(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        factories.make_certification(vendor, "ISO 27001", expires_on=TODAY - timedelta(days=3))
        factories.make_certification(vendor, "SOC 2 Type II", expires_on=TODAY + timedelta(days=35))
        factories.make_engagement(
            vendor, title="Ending soon", start=TODAY - timedelta(days=300), end=TODAY + timedelta(1)
        )
        kpo = make_kpo_engagement(vendor, title="Research")
        make_deliverable(kpo, "Late report", due_on=TODAY - timedelta(days=1))
        make_risk(vendor, "Review me", next_review_on=TODAY - timedelta(days=1))
        qbr = make_qbr(vendor)
        make_action_item(qbr, "Overdue QBR action", due_on=TODAY - timedelta(days=2))
        db.session.commit()
    auth.login("viewer")
    page = client.get("/reports/attention").get_data(as_text=True)
    items = re.findall(r'<a class="list-group-item[^"]*"[^>]*>(.*?)</a>', page, re.S)
    assert len(items) >= 6
    for item in items:
        assert not ISO_DATE.search(item), item
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    ago = nice_date(TODAY - timedelta(days=3))
    assert f"Expired 3 days ago ({ago})." in text
    assert f"Expires in 35 days ({nice_date(TODAY + timedelta(days=35))})." in text
    assert f"Ends in 1 day ({nice_date(TODAY + timedelta(days=1))})" in text
    assert f"due {nice_date(TODAY - timedelta(days=1))}, 1 day ago, not yet accepted." in text
    assert f"review was due {nice_date(TODAY - timedelta(days=1))}, 1 day ago." in text
    assert f"due {nice_date(TODAY - timedelta(days=2))}." in text


def test_a_bpo_only_vendor_shows_no_kpo_rows(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Voice Only")
        factories.make_engagement(vendor, title="Inbound care")
        both = factories.make_vendor("Both Kinds")
        factories.make_engagement(both, title="Care")
        make_kpo_engagement(both, title="Research")
        qbr = make_qbr(vendor)
        db.session.commit()
        vendor_id, both_id, qbr_id = vendor.id, both.id, qbr.id
    auth.login("viewer")
    kpo_label = "KPO quality of accepted deliverables"
    for url in (f"/reports/scorecards/vendor/{vendor_id}", f"/reports/qbrs/{qbr_id}/pack"):
        page = client.get(url).get_data(as_text=True)
        assert "BPO service-level attainment" in page
        assert kpo_label not in page and "KPO on-time first versions" not in page, url
    assert kpo_label in client.get(f"/reports/scorecards/vendor/{both_id}").get_data(as_text=True)
    listing = client.get("/reports/scorecards").get_data(as_text=True)
    row = listing[listing.index("Voice Only") :]
    row = row[: row.index("</tr>")]
    assert row.count("no KPO engagements") == 3
    vendor_page = client.get(f"/vendors/{vendor_id}").get_data(as_text=True)
    assert "BPO service-level attainment" in vendor_page and kpo_label not in vendor_page


def test_unset_engagement_fields_read_not_set(client, auth, app):
    with app.app_context():
        engagement = factories.make_engagement(
            monthly_fee=None,
            at_risk_pct=None,
            earn_back_months=None,
            total_contract_value=None,
            baseline_monthly_cost=None,
            delivery_shore=None,
        )
        db.session.commit()
        engagement_id = engagement.id
    auth.login("manager")
    page = client.get(f"/engagements/{engagement_id}").get_data(as_text=True)
    terms = page[page.index(">Terms<") : page.index("</dl>", page.index("Earn-back window"))]
    terms = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", terms))
    for label in (
        "Monthly fee",
        "Total contract value",
        "Delivery shore",
        "In-house baseline",
        "Fee at risk",
        "Earn-back window",
    ):
        assert f"{label} not set" in terms, label
    listing = client.get("/engagements").get_data(as_text=True)
    assert "not set" in listing


def test_every_bpo_value_cell_shows_its_unit(client, auth, app):
    from tests.factories_bpo import make_level, make_result
    from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

    last_month = shift_month(first_of_month(TODAY), -1)
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(last_month, -3), end=shift_month(last_month, 24)
        )
        aht = make_level(
            engagement,
            name="Average handle time",
            unit="s",
            direction="lower",
            target="360",
            minimum=None,
        )
        backlog = make_level(
            engagement,
            name="Backlog",
            unit="items",
            direction="lower",
            target="200",
            minimum=None,
            position=1,
        )
        make_result(aht, last_month, 300)
        make_result(backlog, last_month, 150)
        db.session.commit()
        engagement_id = engagement.id
    auth.login("viewer")
    page = client.get(f"/engagements/{engagement_id}").get_data(as_text=True)
    cells = [
        re.sub(r"\s+", " ", re.sub(r"<span class=\"visually-hidden\">.*?</span>", "", c)).strip()
        for c in re.findall(r'<td class="cell-met[^"]*"[^>]*>(.*?)</td>', page, re.S)
    ]
    assert "300 s" in cells and "150 items" in cells
