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
