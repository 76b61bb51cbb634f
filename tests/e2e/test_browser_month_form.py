"""The monthly results form in a real browser: what the browser sends is what gets saved.

Saving a month unchanged changes nothing; changing one value changes only that one; a viewer
can submit nothing. (A form whose inputs rendered `disabled` once sent no values, and Save
cleared the month: only a browser shows that.)
"""

import re
import sqlite3
from contextlib import closing
from datetime import date

import pytest

from tests.e2e.test_smoke import sign_in
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

pytestmark = pytest.mark.e2e

LAST_MONTH = shift_month(first_of_month(date.today()), -1)


def _database(tmp_path):
    return closing(sqlite3.connect(tmp_path / "test.sqlite3"))


def _month_with_results(tmp_path) -> int:
    """A demo BPO engagement with results for at least two levels last month."""
    with _database(tmp_path) as con:
        row = con.execute(
            "SELECT engagement_id FROM bpo_measurements WHERE period = ? "
            "GROUP BY engagement_id HAVING count(*) >= 2 ORDER BY engagement_id LIMIT 1",
            (LAST_MONTH.isoformat(),),
        ).fetchone()
    assert row, "the demo data has BPO results for last month"
    return row[0]


def _stored(tmp_path, engagement_id) -> dict:
    """Every stored result of the engagement with its version, by (level, month)."""
    with _database(tmp_path) as con:
        rows = con.execute(
            "SELECT service_level_id, period, actual, volume, note, version "
            "FROM bpo_measurements WHERE engagement_id = ?",
            (engagement_id,),
        ).fetchall()
    return {
        (lv, period): (str(actual), volume, note, version)
        for lv, period, *rest in rows
        for actual, volume, note, version in [rest]
    }


def test_manager_saves_unchanged_then_one_value_and_a_viewer_can_submit_nothing(
    page, chromium, live_server, tmp_path
):
    engagement_id = _month_with_results(tmp_path)
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    before = _stored(tmp_path, engagement_id)

    sign_in(page, "manager@example.com")
    page.goto(url)
    actuals = page.locator("input[name$='-actual']")
    assert actuals.count() >= 2
    for index in range(actuals.count()):
        assert actuals.nth(index).is_editable()
    save = page.get_by_role("button", name=f"Save {LAST_MONTH:%b %Y}")

    # Unchanged: every stored value (and its version) is still there.
    save.click()
    page.wait_for_load_state()
    assert "0 changed, 0 cleared" in page.locator(".alert").first.inner_text()
    assert _stored(tmp_path, engagement_id) == before

    # One value: only that result changes.
    first = page.locator("input[name$='-actual']").first
    old = first.input_value()
    new = "1" if old != "1" else "2"
    first.fill(new)
    page.get_by_role("button", name=f"Save {LAST_MONTH:%b %Y}").click()
    page.wait_for_load_state()
    assert "1 changed" in page.locator(".alert").first.inner_text()
    after = _stored(tmp_path, engagement_id)
    changed = {key for key in before if after.get(key) != before[key]}
    assert len(changed) == 1 and set(after) == set(before)
    (key,) = changed
    assert after[key][0].rstrip("0").rstrip(".") == new and after[key][3] == before[key][3] + 1
    assert page.locator("input[name$='-actual']").first.input_value() == new

    # A viewer sees the values read-only, with nothing to submit them with.
    viewer = chromium.new_context(base_url=live_server).new_page()
    try:
        sign_in(viewer, "viewer@example.com")
        viewer.goto(url)
        fields = viewer.locator(
            "input[name$='-actual'], input[name$='-volume'], input[name$='-note']"
        )
        assert fields.count() >= 6
        for index in range(fields.count()):
            assert not fields.nth(index).is_editable()
            assert not fields.nth(index).is_disabled()  # read-only, still sent and readable
        assert viewer.get_by_role("button", name=re.compile(r"^Save ")).count() == 0
        fields.first.press("Enter")  # no implicit submission without a submit button
        viewer.wait_for_load_state()
        assert _stored(tmp_path, engagement_id) == after
    finally:
        viewer.context.close()
