"""The BPO monthly rollup table: per engagement and calendar month, the figures reports read.

Kept current by `rollups` in the same transaction as every write of results, service levels,
engagement terms and credit disputes; `flask rollups check bpo` compares it with a fresh
computation from the pure rules (`rollup_rules.MonthFigures`).
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, text
from sqlalchemy.orm import Mapped, mapped_column

from vendor_tracker.extensions import db

MONEY = Numeric(14, 2)


class BpoMonthlyRollup(db.Model):
    """One engagement's BPO figures for one month of its window that has results."""

    __tablename__ = "bpo_monthly_rollups"
    # The months with a credit pending earn-back when last computed, which the inbox looks at:
    # a small part of the history.
    __table_args__ = (
        Index(
            "ix_bpo_monthly_rollups_pending",
            "month",
            "engagement_id",
            "pending_until",
            sqlite_where=text("pending_until IS NOT NULL"),
            postgresql_where=text("pending_until IS NOT NULL"),
        ),
        # Last month's breaches, by engagement, from the index alone.
        Index("ix_bpo_monthly_rollups_breaches", "month", "engagement_id", "breaches"),
    )

    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    reported: Mapped[int] = mapped_column(default=0)
    met: Mapped[int] = mapped_column(default=0)
    critical_reported: Mapped[int] = mapped_column(default=0)
    critical_met: Mapped[int] = mapped_column(default=0)
    # The highest severity (`sla.SEVERITY`) among the month's reported critical results, 0 none.
    worst_critical: Mapped[int] = mapped_column(default=0)
    breaches: Mapped[int] = mapped_column(default=0)
    critical_breaches: Mapped[int] = mapped_column(default=0)
    credits: Mapped[int] = mapped_column(default=0)  # credit lines (waived ones included)
    gross: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    earned_back: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    pending: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    waived: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    payable: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0.00"))
    # Pending credits stay pending up to the end of this month when it stays unreported.
    pending_until: Mapped[date | None] = mapped_column(Date)

    def __str__(self) -> str:
        return f"engagement {self.engagement_id}, {self.month:%Y-%m}"
