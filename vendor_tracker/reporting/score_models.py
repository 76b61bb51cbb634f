"""Stored vendor scorecards: each vendor's components, score and band per period, so the
scorecard pages, the scorecards API and the inbox's "standing fell" sort and page in SQL.

A stored row holds for the day it was computed on (`as_of`), the scorecard settings it was
scored with (`settings_key`) and the vendor's `generation` at the time. Every transaction that
recomputes an engagement's monthly rollups raises its vendor's generation
(`VendorScoreState`); a row whose day, settings or generation is not the current one is
recomputed from the rollups by the next reader (`score_store.fresh_scores`).
"""

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vendor_tracker.extensions import db
from vendor_tracker.reporting.scorecard import Component

COMPONENT_COLUMNS = tuple((f"{c.value}_value", f"{c.value}_sample") for c in Component)


class VendorScoreState(db.Model):
    """How many times a vendor's figures changed: stored scorecards of an older generation
    are stale."""

    __tablename__ = "vendor_score_state"

    vendor_id: Mapped[int] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True
    )
    generation: Mapped[int] = mapped_column(default=0)


class VendorPeriodScore(db.Model):
    """One vendor's scorecard for one period ("2026-Q3" or "ttm")."""

    __tablename__ = "vendor_period_scores"
    __table_args__ = (Index("ix_vendor_period_scores_period_score", "period_key", "score"),)

    vendor_id: Mapped[int] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), primary_key=True
    )
    period_key: Mapped[str] = mapped_column(String(10), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    settings_key: Mapped[str] = mapped_column(String(120))
    generation: Mapped[int] = mapped_column(default=0)
    score: Mapped[float | None] = mapped_column(Float)
    band: Mapped[str] = mapped_column(String(12))
    bpo_attainment_value: Mapped[float | None] = mapped_column(Float)
    bpo_attainment_sample: Mapped[int] = mapped_column(default=0)
    kpo_quality_value: Mapped[float | None] = mapped_column(Float)
    kpo_quality_sample: Mapped[int] = mapped_column(default=0)
    kpo_on_time_value: Mapped[float | None] = mapped_column(Float)
    kpo_on_time_sample: Mapped[int] = mapped_column(default=0)
    kpo_first_pass_value: Mapped[float | None] = mapped_column(Float)
    kpo_first_pass_sample: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return f"vendor {self.vendor_id}, {self.period_key}"
