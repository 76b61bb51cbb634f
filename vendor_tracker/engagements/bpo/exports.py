"""The credits ledger data set: its columns and cells, for an engagement's CSV download and the
portfolio exports alike; every cell goes through the shared formula escaping (`core.exports`)."""

from collections.abc import Collection, Mapping
from datetime import date

from vendor_tracker.core.exports import Column, csv_text
from vendor_tracker.engagements.bpo.credits import Ledger, MonthCredits

CREDITS_LEDGER_COLUMNS = (
    Column("month", "Month"),
    Column("breaches", "Breaches"),
    Column("service levels breached", "Service levels breached"),
    Column("gross credits", "Gross credits"),
    Column("earned back", "Earned back"),
    Column("pending earn-back", "Pending earn-back"),
    Column("at-risk cap", "At-risk cap"),
    Column("cap reduction", "Cap reduction"),
    Column("payable", "Payable"),
    Column("currency", "Currency"),
)


def ledger_line_cells(line: MonthCredits, currency: str) -> list:
    """One month of a ledger, in the order of CREDITS_LEDGER_COLUMNS."""
    return [
        line.month.strftime("%Y-%m"),
        line.breaches,
        "; ".join(
            f"{c.level_name} ({'waived' if c.waived else c.state.label.lower()})"
            for c in line.credits
        ),
        line.gross,
        line.earned_back,
        line.pending,
        line.at_risk,
        line.cap_reduction,
        line.payable,
        currency,
    ]


def ledger_total_cells(ledger: Ledger, currency: str) -> list:
    """The totals of a ledger, in the order of CREDITS_LEDGER_COLUMNS (no level, no cap)."""
    return [
        "total",
        ledger.breaches,
        None,
        ledger.gross,
        ledger.earned_back,
        ledger.pending,
        None,
        ledger.cap_reduction,
        ledger.payable,
        currency,
    ]


# The engagement's own download adds what rests on the provider's word and what was waived.
ENGAGEMENT_LEDGER_EXTRA = ("provisional", "waived", "waiver reasons")


def ledger_csv(
    ledger: Ledger,
    currency: str,
    provisional: Collection[date] | None = None,
    waiver_notes: Mapping[tuple[int, date], str] | None = None,
) -> str:
    """The credits ledger as CSV: one line per month, then the totals. Given `provisional`
    (months resting on results the client has not verified) and the waivers' reasons, three
    more columns say which months are provisional and what was waived, and why."""
    header = [c.name for c in CREDITS_LEDGER_COLUMNS]
    if provisional is None and waiver_notes is None:
        rows = [ledger_line_cells(line, currency) for line in ledger.months]
        rows.append(ledger_total_cells(ledger, currency))
        return csv_text(header, rows)
    provisional, notes = provisional or (), waiver_notes or {}
    rows = []
    for line in ledger.months:
        reasons = "; ".join(
            f"{c.level_name}: {notes.get((c.level_id, c.month)) or 'no reason given'}"
            for c in line.credits
            if c.waived
        )
        extra = ["yes" if line.month in provisional else "no", line.waived, reasons]
        rows.append([*ledger_line_cells(line, currency), *extra])
    rows.append([*ledger_total_cells(ledger, currency), None, ledger.waived, None])
    return csv_text(header + list(ENGAGEMENT_LEDGER_EXTRA), rows)
