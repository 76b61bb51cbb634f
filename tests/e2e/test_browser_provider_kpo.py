"""A provider delivers, the client reviews, in a real browser: the provider's user submits the
version a "changes requested" round asked for, a client manager accepts it with rubric scores,
and the provider sees the decision, the feedback and the scores."""

import sqlite3
from contextlib import closing

import pytest

from tests.conftest import PASSWORD, make_app
from tests.e2e.test_smoke import sign_in
from vendor_tracker.extensions import db

pytestmark = pytest.mark.e2e

PROVIDER = "e2e.provider@example.com"
TITLE = "Win/loss interview synthesis"  # Evalueserve's, changes requested in the demo data


def _deliverable_and_vendor(tmp_path) -> tuple[int, int]:
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        row = con.execute(
            "SELECT d.id, e.vendor_id FROM kpo_deliverables d "
            "JOIN engagements e ON e.id = d.engagement_id WHERE d.title = ?",
            (TITLE,),
        ).fetchone()
    assert row, "the demo data has Evalueserve's win/loss deliverable"
    return row


def _versions(tmp_path, deliverable_id) -> list[tuple]:
    with closing(sqlite3.connect(tmp_path / "test.sqlite3")) as con:
        return con.execute(
            "SELECT s.version, u.email, s.effort_hours, r.decision FROM kpo_submissions s "
            "LEFT JOIN users u ON u.id = s.submitted_by_id "
            "LEFT JOIN kpo_reviews r ON r.submission_id = s.id "
            "WHERE s.deliverable_id = ? ORDER BY s.version",
            (deliverable_id,),
        ).fetchall()


def _add_provider(tmp_path, vendor_id) -> None:
    """A provider's user of Evalueserve in the live server's database."""
    from vendor_tracker.auth.services import create_user

    app = make_app(tmp_path)
    with app.app_context():
        create_user(PROVIDER, PASSWORD, "provider", "Ana Ruiz", vendor_id=vendor_id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_provider_submits_a_version_and_sees_the_clients_review(
    page, chromium, live_server, tmp_path
):
    deliverable_id, vendor_id = _deliverable_and_vendor(tmp_path)
    _add_provider(tmp_path, vendor_id)
    url = f"/kpo/deliverables/{deliverable_id}"
    assert [v[0] for v in _versions(tmp_path, deliverable_id)] == [1]

    # The provider reads the feedback of round 1 and submits version 2.
    sign_in(page, PROVIDER)
    page.goto(url)
    assert "Tie each driver to the interview evidence" in page.content()
    assert page.locator("#record-review").count() == 0
    page.fill("#effort_hours", "12.5")
    page.fill("#summary", "Quotes per driver; wins and losses split by segment.")
    page.get_by_role("button", name="Submit version 2").click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text="Version 2 recorded").count() == 1
    assert "submitted by Ana Ruiz (Evalueserve)" in page.content()
    assert _versions(tmp_path, deliverable_id)[1] == (2, PROVIDER, 12.5, None)

    # A client manager accepts it with rubric scores.
    manager = chromium.new_context(base_url=live_server)
    review = manager.new_page()
    sign_in(review, "manager@example.com")
    review.goto(url)
    review.select_option("#decision", "accepted")
    review.fill("#feedback", "Clear drivers now; ready for the sales kick-off.")
    for index in range(review.locator("select[name^='score_']").count()):
        review.select_option(f"select[name='score_{index}']", "4")
    review.get_by_role("button", name="Record review").click()
    review.wait_for_load_state()
    assert review.locator(".alert", has_text="Review of version 2 recorded: Accepted.").count() == 1
    manager.close()
    assert _versions(tmp_path, deliverable_id)[1] == (2, PROVIDER, 12.5, "accepted")

    # The provider sees the decision, the feedback and the scores; nothing more to submit.
    page.goto(url)
    version_2 = page.locator("#version-2")
    assert "Accepted" in version_2.inner_text()
    assert "Clear drivers now; ready for the sales kick-off." in version_2.inner_text()
    assert version_2.locator("table td", has_text="Accuracy").count() == 1
    # Every criterion scored 4 of 5: quality (4 - 1) / 4 * 100 = 75.0 / 100.
    assert "Quality 75.0 / 100" in " ".join(version_2.inner_text().split())
    assert page.locator("#submit-version").count() == 0
