"""Pure file rules: the name kept, the type sent, sizes in human units."""

import pytest

from vendor_tracker.files.rules import clean_file_name, human_size, served_type


@pytest.mark.parametrize(
    ("size", "label"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (999, "999 bytes"),
        (1000, "1.0 kB"),
        (1_234_567, "1.2 MB"),
        (999_949, "999.9 kB"),
        (999_950, "1.0 MB"),  # rounds up into the next unit, never "1000.0 kB"
        (25 * 1024 * 1024, "26.2 MB"),
        (3_000_000_000, "3.0 GB"),
    ],
)
def test_human_size(size, label):
    assert human_size(size) == label


@pytest.mark.parametrize(
    ("detected", "sent"),
    [
        ("application/pdf", "application/pdf"),
        ("text/plain", "text/plain"),
        ("image/png", "image/png"),
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("text/xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("TEXT/HTML; charset=utf-8", "application/octet-stream"),
        ("", "application/octet-stream"),
        ("nonsense", "application/octet-stream"),
    ],
)
def test_served_type(detected, sent):
    assert served_type(detected) == sent


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ('a"b.txt', "ab.txt"),
        ("line\r\nbreak.txt", "line break.txt"),
        ("..hidden", "hidden"),
        ("Résumé 2026.pdf", "Résumé 2026.pdf"),
        ("", "file"),
        (None, "file"),
        ("/", "file"),
    ],
)
def test_clean_file_name(given, kept):
    assert clean_file_name(given) == kept


def test_a_long_name_keeps_its_extension_within_255_characters():
    kept = clean_file_name("x" * 300 + ".pdf")
    assert len(kept) == 255
    assert kept.endswith("x.pdf")
