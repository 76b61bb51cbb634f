"""Notifications in a real browser: a provider's user submits a version, the engagement's owner
sees the bell's count, opens the list, follows the link to the deliverable and marks the
notification read; the email settings saved unchanged change nothing, and one box changed
changes only that choice."""

import re
import sqlite3
from contextlib import closing

import pytest

from tests.conftest import PASSWORD, make_app
from tests.e2e.test_accessibility import _blocking
from tests.e2e.test_smoke import sign_in
from vendor_tracker.extensions import db

pytestmark = pytest.mark.e2e

PROVIDER = "e2e.notify@example.com"
TITLE = "Win/loss interview synthesis"  # Evalueserve's, changes requested in the demo data
MANAGER = "manager@example.com"
PHONE = {"width": 390, "height": 844}


def _query(tmp_path, sql, *args) -> list[tuple]:
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(sql, args).fetchall()


def _prepare(tmp_path) -> int:
    """Evalueserve gets a provider's user, the manager owns the engagement; the deliverable id."""
    from vendor_tracker.auth.services import create_user, user_by_email
    from vendor_tracker.engagements.models import Engagement

    ((deliverable_id, engagement_id, vendor_id),) = _query(
        tmp_path,
        "SELECT d.id, e.id, e.vendor_id FROM kpo_deliverables d "
        "JOIN engagements e ON e.id = d.engagement_id WHERE d.title = ?",
        TITLE,
    )
    app = make_app(tmp_path)
    with app.app_context():
        create_user(PROVIDER, PASSWORD, "provider", "Noor Ali", vendor_id=vendor_id)
        db.session.get(Engagement, engagement_id).owner_id = user_by_email(MANAGER).id
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return deliverable_id


def _unread(tmp_path) -> list[tuple]:
    return _query(
        tmp_path,
        "SELECT n.id, n.kind, n.link FROM notifications n JOIN users u ON u.id = n.user_id "
        "WHERE u.email = ? AND n.read_at IS NULL ORDER BY n.id",
        MANAGER,
    )


def _choices(tmp_path) -> list[tuple]:
    return _query(
        tmp_path,
        "SELECT p.kind, p.email FROM notification_preferences p "
        "JOIN users u ON u.id = p.user_id WHERE u.email = ? ORDER BY p.kind",
        MANAGER,
    )


def test_a_submission_reaches_the_owner_who_follows_it_and_marks_it_read(
    page, chromium, live_server, tmp_path
):
    deliverable_id = _prepare(tmp_path)
    before = len(_unread(tmp_path))

    # The provider's user submits version 2.
    sign_in(page, PROVIDER)
    page.goto(f"/kpo/deliverables/{deliverable_id}")
    page.fill("#summary", "Quotes per driver.")
    page.get_by_role("button", name="Submit version 2").click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text="Version 2 recorded").count() == 1
    unread = _unread(tmp_path)
    assert len(unread) == before + 1
    new_id, kind, link = unread[-1]
    assert (kind, link) == ("version_submitted", f"/kpo/deliverables/{deliverable_id}")

    # The manager sees the bell, opens the list and follows the link.
    context = chromium.new_context(base_url=live_server)
    manager = context.new_page()
    sign_in(manager, MANAGER)
    bell = manager.get_by_role("link", name=f"Notifications, {before + 1} unread")
    assert bell.count() == 1
    bell.click()
    manager.wait_for_url(re.compile(r"/notifications$"))
    item = manager.locator("li", has=manager.locator(f"a[href='{link}']"))
    assert "Unread" in item.inner_text()
    manager.get_by_role("link", name=re.compile("submitted version 2")).click()
    manager.wait_for_url(re.compile(rf"/kpo/deliverables/{deliverable_id}$"))
    assert TITLE in manager.content()

    # Back on the list, marking it read marks only that one.
    manager.goto("/notifications")
    manager.get_by_role("button", name=re.compile("Mark read: .*submitted version 2")).click()
    manager.wait_for_load_state()
    assert [row[0] for row in _unread(tmp_path)] == [row[0] for row in unread if row[0] != new_id]
    assert manager.get_by_role("link", name=f"Notifications, {before} unread").count() == 1
    context.close()


def test_email_settings_unchanged_change_nothing_and_one_box_changes_one_choice(page, tmp_path):
    sign_in(page, MANAGER)
    page.goto("/notifications/settings")
    boxes = page.locator("input[type=checkbox]")
    assert boxes.count() == 12
    assert all(boxes.nth(n).is_checked() for n in range(boxes.count()))

    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text="Nothing changed").count() == 1
    assert _choices(tmp_path) == []

    page.get_by_label("The client disputed a month's results").uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text="1 changed").count() == 1
    assert _choices(tmp_path) == [("month_disputed", 0)]
    checked = [boxes.nth(n).is_checked() for n in range(boxes.count())]
    assert checked.count(False) == 1
    assert not page.get_by_label("The client disputed a month's results").is_checked()


def test_the_bell_and_the_pages_with_notifications_fit_a_phone_and_pass_axe(
    page, chromium, live_server, tmp_path
):
    from axe_playwright_python.sync_playwright import Axe

    deliverable_id = _prepare(tmp_path)
    sign_in(page, PROVIDER)
    page.goto(f"/kpo/deliverables/{deliverable_id}")
    page.get_by_role("button", name="Submit version 2").click()
    page.wait_for_load_state()
    assert len(_unread(tmp_path)) >= 1

    context = chromium.new_context(base_url=live_server, viewport=PHONE)
    manager = context.new_page()
    sign_in(manager, MANAGER)
    # On a phone the bell stays beside the menu button, not folded into the menu.
    assert manager.get_by_role("link", name=re.compile(r"^Notifications, \d+ unread$")).is_visible()
    found, too_wide = [], []
    for path in ("/", "/notifications", "/notifications/settings"):
        assert manager.goto(path).status == 200
        found += _blocking(path, path, Axe().run(manager).response["violations"])
        width = manager.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{path}: {width} px")
    context.close()
    assert not found, "\n".join(found)
    assert not too_wide, "\n".join(too_wide)
