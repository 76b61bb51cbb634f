"""Two more writes in a real browser: a manager imports a CSV of monthly results through the
file input (the file's new row is added, everything stored stays); a provider closes one action
item assigned to their company (only that item changes).

provider-b@example.com acts for Evalueserve in the demo database (tests/conftest.py).
"""

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from tests.e2e.test_smoke import sign_in
from vendor_tracker.engagements.bpo.sla import first_of_month

pytestmark = pytest.mark.e2e


def _rows(tmp_path, sql, *args):
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(sql, args).fetchall()


def _results(tmp_path, engagement_id) -> dict:
    return {
        (level, period): (str(actual), volume, note, version)
        for level, period, actual, volume, note, version in _rows(
            tmp_path,
            "SELECT service_level_id, period, actual, volume, note, version "
            "FROM bpo_measurements WHERE engagement_id = ?",
            engagement_id,
        )
    }


def test_a_manager_imports_a_csv_that_adds_one_result_and_keeps_the_rest(page, tmp_path):
    this_month = first_of_month(date.today())
    engagement_id, level_id, level_name = _rows(
        tmp_path,
        "SELECT l.engagement_id, l.id, l.name FROM bpo_service_levels l "
        "WHERE l.unit = '%' AND NOT EXISTS (SELECT 1 FROM bpo_measurements m "
        "WHERE m.service_level_id = l.id AND m.period = ?) ORDER BY l.id",
        this_month.isoformat(),
    )[0]
    before = _results(tmp_path, engagement_id)
    sign_in(page, "manager@example.com")
    page.goto(f"/bpo/engagements/{engagement_id}/import")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "results.csv",
                "mimeType": "text/csv",
                "buffer": (
                    "service_level,period,actual,volume,note\n"
                    f"{level_name},{this_month:%Y-%m},88.5,1200,from the browser\n"
                ).encode(),
            }
        ],
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()
    assert "1 new, 0 replaced, 0 unchanged" in page.content()
    after = _results(tmp_path, engagement_id)
    assert {key: after[key] for key in before} == before
    (added,) = set(after) - set(before)
    assert added == (level_id, this_month.isoformat())
    assert after[added][:3] == ("88.5", 1200, "from the browser")


def test_a_provider_closes_one_action_item_of_their_company(page, tmp_path):
    items = _rows(
        tmp_path,
        "SELECT a.id, a.engagement_id, a.done FROM kpo_action_items a "
        "JOIN engagements e ON e.id = a.engagement_id JOIN vendors v ON v.id = e.vendor_id "
        "WHERE v.name = 'Evalueserve' AND a.for_provider AND NOT a.done ORDER BY a.id",
    )
    assert items, "the demo data assigns open action items to Evalueserve"
    item_id, engagement_id, _done = items[0]
    before = dict(
        (i, (done, on))
        for i, done, on in _rows(tmp_path, "SELECT id, done, done_on FROM kpo_action_items")
    )
    sign_in(page, "provider-b@example.com")
    page.goto(f"/kpo/engagements/{engagement_id}/action-items")
    form = page.locator(f"form[action$='/action-items/{item_id}/done']")
    form.get_by_role("button", name="Mark done").click()
    page.wait_for_load_state()
    after = dict(
        (i, (done, on))
        for i, done, on in _rows(tmp_path, "SELECT id, done, done_on FROM kpo_action_items")
    )
    assert after[item_id][0] == 1 and after[item_id][1] is not None
    assert {i: v for i, v in after.items() if i != item_id} == {
        i: v for i, v in before.items() if i != item_id
    }
