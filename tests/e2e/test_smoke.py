"""The main flow in a real browser: sign in, create a vendor, find it in the list."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, email="admin@example.com", password=PASSWORD):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_sign_in_create_a_vendor_and_see_it_listed(page):
    sign_in(page)
    assert page.locator("h1").first.is_visible()

    page.goto("/vendors/new")
    page.fill("#name", "Northwind Outsourcing (e2e)")
    page.select_option("#hq_country", "DE")
    page.locator("input[name=service_lines]").first.check()
    page.get_by_role("button", name="Save vendor").click()
    page.wait_for_load_state()
    assert "/vendors/new" not in page.url  # saved, not shown again with errors

    page.goto("/vendors")
    assert page.get_by_text("Northwind Outsourcing (e2e)").first.is_visible()


def test_wrong_password_shows_the_error_next_to_the_field(page):
    page.goto("/login")
    page.fill("#email", "admin@example.com")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    feedback = page.locator(".invalid-feedback")
    assert "E-mail or password is not right" in feedback.first.inner_text()
    assert page.url.endswith("/login")


def test_pages_run_no_inline_script_and_report_no_csp_violation(page):
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security" in msg.text else None,
    )
    sign_in(page)
    page.goto("/")
    page.goto("/vendors")
    assert violations == []


def test_sign_out_ends_the_session(page):
    sign_in(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login"))
    page.goto("/")
    assert "/login" in page.url
