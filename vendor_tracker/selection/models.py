"""Tables of the selection package: requests, advisor answers, candidates, criteria, scores."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin, utcnow
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.selection.advisor import Advice
from vendor_tracker.selection.rules import RequestStatus, effective_model
from vendor_tracker.vendors.models import ServiceLine, Vendor


class SourcingRequest(TimestampMixin, VersionedMixin, db.Model):
    """A need to outsource some work, and the choice of who will do it."""

    __tablename__ = "sourcing_requests"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    service_line_id: Mapped[int | None] = mapped_column(ForeignKey("service_lines.id"), index=True)
    volume_scope: Mapped[str] = mapped_column(String(255), default="")
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    needed_by: Mapped[date | None] = mapped_column(Date)
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.DRAFT, index=True
    )
    # The advisor's verdict is stored when the answers are saved; an override never replaces it.
    advisor_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    advisor_result: Mapped[Advice | None] = mapped_column(enum_column(Advice, 6))
    override_model: Mapped[Advice | None] = mapped_column(enum_column(Advice, 6))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    award_vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"), index=True)
    award_reason: Mapped[str] = mapped_column(Text, default="")
    awarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    awarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagements.id"), index=True)

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    awarded_by: Mapped[User | None] = relationship(foreign_keys=[awarded_by_id])
    service_line: Mapped[ServiceLine | None] = relationship()
    engagement: Mapped[Engagement | None] = relationship()
    answers: Mapped[list["AdvisorAnswer"]] = relationship(
        back_populates="request", cascade="all, delete-orphan"
    )
    candidates: Mapped[list["Candidate"]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="Candidate.id",
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="request",
        cascade="all, delete-orphan",
        order_by="(Criterion.position, Criterion.id)",
    )
    sheets: Mapped[list["ScoreSheet"]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ScoreSheet.id"
    )
    award_vendor: Mapped[Vendor | None] = relationship()

    @property
    def model(self) -> str | None:
        """The model this request runs as: the override when set, else the advice."""
        advised = self.advisor_result.value if self.advisor_result else None
        override = self.override_model.value if self.override_model else None
        return effective_model(advised, override)

    def __str__(self) -> str:
        return self.title


class AdvisorAnswer(db.Model):
    """One answer (1 = BPO end .. 5 = KPO end) to one advisor question."""

    __tablename__ = "advisor_answers"
    __audited__ = True
    __audit_parent__ = ("sourcing_requests", "request_id")
    __table_args__ = (
        UniqueConstraint("request_id", "question_code"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sourcing_requests.id", ondelete="CASCADE"), index=True
    )
    question_code: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(SmallInteger)

    request: Mapped[SourcingRequest] = relationship(back_populates="answers")

    def __str__(self) -> str:
        return f"{self.question_code}={self.value}"


class Candidate(db.Model):
    """A vendor on a request's shortlist."""

    __tablename__ = "selection_candidates"
    __audited__ = True
    __audit_parent__ = ("sourcing_requests", "request_id")
    __table_args__ = (UniqueConstraint("request_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sourcing_requests.id", ondelete="CASCADE"), index=True
    )
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[SourcingRequest] = relationship(back_populates="candidates")
    vendor: Mapped[Vendor] = relationship()

    def __str__(self) -> str:
        return str(self.vendor) if self.vendor else f"candidate {self.id}"


class Criterion(db.Model):
    """A scoring criterion; weights are any positive numbers, shown normalized to %."""

    __tablename__ = "selection_criteria"
    __audited__ = True
    __audit_parent__ = ("sourcing_requests", "request_id")
    __table_args__ = (
        UniqueConstraint("request_id", "name"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sourcing_requests.id", ondelete="CASCADE"), index=True
    )
    # Template code ("track_record", "price", ...) or "" for criteria people add themselves.
    code: Mapped[str] = mapped_column(String(40), default="")
    name: Mapped[str] = mapped_column(String(120))
    weight: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    position: Mapped[int] = mapped_column(default=0)

    request: Mapped[SourcingRequest] = relationship(back_populates="criteria")

    def __str__(self) -> str:
        return self.name


class ScoreSheet(db.Model):
    """One evaluator's scores for a request, submitted as a whole."""

    __tablename__ = "score_sheets"
    __audited__ = True
    __audit_parent__ = ("sourcing_requests", "request_id")
    __table_args__ = (UniqueConstraint("request_id", "evaluator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("sourcing_requests.id", ondelete="CASCADE"), index=True
    )
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    request: Mapped[SourcingRequest] = relationship(back_populates="sheets")
    evaluator: Mapped[User] = relationship()
    scores: Mapped[list["Score"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"sheet of {self.evaluator}" if self.evaluator else "sheet"


class Score(db.Model):
    """One evaluator's 1..5 score of one candidate on one criterion, with a comment."""

    __tablename__ = "selection_scores"
    __table_args__ = (
        UniqueConstraint("sheet_id", "candidate_id", "criterion_id"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value_on_scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(
        ForeignKey("score_sheets.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("selection_candidates.id", ondelete="CASCADE"), index=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("selection_criteria.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(Text, default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
