"""CSV and Excel files from rows, with every text cell escaped against formula injection."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def escape_text(text: str) -> str:
    """A leading =, +, -, @, tab or CR gets a ' first, so a spreadsheet shows it as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def plain(value):
    """A cell value: numbers and dates stay typed, enums become their value, text is escaped."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | date | datetime):
        return value
    return escape_text(str(value))


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte-order mark (spreadsheets then read accents correctly)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_text(h) for h in headers])
    for row in rows:
        cells = []
        for value in row:
            cell = plain(value)
            if cell is None:
                cells.append("")
            elif isinstance(cell, datetime):
                cells.append(cell.isoformat(timespec="seconds"))
            elif isinstance(cell, date):
                cells.append(cell.isoformat())
            else:
                cells.append(cell)
        writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """An .xlsx workbook with one sheet: a bold header row, typed cells, no formulas."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=escape_text(str(header)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for value in row:
            cell_value = plain(value)
            if isinstance(cell_value, datetime) and cell_value.tzinfo is not None:
                cell_value = cell_value.replace(tzinfo=None)  # Excel has no time zones (UTC)
            cell = WriteOnlyCell(sheet, value=cell_value)
            if isinstance(cell_value, str):
                cell.data_type = "s"  # never a formula, whatever the text
            elif isinstance(cell_value, date) and not isinstance(cell_value, datetime):
                cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip() or "Export"
    return cleaned[:31]
