"""Tables of the kpo package: rubric, deliverables, versions, reviews, collaboration log."""

from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.enums import enum_column
from vendor_tracker.core.models import TimestampMixin, VersionedMixin
from vendor_tracker.engagements.kpo.review import (
    Decision,
    DeliverableType,
    TouchpointType,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


class RubricCriterion(db.Model):
    """One criterion of an engagement's review rubric; reviews copy name and weight when scored."""

    __tablename__ = "kpo_rubric_criteria"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (UniqueConstraint("engagement_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(80))
    weight: Mapped[int] = mapped_column(default=1)
    description: Mapped[str] = mapped_column(Text, default="")

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Deliverable(TimestampMixin, VersionedMixin, db.Model):
    """A piece of knowledge work the provider delivers and the client reviews in rounds."""

    __tablename__ = "kpo_deliverables"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (Index("ix_kpo_deliverables_engagement_due", "engagement_id", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type: Mapped[DeliverableType] = mapped_column(enum_column(DeliverableType))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    lead_reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    engagement: Mapped[Engagement] = relationship()
    lead_reviewer: Mapped[User | None] = relationship()
    submissions: Mapped[list["Submission"]] = relationship(
        back_populates="deliverable",
        cascade="all, delete-orphan",
        order_by="Submission.version",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return self.title


class Submission(db.Model):
    """A version of a deliverable; numbered 1, 2, 3... by the server."""

    __tablename__ = "kpo_submissions"
    __audited__ = True
    __audit_parent__ = ("kpo_deliverables", "deliverable_id")
    __table_args__ = (UniqueConstraint("deliverable_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(
        ForeignKey("kpo_deliverables.id", ondelete="CASCADE")
    )
    version: Mapped[int]
    submitted_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(500), default="")
    effort_hours: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    # Who recorded this version: the provider's user who delivered it, or a client user who
    # keyed it in; None for versions recorded before this was kept.
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    deliverable: Mapped[Deliverable] = relationship(back_populates="submissions")
    submitted_by: Mapped[User | None] = relationship()
    review: Mapped["Review | None"] = relationship(
        back_populates="submission", cascade="all, delete-orphan", passive_deletes=True
    )

    def __str__(self) -> str:
        return f"version {self.version}"


class Review(db.Model):
    """The client's verdict on one submission; closes its round."""

    __tablename__ = "kpo_reviews"
    __audited__ = True
    # The deliverable id is repeated here so its history and the statistics need no extra join.
    __audit_parent__ = ("kpo_deliverables", "deliverable_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("kpo_submissions.id", ondelete="CASCADE"), unique=True
    )
    deliverable_id: Mapped[int] = mapped_column(
        ForeignKey("kpo_deliverables.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date, index=True)
    decision: Mapped[Decision] = mapped_column(enum_column(Decision))
    feedback: Mapped[str] = mapped_column(Text, default="")
    # Computed once from the scores and the weights in force when scored; never recomputed.
    quality_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    submission: Mapped[Submission] = relationship(back_populates="review")
    reviewer: Mapped[User | None] = relationship()
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="ReviewScore.id",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return f"{Decision(self.decision).label if self.decision else ''} on {self.reviewed_on}"


class ReviewScore(db.Model):
    """One criterion's 1-5 score, with the criterion name and weight as they were when scored."""

    __tablename__ = "kpo_review_scores"
    __audited__ = True
    __audit_parent__ = ("kpo_reviews", "review_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("kpo_reviews.id", ondelete="CASCADE"), index=True
    )
    criterion_name: Mapped[str] = mapped_column(String(80))
    weight: Mapped[int]
    score: Mapped[int]

    review: Mapped[Review] = relationship(back_populates="scores")

    def __str__(self) -> str:
        return f"{self.criterion_name}: {self.score}/5"


class Touchpoint(TimestampMixin, db.Model):
    """A meeting in the collaboration log of a KPO engagement."""

    __tablename__ = "kpo_touchpoints"
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")
    __table_args__ = (Index("ix_kpo_touchpoints_engagement_held", "engagement_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagements.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    type: Mapped[TouchpointType] = mapped_column(enum_column(TouchpointType))
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    action_items: Mapped[list["ActionItem"]] = relationship(
        back_populates="touchpoint",
        cascade="all, delete-orphan",
        order_by="ActionItem.id",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return f"{TouchpointType(self.type).label if self.type else ''} on {self.held_on}"


class ActionItem(TimestampMixin, db.Model):
    """Something someone agreed to do at a touchpoint."""

    __tablename__ = "kpo_action_items"
    # The inbox counts the open ones past due from this index alone.
    __table_args__ = (Index("ix_kpo_action_items_done_due", "done", "due_on"),)
    __audited__ = True
    __audit_parent__ = ("engagements", "engagement_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    touchpoint_id: Mapped[int] = mapped_column(
        ForeignKey("kpo_touchpoints.id", ondelete="CASCADE"), index=True
    )
    # Repeated from the touchpoint so open items of an engagement are one indexed lookup.
    engagement_id: Mapped[int] = mapped_column(
        ForeignKey("engagements.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(120), default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_on: Mapped[date | None] = mapped_column(Date)
    # Assigned to the provider's company (its users see and close it), not to the client's team.
    for_provider: Mapped[bool] = mapped_column(default=False, server_default=false())

    touchpoint: Mapped[Touchpoint] = relationship(back_populates="action_items")

    def __str__(self) -> str:
        return self.text[:60]
