"""The portal's other writes in a real browser: a provider disputes a credit and the client
waives it (only that credit changes); a manager invites a vendor's contact, who sets a password
and lands in the portal (one new provider user, nothing else).

provider@example.com acts for Concentrix in the demo database (tests/conftest.py).
"""

import sqlite3
from contextlib import closing
from datetime import date

import pytest

from tests.conftest import PASSWORD
from tests.e2e.test_smoke import sign_in
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

pytestmark = pytest.mark.e2e


def _rows(tmp_path, sql, *args):
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(sql, args).fetchall()


def _disputes(tmp_path) -> dict:
    return {
        row[0]: row[1:]
        for row in _rows(
            tmp_path, "SELECT id, state, category, reason, note FROM bpo_credit_disputes"
        )
    }


def _concentrix_bpo_engagement(tmp_path) -> int:
    return _rows(
        tmp_path,
        "SELECT e.id FROM engagements e JOIN vendors v ON v.id = e.vendor_id "
        "WHERE v.name = 'Concentrix' AND e.kind = 'BPO' ORDER BY e.id",
    )[0][0]


def test_a_provider_disputes_a_credit_and_the_client_waives_only_that_one(
    page, chromium, live_server, tmp_path
):
    engagement_id = _concentrix_bpo_engagement(tmp_path)
    # Last month's calls-answered result becomes a breach of the critical level: a fresh credit,
    # pending earn-back, that nobody has disputed yet.
    last_month = shift_month(first_of_month(date.today()), -1).isoformat()
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        changed = con.execute(
            "UPDATE bpo_measurements SET actual = 10 WHERE period = ? AND service_level_id = "
            "(SELECT id FROM bpo_service_levels WHERE engagement_id = ? "
            "AND classification = 'critical' AND name LIKE 'Service level%')",
            (last_month, engagement_id),
        ).rowcount
        con.commit()
    assert changed == 1
    before = _disputes(tmp_path)
    sign_in(page, "provider@example.com")
    page.goto(f"/bpo/engagements/{engagement_id}/credits")
    summary = page.locator("summary", has_text="Dispute this credit").first
    summary.click()
    form = summary.locator("xpath=..").locator("form")
    form.locator("select").select_option(index=1)
    form.locator("textarea").fill("The outage was the client's own network change.")
    form.get_by_role("button", name="Dispute this credit").click()
    page.wait_for_load_state()
    assert "disputed; the client will resolve it" in page.content()
    after = _disputes(tmp_path)
    (new_id,) = set(after) - set(before)
    assert after[new_id][0] == "open" and after[new_id][2].startswith("The outage")
    assert {k: after[k] for k in before} == before  # the others are as they were

    manager = chromium.new_context(base_url=live_server).new_page()
    try:
        sign_in(manager, "manager@example.com")
        manager.goto(f"/bpo/engagements/{engagement_id}/credits")
        row = manager.locator("#credit-disputes tr", has_text="The outage was")
        row.locator("select").select_option("waived")
        row.locator("textarea").fill("Agreed at the monthly review.")
        row.get_by_role("button", name="Resolve").click()
        manager.wait_for_load_state()
        assert "Dispute resolved: waived" in manager.content()
        assert manager.locator(".badge", has_text="waived").count() >= 1
    finally:
        manager.context.close()
    resolved = _disputes(tmp_path)
    assert (
        resolved[new_id][0] == "waived" and resolved[new_id][3] == "Agreed at the monthly review."
    )
    assert {k: resolved[k] for k in before} == before


def test_a_manager_invites_a_contact_who_sets_a_password_and_lands_in_the_portal(
    page, chromium, live_server, tmp_path
):
    users_before = _rows(tmp_path, "SELECT email, role, vendor_id FROM users ORDER BY id")
    sign_in(page, "manager@example.com")
    vendor_id = _rows(tmp_path, "SELECT id FROM vendors WHERE name = 'Genpact'")[0][0]
    page.goto(f"/vendors/{vendor_id}")
    page.get_by_role("button", name="Invite to the portal").first.click()
    page.wait_for_load_state()
    link = page.locator("#invite-link").input_value()
    assert "/portal/invite/" in link

    invitee = chromium.new_context().new_page()
    try:
        invitee.goto(link)
        invitee.fill("input[name=password]", PASSWORD)
        invitee.fill("input[name=confirm]", PASSWORD)
        invitee.get_by_role("button", name="Set password and sign in").click()
        invitee.wait_for_load_state()
        assert "You act for" in invitee.content() and "Genpact" in invitee.content()
        invitee.goto(link)  # the link works once
        assert "Set password and sign in" not in invitee.content()
    finally:
        invitee.context.close()
    users_after = _rows(tmp_path, "SELECT email, role, vendor_id FROM users ORDER BY id")
    assert users_after[: len(users_before)] == users_before
    (added,) = users_after[len(users_before) :]
    assert added[1:] == ("provider", vendor_id)
