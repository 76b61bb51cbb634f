"""CSV exports of BPO figures; every cell is escaped against spreadsheet formula injection."""

import csv
import io

from vendor_tracker.engagements.bpo.credits import Ledger

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, -, @, tab or CR gets a quote first."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def ledger_csv(ledger: Ledger, currency: str) -> str:
    """The credits ledger as CSV: one line per month, then the totals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "month",
            "breaches",
            "service levels breached",
            "gross credits",
            "earned back",
            "pending earn-back",
            "at-risk cap",
            "cap reduction",
            "payable",
            "currency",
        ]
    )
    for line in ledger.months:
        writer.writerow(
            safe_cell(v)
            for v in (
                line.month.strftime("%Y-%m"),
                line.breaches,
                "; ".join(f"{c.level_name} ({c.state.label.lower()})" for c in line.credits),
                line.gross,
                line.earned_back,
                line.pending,
                line.at_risk,
                line.cap_reduction,
                line.payable,
                currency,
            )
        )
    writer.writerow(
        safe_cell(v)
        for v in (
            "total",
            ledger.breaches,
            "",
            ledger.gross,
            ledger.earned_back,
            ledger.pending,
            "",
            ledger.cap_reduction,
            ledger.payable,
            currency,
        )
    )
    return out.getvalue()
