"""Stored vendor scorecards: each vendor's components, score and band per period, so the
scorecard pages, the scorecards API and the inbox's "standing fell" sort and page in SQL.

A stored row holds for the day it was computed on (`as_of`; a quarter's row stored after the
quarter ended holds on every later day: `score_store.settled_after`), the scorecard settings it
was scored with (`settings_key`) and the vendor's `generation` at the time. Every transaction
that recomputes an engagement's monthly rollups raises its vendor's generation
(`VendorScoreState`); a row whose day, settings or generation is not the current one is
recomputed from the rollups by the next reader (`score_store.fresh_scores`).

Beside the scorecard, a row keeps the counts its BPO and KPO figures were worked out from
(met and reported level-months, `KpoPeriodSums`): they add up over vendors, so the portfolio's
figures for a period are one sum over the stored rows (`score_reads.portfolio_periods`).
"""

from dataclasses import fields
from datetime import date

from sqlalchemy import BigInteger, Date, Float, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from vendor_tracker.engagements.kpo.contracts import KpoPeriodSums
from vendor_tracker.extensions import db
from vendor_tracker.reporting.scorecard import Component

COMPONENT_COLUMNS = tuple((f"{c.value}_value", f"{c.value}_sample") for c in Component)
# (`KpoPeriodSums` field, column) of the KPO counts a row keeps.
KPO_SUM_COLUMNS = tuple((f.name, f"kpo_{f.name}") for f in fields(KpoPeriodSums))


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
    # The counts the figures were worked out from (see the module's docstring).
    bpo_met: Mapped[int] = mapped_column(default=0)
    bpo_reported: Mapped[int] = mapped_column(default=0)
    kpo_accepted: Mapped[int] = mapped_column(default=0)
    kpo_first_pass: Mapped[int] = mapped_column(default=0)
    kpo_rounds: Mapped[int] = mapped_column(default=0)
    kpo_due: Mapped[int] = mapped_column(default=0)
    kpo_decided: Mapped[int] = mapped_column(default=0)
    kpo_on_time: Mapped[int] = mapped_column(default=0)
    kpo_quality_count: Mapped[int] = mapped_column(default=0)
    kpo_quality_hundredths: Mapped[int] = mapped_column(BigInteger, default=0)
    kpo_quality_residue: Mapped[int] = mapped_column(BigInteger, default=0)

    def __str__(self) -> str:
        return f"vendor {self.vendor_id}, {self.period_key}"
