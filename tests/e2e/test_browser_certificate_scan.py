"""A certificate's scan in a real browser: the vendor's provider user opens "Add a scan" from
the company page, sends the form without a file (the reason shows next to the field, nothing
is stored), then with the scan, which the certificate list then shows."""

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from tests.e2e.test_smoke import sign_in

pytestmark = pytest.mark.e2e

PROVIDER = "provider@example.com"  # Concentrix's, in the demo data
SCAN = b"%PDF-1.4\n% a scanned certificate\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _certificate(database: Path) -> tuple[int, int, str]:
    with closing(sqlite3.connect(database)) as con:
        row = con.execute(
            "SELECT c.id, c.vendor_id, c.name FROM certifications c "
            "JOIN users u ON u.vendor_id = c.vendor_id WHERE u.email = ? ORDER BY c.id",
            (PROVIDER,),
        ).fetchone()
    assert row, "the demo data has a certificate of Concentrix"
    return row


def _scans(database: Path, certificate_id: int) -> list[tuple]:
    with closing(sqlite3.connect(database)) as con:
        return con.execute(
            "SELECT file_name, size, media_type FROM file_attachments "
            "WHERE owner_kind = 'certificate' AND owner_id = ?",
            (certificate_id,),
        ).fetchall()


def test_provider_adds_a_scan_after_a_refused_empty_form(page, tmp_path):
    database = tmp_path / "test.sqlite3"
    certificate_id, vendor_id, name = _certificate(database)
    sign_in(page, PROVIDER)
    page.goto(f"/vendors/{vendor_id}")
    page.get_by_role("link", name=f"Add a scan of {name}").click()
    page.wait_for_load_state()
    upload = page.locator("#upload form")
    upload.get_by_role("button", name="Upload").click()
    page.wait_for_load_state()
    assert page.locator("#file.is-invalid").count() == 1
    assert page.locator(".invalid-feedback", has_text="Choose a file to upload.").count() == 1
    assert _scans(database, certificate_id) == []

    page.set_input_files(
        "#file", {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": SCAN}
    )
    page.locator("#upload form").get_by_role("button", name="Upload").click()
    page.wait_for_url(f"**/vendors/{vendor_id}#certifications")
    assert page.locator("#certifications", has_text="scan.pdf").count() == 1
    assert _scans(database, certificate_id) == [("scan.pdf", len(SCAN), "application/pdf")]
