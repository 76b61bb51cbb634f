"""Every data set's text cells go through the one formula escaping of `core.exports`, in an
engagement's own CSV download and in the portfolio export of the same data set."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.core.exports import FORMULA_STARTS, to_csv
from vendor_tracker.engagements.bpo.credits import Credit, EarnBack, Ledger, MonthCredits
from vendor_tracker.engagements.bpo.exports import (
    CREDITS_LEDGER_COLUMNS,
    ledger_csv,
    ledger_line_cells,
)
from vendor_tracker.engagements.kpo import review
from vendor_tracker.engagements.kpo.export import (
    DELIVERABLE_COLUMNS,
    deliverable_cells,
    deliverables_csv,
)
from vendor_tracker.engagements.kpo.services import DeliverableRow

MONTH = date(2026, 3, 1)
PLANTED = ("Answer rate", "Corp", "Engagement", "Sizing", "Reviewer")


def _ledger(text: str) -> Ledger:
    credit = Credit(1, f"{text}Answer rate", MONTH, Decimal("100"), Decimal("500"), EarnBack.FINAL)
    line = MonthCredits(MONTH, (credit,), Decimal("10000"))
    return Ledger((line,), Decimal("10000"))


def _deliverable(text: str) -> DeliverableRow:
    figures = review.deliverable_figures([], MONTH, date(2026, 4, 1))
    return DeliverableRow(
        id=7,
        title=f"{text}Sizing",
        type=review.DeliverableType.REPORT,
        due_on=MONTH,
        lead_reviewer=f"{text}Reviewer",
        lead_reviewer_id=3,
        version=1,
        figures=figures,
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _marked(rows: list[list[str]]) -> list[str]:
    """The cells below the header that hold text the test planted."""
    return sorted(cell for row in rows[1:] for cell in row if any(p in cell for p in PLANTED))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_credits_ledger_download_escapes_every_text_cell(start):
    rows = _rows(ledger_csv(_ledger(start), f"{start}Corp"))
    assert rows[0] == [c.name for c in CREDITS_LEDGER_COLUMNS]
    marked = _marked(rows)
    # the level on the month line, the currency on the month line and on the totals line
    assert sorted(marked) == sorted(
        [f"'{start}Answer rate (final)", f"'{start}Corp", f"'{start}Corp"]
    )


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_deliverables_download_escapes_every_text_cell(start):
    rows = _rows(deliverables_csv([_deliverable(start)]))
    assert rows[0] == [c.name for c in DELIVERABLE_COLUMNS]
    assert _marked(rows) == [f"'{start}Reviewer", f"'{start}Sizing"]


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_portfolio_exports_of_both_data_sets_escape_every_text_cell(start):
    lead = [f"{start}Corp", f"{start}Engagement"]
    rows = _rows(
        to_csv(
            ["Vendor", "Engagement", *(c.label for c in DELIVERABLE_COLUMNS)],
            [[*lead, *deliverable_cells(_deliverable(start))]],
        ).decode("utf-8-sig")
    )
    assert _marked(rows) == sorted(
        [f"'{start}Corp", f"'{start}Engagement", f"'{start}Reviewer", f"'{start}Sizing"]
    )
    line = _ledger(start).months[0]
    rows = _rows(
        to_csv(
            ["Vendor", "Engagement", *(c.label for c in CREDITS_LEDGER_COLUMNS)],
            [[*lead, *ledger_line_cells(line, "USD")]],
        ).decode("utf-8-sig")
    )
    assert _marked(rows) == sorted(
        [f"'{start}Corp", f"'{start}Engagement", f"'{start}Answer rate (final)"]
    )


def test_cells_of_the_two_downloads_in_column_order():
    ledger_rows = _rows(ledger_csv(_ledger(""), "USD"))
    month = dict(zip(ledger_rows[0], ledger_rows[1], strict=True))
    assert month["month"] == "2026-03" and month["gross credits"] == "500.00"
    assert month["service levels breached"] == "Answer rate (final)"
    assert ledger_rows[2][:2] == ["total", "1"] and ledger_rows[2][2] == ""
    deliverable_rows = _rows(deliverables_csv([_deliverable("")]))
    row = dict(zip(deliverable_rows[0], deliverable_rows[1], strict=True))
    assert row["id"] == "7" and row["due_on"] == "2026-03-01" and row["type"] == "report"
    assert row["status"] == "not_submitted" and row["overdue"] == "yes"
    assert row["rounds"] == "0" and row["rounds_to_acceptance"] == ""
    assert row["client_review_days_per_round"] == ""
