"""Tables of the reporting package: scorecard settings, risks, QBRs and their action items."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.risk import RiskCategory, RiskStatus, risk_rating, risk_score
from vendor_tracker.reporting.scorecard import Bands, Component, MinimumSamples
from vendor_tracker.vendors.models import Vendor


class ScorecardSettings(TimestampMixin, VersionedMixin, db.Model):
    """The one row of admin-editable scorecard weights, bands, minimum samples and the
    concentration limit."""

    __tablename__ = "reporting_settings"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    weight_bpo_attainment: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(50))
    weight_kpo_quality: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(25))
    weight_kpo_on_time: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(15))
    weight_kpo_first_pass: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(10))
    band_excellent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(85))
    band_good: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(70))
    band_watch: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(50))
    # Share of a currency's spend above which one vendor is flagged as a concentration.
    concentration_limit_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(40))
    # The smallest sample a component rates on (below it the value shows but does not count).
    min_bpo_months: Mapped[int] = mapped_column(default=3, server_default="3")
    min_kpo_deliverables: Mapped[int] = mapped_column(default=2, server_default="2")
    # The one currency portfolio totals are converted to (ISO 4217), with `ExchangeRate`s.
    reporting_currency: Mapped[str] = mapped_column(String(3), default="USD", server_default="USD")

    @property
    def weights(self) -> dict[Component, Decimal]:
        return {c: Decimal(getattr(self, f"weight_{c.value}")) for c in Component}

    @property
    def bands(self) -> Bands:
        return Bands(
            Decimal(self.band_excellent), Decimal(self.band_good), Decimal(self.band_watch)
        )

    @property
    def minimums(self) -> MinimumSamples:
        return MinimumSamples(int(self.min_bpo_months), int(self.min_kpo_deliverables))

    def __str__(self) -> str:
        return "Scorecard settings"


class Risk(TimestampMixin, VersionedMixin, db.Model):
    """A risk on a vendor, or on one of its engagements (then vendor_id is that vendor)."""

    __tablename__ = "risks"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("likelihood BETWEEN 1 AND 5", name="likelihood_1_5"),
        CheckConstraint("impact BETWEEN 1 AND 5", name="impact_1_5"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[RiskCategory] = mapped_column(enum_column(RiskCategory))
    description: Mapped[str] = mapped_column(Text, default="")
    likelihood: Mapped[int]
    impact: Mapped[int]
    mitigation: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[RiskStatus] = mapped_column(
        enum_column(RiskStatus), default=RiskStatus.OPEN, index=True
    )
    next_review_on: Mapped[date | None] = mapped_column(Date, index=True)

    vendor: Mapped[Vendor] = relationship()
    engagement: Mapped[Engagement | None] = relationship()
    owner: Mapped[User | None] = relationship()

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)

    @property
    def rating(self):
        return risk_rating(self.score)

    def __str__(self) -> str:
        return self.title


class QbrActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Qbr(TimestampMixin, VersionedMixin, db.Model):
    """A quarterly business review with a vendor: one per vendor and quarter."""

    __tablename__ = "qbrs"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("vendor_id", "year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_1_4"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    attendees: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    vendor: Mapped[Vendor] = relationship()
    action_items: Mapped[list["QbrActionItem"]] = relationship(
        back_populates="qbr", cascade="all, delete-orphan", order_by="QbrActionItem.due_on"
    )

    @property
    def period_key(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    def __str__(self) -> str:
        return f"QBR Q{self.quarter} {self.year}"


class QbrActionItem(TimestampMixin, VersionedMixin, db.Model):
    """Something agreed at a QBR: who does it, by when, and whether it is done."""

    __tablename__ = "qbr_action_items"
    __audited__ = True
    __audit_parent__ = ("qbrs", "qbr_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    qbr_id: Mapped[int] = mapped_column(ForeignKey("qbrs.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[QbrActionStatus] = mapped_column(
        enum_column(QbrActionStatus), default=QbrActionStatus.OPEN, index=True
    )

    qbr: Mapped[Qbr] = relationship(back_populates="action_items")

    def __str__(self) -> str:
        return self.description[:60]


class ExchangeRate(TimestampMixin, VersionedMixin, db.Model):
    """What one unit of `currency` was worth in the reporting currency in a month, kept by admins
    with where the figure came from."""

    __tablename__ = "exchange_rates"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("month", "currency"),
        CheckConstraint("rate > 0", name="rate_above_zero"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # the first of the month
    currency: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 8))
    source: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    def __str__(self) -> str:
        return f"{self.currency} rate for {self.month:%b %Y}"
