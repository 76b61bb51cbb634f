"""A provider reports a month in the browser, the client verifies it, the provider sees it.

provider@example.com acts for Concentrix in the demo database (tests/conftest.py).
"""

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from tests.e2e.test_smoke import sign_in
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

pytestmark = pytest.mark.e2e

# Four months back: reported by the client in the demo data, no report of the provider yet.
MONTH = shift_month(first_of_month(date.today()), -4)


def _query(tmp_path, sql, *args):
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(sql, args).fetchall()


def _concentrix_engagement(tmp_path) -> int:
    rows = _query(
        tmp_path,
        "SELECT e.id FROM engagements e JOIN vendors v ON v.id = e.vendor_id "
        "JOIN bpo_measurements m ON m.engagement_id = e.id "
        "WHERE v.name = 'Concentrix' AND m.period = ? GROUP BY e.id",
        MONTH.isoformat(),
    )
    assert rows, "the demo data has Concentrix BPO results four months back"
    return rows[0][0]


def _report_state(tmp_path, engagement_id):
    rows = _query(
        tmp_path,
        "SELECT state FROM bpo_month_reports WHERE engagement_id = ? AND period = ?",
        engagement_id,
        MONTH.isoformat(),
    )
    return rows[0][0] if rows else None


def test_provider_submits_a_month_the_client_verifies_it_and_the_provider_sees_it(
    page, chromium, live_server, tmp_path
):
    engagement_id = _concentrix_engagement(tmp_path)
    url = f"/bpo/engagements/{engagement_id}/results/{MONTH:%Y-%m}"
    assert _report_state(tmp_path, engagement_id) is None

    sign_in(page, "provider@example.com")
    page.goto(url)
    first = page.locator("input[name$='-actual']").first
    assert first.is_editable()
    new = "88.8" if first.input_value() != "88.8" else "88.7"
    first.fill(new)
    page.get_by_role("button", name=f"Save {MONTH:%b %Y}").click()
    page.wait_for_load_state()
    assert "1 changed" in page.locator(".alert-success").first.inner_text()
    assert page.locator("#month-report .report-state").inner_text() == "Submitted"
    assert page.get_by_role("button", name=f"Verify {MONTH:%b %Y}").count() == 0
    assert _report_state(tmp_path, engagement_id) == "submitted"
    sources = _query(
        tmp_path,
        "SELECT source FROM bpo_measurements WHERE engagement_id = ? AND period = ? "
        "AND source = 'provider'",
        engagement_id,
        MONTH.isoformat(),
    )
    assert len(sources) == 1  # only the changed result is recorded as the provider's

    manager = chromium.new_context(base_url=live_server).new_page()
    try:
        sign_in(manager, "manager@example.com")
        manager.goto(url)
        assert manager.locator("#month-report .report-state").inner_text() == "Submitted"
        manager.get_by_role("button", name=f"Verify {MONTH:%b %Y}").click()
        manager.wait_for_load_state()
        assert "verified" in manager.locator(".alert-success").first.inner_text()
    finally:
        manager.context.close()
    assert _report_state(tmp_path, engagement_id) == "verified"

    page.goto(url)
    assert page.locator("#month-report .report-state").inner_text() == "Verified"
    assert new in page.locator("input[name$='-actual']").first.input_value()
