"""The needs-attention inbox in a browser: each kind shows its most urgent items, 'Show all'
opens that kind alone, and its pages go through every item."""

import re
from datetime import date, timedelta

import pytest

from tests.conftest import demo_vendor, make_app
from tests.e2e.test_smoke import sign_in
from tests.factories_kpo import make_deliverable, make_kpo_engagement
from vendor_tracker.extensions import db

pytestmark = pytest.mark.e2e

LONG_AGO = date.today() - timedelta(days=900)


def add_overdue_deliverables(tmp_path, count: int) -> None:
    """Deliverables due long before any of the demo's, so they are the most overdue."""
    app = make_app(tmp_path)
    with app.app_context():
        kpo = make_kpo_engagement(demo_vendor("Evalueserve"), title="Inbox check research")
        for i in range(count):
            make_deliverable(kpo, f"Inbox check {i:02d}", due_on=LONG_AGO + timedelta(days=i))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def shown(where) -> list[str]:
    """The test's deliverables in a page's main content or in a locator."""
    box = where.locator("main") if hasattr(where, "goto") else where
    return re.findall(r"Inbox check \d\d", box.inner_text())


def test_show_all_opens_one_kind_and_pages_through_it(page, tmp_path):
    add_overdue_deliverables(tmp_path, 30)
    sign_in(page, "viewer@example.com")
    page.goto("/reports/attention")
    section = page.locator("section[aria-labelledby='kind-overdue_deliverable']")
    assert shown(section) == [f"Inbox check {i:02d}" for i in range(10)]
    total = int(re.search(r"\(([\d,]+)\)", section.locator("h2").inner_text())[1].replace(",", ""))
    assert total >= 30
    section.get_by_role("link", name=re.compile(r"^Show all")).click()
    page.wait_for_url(re.compile(r"kind=overdue_deliverable"))
    assert page.locator("h2").first.inner_text().startswith("Overdue deliverables")
    assert shown(page) == [f"Inbox check {i:02d}" for i in range(25)]
    page.get_by_role("link", name="Next").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert shown(page) == [f"Inbox check {i:02d}" for i in range(25, 30)]
    assert page.get_by_text(f"{total} in all, page 2 of").is_visible()


def test_one_kind_fits_a_phone(page, tmp_path):
    add_overdue_deliverables(tmp_path, 12)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "viewer@example.com")
    page.goto("/reports/attention?kind=overdue_deliverable")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto("/reports/attention")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
