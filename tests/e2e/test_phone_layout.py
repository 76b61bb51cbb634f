"""The main pages fit a phone: at 390 px nothing scrolls the page sideways (wide tables scroll
in their own box, which the keyboard can reach), and on a 1,366 px screen the risk register
shows all its columns."""

import pytest

from tests.e2e.pages import PROVIDERS, main_pages
from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
PAGE_WIDTH = "document.documentElement.scrollWidth"
# Boxes of tables wider than the box: (scrolls, is a named region the keyboard reaches).
TABLE_BOXES = """[...document.querySelectorAll('.table-responsive')].map((box) => [
  box.scrollWidth > box.clientWidth + 1,
  box.tabIndex === 0 && box.getAttribute('role') === 'region' && !!box.getAttribute('aria-label'),
])"""


def _email(user: str) -> str:
    return user if "@" in user else f"{user}@example.com"


@pytest.mark.parametrize("user", ["admin", *PROVIDERS])
def test_no_main_page_scrolls_sideways_on_a_phone(page, tmp_path, user):
    page.set_viewport_size(PHONE)
    sign_in(page, _email(user))
    too_wide, unreachable = [], []
    for name, path in main_pages(tmp_path / "test.sqlite3", user):
        page.goto(path)
        width = page.evaluate(PAGE_WIDTH)
        if width > PHONE["width"]:
            too_wide.append(f"{name} ({path}): {width} px")
        if any(scrolls and not reachable for scrolls, reachable in page.evaluate(TABLE_BOXES)):
            unreachable.append(f"{name} ({path})")
    assert not too_wide, "pages wider than a 390 px phone:\n" + "\n".join(too_wide)
    assert not unreachable, "scrolling tables the keyboard cannot reach:\n" + "\n".join(unreachable)


def test_the_bpo_service_level_grid_scrolls_in_its_own_box_on_a_phone(page, tmp_path):
    page.set_viewport_size(PHONE)
    sign_in(page)
    path = dict(main_pages(tmp_path / "test.sqlite3", "admin"))["BPO engagement"]
    page.goto(path)
    assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
    grid = page.locator(".table-responsive", has=page.locator("table.bpo-grid")).first
    assert grid.evaluate("box => box.scrollWidth > box.clientWidth")  # it does not fit: it scrolls
    assert grid.get_attribute("tabindex") == "0" and grid.get_attribute("aria-label")


def test_the_risk_register_shows_all_its_columns_on_a_laptop(page):
    page.set_viewport_size(LAPTOP)
    sign_in(page)
    page.goto("/reports/risks")
    assert page.evaluate(PAGE_WIDTH) <= LAPTOP["width"]
    table = page.locator("table.table-sortable")
    assert table.locator("thead th").count() == 6
    boxes = page.evaluate(TABLE_BOXES)
    assert boxes and not any(scrolls for scrolls, _reachable in boxes)
    last = table.locator("thead th").last.bounding_box()
    assert last["x"] + last["width"] <= LAPTOP["width"]
