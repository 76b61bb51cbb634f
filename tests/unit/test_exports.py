"""CSV and Excel writers: typed cells, and formula escaping read back with openpyxl."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from vendor_tracker.core.exports import escape_text, to_csv, to_xlsx

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_a_leading_apostrophe(text):
    assert escape_text(text) == "'" + text


@pytest.mark.parametrize("text", ["plain", "", "a=b", " =x", "10 %"])
def test_harmless_text_is_unchanged(text):
    assert escape_text(text) == text


def test_xlsx_round_trip_keeps_types_and_escapes():
    rows = [
        ["Acme", Decimal("1234.50"), 7, date(2026, 3, 31), None, True],
        ["=1+1", Decimal("-5.00"), -3, date(2026, 1, 1), "@evil", False],
    ]
    data = to_xlsx("Risks [all]", ["Name", "Amount", "Count", "Due", "Note", "Flag"], rows)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Risks _all_"
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Name", "Amount", "Count", "Due", "Note", "Flag"]
    assert values[1][0] == "Acme" and values[1][1] == 1234.5 and values[1][2] == 7
    assert values[1][3].date() == date(2026, 3, 31)
    assert values[1][4] is None and values[1][5] == "yes"
    assert values[2][0] == "'=1+1" and values[2][4] == "'@evil"
    # Negative numbers stay numbers (they are not text a spreadsheet could run).
    assert values[2][1] == -5 and values[2][2] == -3
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_csv_has_bom_header_and_escaped_cells():
    body = to_csv(["Name", "When"], [["=cmd|' /C calc'!A0", date(2026, 2, 1)], ["ok", None]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["Name", "When"], ["'=cmd|' /C calc'!A0", "2026-02-01"], ["ok", ""]]


def test_empty_export_has_only_headers():
    sheet = load_workbook(io.BytesIO(to_xlsx("x", ["A"], []))).active
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [["A"]]
