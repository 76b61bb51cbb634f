"""CSV and Excel files from rows, with every text cell escaped against formula injection and
cleared of the characters a file cannot hold, so an export never fails on stored text.

Every export of the application writes its cells through `plain` (and so `escape_text`): the
portfolio exports with `to_csv`/`to_xlsx`, an engagement's own downloads with `csv_text`, and
every CSV download answers through `csv_response`.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from vendor_tracker.core.text import writable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Column:
    """A column of a data set: `name` heads an engagement's own CSV download (kept stable for
    the scripts that read it), `label` the portfolio exports, in CSV and Excel."""

    name: str
    label: str


def escape_text(text: str) -> str:
    """Text a file can hold: control characters dropped (stored before input refused them),
    then a leading =, +, -, @, tab or CR gets a ' first, so a spreadsheet shows it as text."""
    text = writable(text)
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


def csv_cell(value) -> str:
    """A CSV cell: `plain`, as text; empty for no data, dates in ISO format."""
    cell = plain(value)
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.isoformat(timespec="seconds")
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell)


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text, CRLF line ends, every cell through `csv_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_text(h) for h in headers])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def to_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte-order mark (spreadsheets then read accents correctly)."""
    return ("\ufeff" + csv_text(headers, rows)).encode("utf-8")


def csv_response(body: str | bytes, filename: str) -> Response:
    """A CSV download: UTF-8, said once in the content type, saved under `filename`."""
    return Response(
        body,
        content_type=CSV_CONTENT_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


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
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in writable(title)).strip()
    cleaned = cleaned or "Export"
    return cleaned[:31]
