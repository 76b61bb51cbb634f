"""The deliverables data set, with the same figures the pages show: its columns and cells, for
an engagement's CSV download and the portfolio exports alike. Every cell goes through the shared
formula escaping (`core.exports`); an empty cell means "no data"."""

from vendor_tracker.core.exports import Column, csv_text
from vendor_tracker.engagements.kpo.services import DeliverableRow

DELIVERABLE_COLUMNS = (
    Column("id", "ID"),
    Column("title", "Deliverable"),
    Column("type", "Type"),
    Column("due_on", "Due"),
    Column("status", "Status"),
    Column("overdue", "Overdue"),
    Column("rounds", "Rounds"),
    Column("rounds_to_acceptance", "Rounds to acceptance"),
    Column("accepted_first_time", "First pass"),
    Column("first_version_on_time", "First version on time"),
    Column("first_submitted_on", "First submitted"),
    Column("accepted_on", "Accepted on"),
    Column("accepted_on_time", "Accepted on time"),
    Column("client_review_days_per_round", "Client review days per round"),
    Column("provider_rework_days_per_round", "Provider rework days per round"),
    Column("final_quality_0_100", "Final quality (0-100)"),
    Column("effort_hours", "Effort (hours)"),
    Column("rework_share_pct", "Rework share (%)"),
    Column("lead_reviewer", "Lead reviewer"),
)


def _days(days: tuple[int, ...]) -> str | None:
    return " ".join(str(d) for d in days) or None


def deliverable_cells(row: DeliverableRow) -> list:
    """One deliverable, in the order of DELIVERABLE_COLUMNS."""
    f = row.figures
    return [
        row.id,
        row.title,
        row.type,
        row.due_on,
        f.status,
        f.overdue,
        f.rounds,
        f.rounds_to_acceptance,
        f.first_pass,
        f.first_version_on_time,
        f.first_submitted_on,
        f.accepted_on,
        f.accepted_on_time,
        _days(f.review_days),
        _days(f.rework_days),
        f.final_quality,
        f.effort_hours,
        f.rework_share,
        row.lead_reviewer,
    ]


def deliverables_csv(rows: list[DeliverableRow]) -> str:
    """One line per deliverable of an engagement."""
    return csv_text([c.name for c in DELIVERABLE_COLUMNS], map(deliverable_cells, rows))
