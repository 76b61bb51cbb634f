"""The KPO monthly rollup table: per engagement and calendar month, the sums reports read.

Kept current by `rollups` in the same transaction as every write of deliverables, versions and
reviews; `flask rollups check kpo` compares it with a fresh computation from the pure rules.
"""

from datetime import date

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from vendor_tracker.extensions import db

OPEN_ROWS = "due_not_submitted + due_in_review + due_changes_requested > 0"


class KpoMonthlyRollup(db.Model):
    """One engagement's KPO sums for one month (`rollup_rules.MonthFigures`)."""

    __tablename__ = "kpo_monthly_rollups"
    # The months with deliverables still open, which the inbox sums for "overdue": a small part
    # of the history, read from the index alone.
    __table_args__ = (
        Index(
            "ix_kpo_monthly_rollups_open",
            "month",
            "due_not_submitted",
            "due_in_review",
            "due_changes_requested",
            sqlite_where=text(OPEN_ROWS),
            postgresql_where=text(OPEN_ROWS),
        ),
    )

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    due_not_submitted: Mapped[int] = mapped_column(default=0)
    due_in_review: Mapped[int] = mapped_column(default=0)
    due_changes_requested: Mapped[int] = mapped_column(default=0)
    due_accepted: Mapped[int] = mapped_column(default=0)
    due_rejected: Mapped[int] = mapped_column(default=0)
    due_on_time: Mapped[int] = mapped_column(default=0)
    review_days_sum: Mapped[int] = mapped_column(default=0)
    review_days_count: Mapped[int] = mapped_column(default=0)
    rework_days_sum: Mapped[int] = mapped_column(default=0)
    rework_days_count: Mapped[int] = mapped_column(default=0)
    closed_quality_count: Mapped[int] = mapped_column(default=0)
    # Quality sums in exact parts (`rollup_rules.exact_parts`): hundredths and a residue.
    closed_quality_hundredths: Mapped[int] = mapped_column(BigInteger, default=0)
    closed_quality_residue: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted: Mapped[int] = mapped_column(default=0)
    accepted_first_pass: Mapped[int] = mapped_column(default=0)
    accepted_rounds: Mapped[int] = mapped_column(default=0)
    accepted_quality_count: Mapped[int] = mapped_column(default=0)
    accepted_quality_hundredths: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted_quality_residue: Mapped[int] = mapped_column(BigInteger, default=0)
    accepted_rounds_histogram: Mapped[str] = mapped_column(String(200), default="")

    def __str__(self) -> str:
        return f"engagement {self.engagement_id}, {self.month:%Y-%m}"
