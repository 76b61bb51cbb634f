"""Vendor selection in a real browser: need, advisor, shortlist, criteria, scores, award, record."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

SCRIPTED_CALLING = {
    "checklist": 1,
    "complexity": 1,
    "volume": 1,
    "specialization": 2,
    "strategic": 1,
    "collaboration": 2,
    "unpredictability": 1,
    "output": 1,
}


def sign_in(page, email="admin@example.com"):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_from_a_need_to_an_awarded_engagement(page):
    sign_in(page)
    page.goto("/selection")
    page.get_by_role("link", name="New sourcing request").click()
    page.fill("#title", "Webinar invitations (e2e)")
    page.fill("#description", "Call registered contacts from a pitch script.")
    page.select_option("#service_line_id", label="Telemarketing and sales (BPO)")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/selection/\d+/advisor$"))
    request_url = page.url.rsplit("/advisor", 1)[0]

    # The advisor: every question answered on the scale.
    for code, value in SCRIPTED_CALLING.items():
        page.check(f"input[name=q_{code}][value='{value}']")
    page.get_by_role("button", name="Save answers and advise").click()
    assert "Advisor result: BPO" in page.locator(".alert-success").inner_text()
    assert "Govern it with service levels" in page.content()

    # Shortlist: a suggested vendor of the service line, and one picked by hand.
    page.get_by_role("link", name=re.compile(r"^Shortlist")).click()
    page.locator("form:has(input[name=vendor_id][type=hidden]) button").first.click()
    page.select_option("#vendor_id", label="Teleperformance (Approved)")
    page.get_by_role("button", name="Add to shortlist").click()
    assert page.locator("table").first.get_by_text("Teleperformance").is_visible()

    # Criteria from the BPO template, shown normalized.
    page.get_by_role("link", name=re.compile(r"^Criteria")).click()
    page.select_option("select[name=model]", "BPO")
    page.get_by_role("button", name="Add criteria").click()
    assert page.get_by_text("Price per transaction or FTE").is_visible()
    assert page.get_by_text("25.0 %").first.is_visible()

    # The score sheet is all or nothing: one empty cell keeps everything unsaved.
    page.get_by_role("link", name="My score sheet").click()
    cells = page.locator("select[name^=s_]")
    count = cells.count()
    assert count == 12  # two candidates x six criteria
    for index in range(count - 1):
        cells.nth(index).select_option("4" if index % 2 == 0 else "3")
    page.get_by_role("button", name="Submit the whole sheet").click()
    assert "nothing was saved" in page.content()
    assert page.locator(".invalid-feedback", has_text="Give a score from 1 to 5.").count() == 1
    page.locator("select[name^=s_]").nth(count - 1).select_option("3")
    page.get_by_role("button", name="Submit the whole sheet").click()
    page.wait_for_url(re.compile(r"/results$"))
    assert page.locator("table.ranking tbody tr").count() == 2
    assert "75.0" in page.locator("table.ranking").inner_text()  # all 4s: (4-1)/4 x 100

    # Award to the top-ranked candidate; the decision record shows the outcome.
    page.goto(request_url + "/award")
    page.fill("#reason", "Top-ranked on every criterion in the e2e run")
    page.get_by_role("button", name="Award and create the planned engagement").click()
    page.wait_for_load_state()
    problems = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert page.url.endswith("/record"), problems
    record = page.locator(".decision-record").inner_text()
    assert "Awarded to" in record
    assert "Planned engagement: Webinar invitations (e2e) (BPO)" in record


def test_the_demo_decision_record_prints_without_navigation(page):
    sign_in(page, "viewer@example.com")
    page.goto("/selection?q=research")
    page.get_by_role("link", name="Conference contact database: research and verify").click()
    page.get_by_role("link", name="Decision record").click()
    assert "KPO" in page.locator(".decision-record").inner_text()
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    assert not page.locator("ul.nav-tabs").is_visible()
    assert page.get_by_text("6. Sensitivity").is_visible()
