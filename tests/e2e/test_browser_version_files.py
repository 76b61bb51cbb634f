"""A version's file in a real browser: the provider's user attaches it to the version in review
on the deliverable page, then a client manager opens the review form and downloads it from the
link there; the bytes downloaded are the bytes uploaded, stored once."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

PROVIDER = "provider-b@example.com"  # Evalueserve's, in the demo data
CONTENT = b"Market sizing, version under review.\nTotal addressable market: 4.2 bn EUR.\n"
NAME = "market-sizing-v2.txt"


def _version_in_review(database: Path) -> tuple[int, int, int]:
    """(submission id, deliverable id, version) of an Evalueserve version not reviewed yet."""
    with closing(sqlite3.connect(database)) as con:
        row = con.execute(
            "SELECT s.id, s.deliverable_id, s.version FROM kpo_submissions s "
            "JOIN kpo_deliverables d ON d.id = s.deliverable_id "
            "JOIN engagements e ON e.id = d.engagement_id "
            "JOIN vendors v ON v.id = e.vendor_id "
            "WHERE v.name = 'Evalueserve' AND NOT EXISTS "
            "(SELECT 1 FROM kpo_reviews r WHERE r.submission_id = s.id) ORDER BY s.id"
        ).fetchone()
    assert row, "the demo data has an Evalueserve version in review"
    return row


def _stored(database: Path) -> list[tuple]:
    with closing(sqlite3.connect(database)) as con:
        return con.execute(
            "SELECT a.owner_kind, a.owner_id, a.file_name, a.size, a.media_type, b.content "
            "FROM file_attachments a JOIN file_blobs b ON b.sha256 = a.sha256 ORDER BY a.id"
        ).fetchall()


def test_provider_uploads_and_the_reviewer_downloads_the_same_bytes(
    page, chromium, live_server, tmp_path
):
    database = tmp_path / "test.sqlite3"
    submission_id, deliverable_id, version = _version_in_review(database)
    url = f"/kpo/deliverables/{deliverable_id}"
    before = _stored(database)

    sign_in(page, PROVIDER)
    page.goto(url)
    # Upload with no file chosen: the browser asks for one and nothing is stored.
    upload = page.locator(f"form[action='/files/submission/{submission_id}']")
    upload.get_by_role("button", name="Upload").click()
    assert page.url.endswith(url)
    assert _stored(database) == before
    upload.locator("input[type=file]").set_input_files(
        {"name": NAME, "mimeType": "application/pdf", "buffer": CONTENT}
    )
    upload.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text=f"File '{NAME}'").count() == 1
    assert page.locator(f"#version-{version}", has_text=NAME).count() == 1
    assert page.locator(f"#version-{version}", has_text=f"{len(CONTENT)} bytes").count() == 1
    # Only the one file was added, typed from its content, not from what the browser said.
    assert _stored(database) == [
        *before,
        ("submission", submission_id, NAME, len(CONTENT), "text/plain", CONTENT),
    ]

    manager = chromium.new_context(base_url=live_server)
    try:
        reviewer = manager.new_page()
        sign_in(reviewer, "manager@example.com")
        reviewer.goto(url)
        link = reviewer.locator("#files-under-review a", has_text=NAME)
        with reviewer.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename == NAME
        assert Path(download.path()).read_bytes() == CONTENT
    finally:
        manager.close()


def test_provider_deletes_a_wrong_upload_after_confirming(page, tmp_path):
    database = tmp_path / "test.sqlite3"
    submission_id, deliverable_id, version = _version_in_review(database)
    before = _stored(database)
    sign_in(page, PROVIDER)
    page.goto(f"/kpo/deliverables/{deliverable_id}")
    upload = page.locator(f"form[action='/files/submission/{submission_id}']")
    for name in ("wrong.txt", NAME):
        upload.locator("input[type=file]").set_input_files(
            {"name": name, "mimeType": "text/plain", "buffer": name.encode() + b"\n"}
        )
        upload.get_by_role("button", name="Upload").click()
        page.wait_for_load_state()
    assert [row[2] for row in _stored(database)[len(before) :]] == ["wrong.txt", NAME]

    # Dismissing the confirmation deletes nothing; accepting it deletes only that file.
    delete = page.get_by_role("button", name="Delete the file wrong.txt")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    assert [row[2] for row in _stored(database)[len(before) :]] == ["wrong.txt", NAME]
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_load_state()
    assert page.locator(".alert", has_text="File 'wrong.txt' deleted").count() == 1
    assert [row[2] for row in _stored(database)[len(before) :]] == [NAME]
    assert page.locator(f"#version-{version}", has_text="wrong.txt").count() == 0
