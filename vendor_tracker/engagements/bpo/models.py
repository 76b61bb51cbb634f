"""Tables of the bpo package: service levels and their monthly measurements."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin, utcnow
from vendor_tracker.engagements.bpo.sla import Classification, Direction, LevelTerms, Source
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


class ServiceLevel(TimestampMixin, VersionedMixin, db.Model):
    """A promised level of one metric on a BPO engagement, judged every calendar month."""

    __tablename__ = "bpo_service_levels"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (UniqueConstraint("engagement_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # A code of seed_data/kpi_library.json, or None for a custom metric.
    metric_code: Mapped[str | None] = mapped_column(String(60))
    unit: Mapped[str] = mapped_column(String(20))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, 10))
    target: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    minimum: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    classification: Mapped[Classification] = mapped_column(
        enum_column(Classification, 10), default=Classification.KEY
    )
    allocation_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    position: Mapped[int] = mapped_column(default=0)

    engagement: Mapped[Engagement] = relationship()

    @property
    def terms(self) -> LevelTerms:
        """The rule-level view of this service level."""
        return LevelTerms(
            Direction(self.direction),
            self.target,
            self.minimum,
            Classification(self.classification),
            self.allocation_pct,
        )

    @property
    def is_critical(self) -> bool:
        return self.classification == Classification.CRITICAL

    def __str__(self) -> str:
        return self.name


class Measurement(VersionedMixin, db.Model):
    """The reported result of one service level for one calendar month."""

    __tablename__ = "bpo_measurements"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (
        UniqueConstraint("service_level_id", "period"),
        # Covering: the portfolio's grouped counts read this index and never the table.
        Index(
            "ix_bpo_measurements_engagement_period",
            "engagement_id",
            "period",
            "service_level_id",
            "actual",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    service_level_id: Mapped[int] = mapped_column(
        ForeignKey("bpo_service_levels.id", ondelete="CASCADE")
    )
    # Kept beside the service level so pages read an engagement's months with one index.
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    period: Mapped[date] = mapped_column(Date)  # the first day of the month
    actual: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    volume: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[Source] = mapped_column(enum_column(Source, 10), default=Source.FORM)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    service_level: Mapped[ServiceLevel] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"service level {self.service_level_id} {self.period:%Y-%m}"
