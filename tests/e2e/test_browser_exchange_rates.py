"""Exchange rates in a real browser: an admin adds a rate, saves its edit form unchanged (nothing
changes, not even the version), then changes one value (only that value changes); the list and
the portfolio read well on a 390 px phone."""

import sqlite3
from contextlib import closing
from decimal import Decimal

import pytest

from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

COLUMNS = "id, month, currency, rate, source, created_by_id, updated_by_id, version"


def _rate(tmp_path, currency):
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(
            f"SELECT {COLUMNS} FROM exchange_rates WHERE currency = ?",  # noqa: S608
            (currency,),
        ).fetchone()


def _count(tmp_path) -> int:
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute("SELECT count(*) FROM exchange_rates").fetchone()[0]


def _save(page):
    page.get_by_role("button", name="Save rate").click()
    page.wait_for_load_state()


def test_admin_adds_a_rate_saves_it_unchanged_then_changes_one_value(page, tmp_path):
    assert _rate(tmp_path, "INR") is None
    rows = _count(tmp_path)
    sign_in(page, "admin@example.com")
    page.goto("/reports/exchange-rates")
    page.get_by_role("link", name="Add rate").click()
    page.fill("input[name=month]", "2026-10")
    page.fill("input[name=currency]", "inr")
    page.fill("input[name=rate]", "0")
    page.fill("input[name=source]", "RBI reference rate 2026-10-30")
    _save(page)
    # Refused next to the field; nothing written.
    assert page.locator("#rate.is-invalid").is_visible()
    assert page.get_by_text("A rate must be above zero.").is_visible()
    assert _count(tmp_path) == rows
    page.fill("input[name=rate]", "0.0119")
    _save(page)
    assert page.url.endswith("/reports/exchange-rates")
    added = _rate(tmp_path, "INR")
    assert (added[1], added[2], added[4]) == ("2026-10-01", "INR", "RBI reference rate 2026-10-30")
    assert Decimal(str(added[3])) == Decimal("0.0119")  # SQLite hands NUMERIC back as a float
    assert added[-1] == 1 and _count(tmp_path) == rows + 1

    page.goto(f"/reports/exchange-rates/{added[0]}/edit")
    _save(page)
    assert page.url.endswith("/reports/exchange-rates")
    assert _rate(tmp_path, "INR") == added

    page.goto(f"/reports/exchange-rates/{added[0]}/edit")
    page.fill("input[name=source]", "RBI reference rate 2026-10-31")
    _save(page)
    changed = _rate(tmp_path, "INR")
    assert changed[4] == "RBI reference rate 2026-10-31" and changed[-1] == added[-1] + 1
    assert changed[:4] + changed[5:-1] == added[:4] + added[5:-1]
    assert page.get_by_text("RBI reference rate 2026-10-31").is_visible()


def test_rates_and_the_converted_total_fit_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "manager@example.com")
    for path in ("/reports/exchange-rates", "/reports/portfolio"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert page.get_by_text("Spend in USD (reporting currency, converted)").is_visible()
