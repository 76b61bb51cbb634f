"""The QBR pack and the QBR page name both kinds of breach: critical levels (they carry credits)
and key levels (red on the grid, no credit), each counted for the QBR's quarter."""

import re
from datetime import date, timedelta

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_reporting import make_qbr
from vendor_tracker.extensions import db
from vendor_tracker.reporting.scorecard import previous_quarter

QUARTER = previous_quarter(date.today())


def text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)))


def world(app) -> int:
    """Critical level: 1 breach (70 < minimum 75) in the quarter's three months; key level:
    2 breaches (60 and 50); every other result meets its target of 80."""
    first = QUARTER.first_day
    months = [first, date(first.year, first.month + 1, 1), date(first.year, first.month + 2, 1)]
    with app.app_context():
        vendor = factories.make_vendor("Acme Contact")
        engagement = factories.make_engagement(
            vendor, start=first - timedelta(days=200), end=first + timedelta(days=400)
        )
        critical = make_level(
            engagement, name="Calls in 20 s", classification="critical", allocation="100"
        )
        key = make_level(engagement, name="First contact resolution", position=1)
        for month, c_actual, k_actual in zip(months, (85, 70, 90), (60, 85, 50), strict=True):
            make_result(critical, month, c_actual)
            make_result(key, month, k_actual)
        qbr = make_qbr(
            vendor, year=first.year, quarter=(first.month - 1) // 3 + 1, held_on=QUARTER.last_day
        )
        db.session.commit()
        return qbr.id


def test_pack_shows_critical_and_key_breaches_labelled(client, auth, app):
    qbr_id = world(app)
    auth.login("viewer")
    pack = text(client.get(f"/reports/qbrs/{qbr_id}/pack"))
    assert "Critical-level breaches (carry credits): 1 · Key-level breaches: 2" in pack
    assert "Critical-level breaches (carry credits) Key-level breaches" in pack  # table heads
    # 3 met of 6 reported (2 levels x 3 months), then the critical and the key breaches
    assert " 3 / 6 / 6 1 2 " in pack


def test_qbr_page_shows_both_counts(client, auth, app):
    qbr_id = world(app)
    auth.login("viewer")
    page = text(client.get(f"/reports/qbrs/{qbr_id}"))
    assert "Critical-level breaches (carry credits): 1 · Key-level breaches: 2" in page
