"""CSV export of an engagement's deliverables with the same figures the pages show."""

import csv
import io
from datetime import date

COLUMNS = (
    "id",
    "title",
    "type",
    "due_on",
    "status",
    "overdue",
    "rounds",
    "rounds_to_acceptance",
    "accepted_first_time",
    "first_version_on_time",
    "accepted_on_time",
    "client_review_days_per_round",
    "provider_rework_days_per_round",
    "final_quality_0_100",
    "effort_hours",
    "rework_share_pct",
    "lead_reviewer",
)


def _cell(value) -> str:
    # Empty means "no data"; a leading formula character is neutralised for spreadsheets.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    text = str(getattr(value, "value", value))
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def deliverables_csv(rows: list, today: date) -> str:
    """One line per deliverable; blank cells are "no data"."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        f = row.figures
        values = (
            row.id,
            row.title,
            row.type,
            row.due_on.isoformat(),
            f.status,
            f.overdue,
            f.rounds,
            f.rounds_to_acceptance,
            f.first_pass,
            f.first_version_on_time,
            f.accepted_on_time,
            f.review_days,
            f.rework_days,
            f.final_quality,
            f.effort_hours,
            f.rework_share,
            row.lead_reviewer,
        )
        writer.writerow([_cell(v) for v in values])
    return out.getvalue()
