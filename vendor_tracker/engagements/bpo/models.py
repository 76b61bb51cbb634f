"""Tables of the bpo package: service levels and their monthly measurements."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
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
from vendor_tracker.engagements.bpo.reporting_rules import (
    DisputeCategory,
    DisputeState,
    ReportState,
)
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


class MonthReport(VersionedMixin, db.Model):
    """The provider's report of one month of an engagement and the client's decision on it.

    A month without a report was keyed in by the client and counts as verified
    (`reporting_rules.effective_state`). The trail of every state change is in `events`.
    """

    __tablename__ = "bpo_month_reports"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (UniqueConstraint("engagement_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    period: Mapped[date] = mapped_column(Date)  # the first day of the month
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState, 10))
    # The client's reasons of the current dispute, {service level id (text): reason}.
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])
    events: Mapped[list["MonthReportEvent"]] = relationship(
        back_populates="report",
        cascade="all, delete-orphan",
        order_by="MonthReportEvent.id",
    )

    def __str__(self) -> str:
        return f"report {self.period:%Y-%m}"


class MonthReportEvent(db.Model):
    """One state change of a month's report: who, when, and the reasons of a dispute."""

    __tablename__ = "bpo_month_report_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("bpo_month_reports.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ReportState] = mapped_column(enum_column(ReportState, 10))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    reasons: Mapped[dict] = mapped_column(JSON, default=dict)

    report: Mapped[MonthReport] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()


class CreditDispute(VersionedMixin, db.Model):
    """A provider's dispute of one service credit (a critical level's breach in one month)."""

    __tablename__ = "bpo_credit_disputes"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (Index("ix_bpo_credit_disputes_engagement_state", "engagement_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    service_level_id: Mapped[int] = mapped_column(
        ForeignKey("bpo_service_levels.id", ondelete="CASCADE")
    )
    period: Mapped[date] = mapped_column(Date)
    category: Mapped[DisputeCategory] = mapped_column(enum_column(DisputeCategory, 20))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[DisputeState] = mapped_column(
        enum_column(DisputeState, 10), default=DisputeState.OPEN
    )
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")

    engagement: Mapped[Engagement] = relationship()
    service_level: Mapped[ServiceLevel] = relationship()
    raised_by: Mapped[User | None] = relationship(foreign_keys=[raised_by_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    def __str__(self) -> str:
        return f"credit dispute {self.period:%Y-%m} level {self.service_level_id}"
