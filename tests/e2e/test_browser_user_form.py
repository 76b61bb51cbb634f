"""The admin's user form in a real browser, on a provider user: saving it unchanged changes
nothing (role, company, name, password all kept), changing the name changes only the name, and
the company select is shown only while the role is provider."""

import sqlite3
from contextlib import closing

import pytest

from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

COLUMNS = "id, email, name, role, vendor_id, active, password_hash, session_key, version"


def _user(tmp_path, email):
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(f"SELECT {COLUMNS} FROM users WHERE email = ?", (email,)).fetchone()  # noqa: S608


def test_admin_saves_a_provider_user_unchanged_then_changes_one_value(page, tmp_path):
    before = _user(tmp_path, "provider@example.com")
    sign_in(page, "admin@example.com")
    page.goto(f"/admin/users/{before[0]}")
    assert page.locator("select[name=vendor_id]").is_visible()

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/users")
    assert _user(tmp_path, "provider@example.com") == before

    page.goto(f"/admin/users/{before[0]}")
    page.fill("input[name=name]", "Pat Provider-Lee")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    after = _user(tmp_path, "provider@example.com")
    assert after[2] == "Pat Provider-Lee" and after[-1] == before[-1] + 1
    assert after[:2] + after[3:-1] == before[:2] + before[3:-1]

    # The company select belongs to the provider role only.
    page.goto(f"/admin/users/{before[0]}")
    page.select_option("select[name=role]", "viewer")
    assert not page.locator("select[name=vendor_id]").is_visible()
    page.select_option("select[name=role]", "provider")
    assert page.locator("select[name=vendor_id]").is_visible()
