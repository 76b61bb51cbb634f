"""The notifications outbox and each user's email choices."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db


class NotificationKind(StrEnum):
    """What happened; each kind can be switched off for email by each user."""

    REPORT_SUBMITTED = "report_submitted"
    VERSION_SUBMITTED = "version_submitted"
    MONTH_VERIFIED = "month_verified"
    MONTH_DISPUTED = "month_disputed"
    VERSION_REVIEWED = "version_reviewed"
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_RESOLVED = "dispute_resolved"
    ACTION_ITEM_DUE = "action_item_due"
    CERTIFICATE_EXPIRING = "certificate_expiring"
    ENGAGEMENT_ENDING = "engagement_ending"
    CRITICAL_BREACH = "critical_breach"
    DIGEST = "digest"


class EmailState(StrEnum):
    """Where a notification's email stands in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    NOT_WANTED = "not_wanted"


class Notification(db.Model):
    """One event for one person: shown in the app, and emailed unless they switched it off."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key"),
        Index("ix_notifications_email_state_next_attempt", "email_state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    # Plain text, safe to email to this recipient (a provider never gets client-internal figures).
    body: Mapped[str] = mapped_column(Text, default="")
    # A path inside the app (/engagements/3/bpo); the sender makes it absolute.
    link: Mapped[str] = mapped_column(String(500), default="")
    vendor_id: Mapped[int | None]
    engagement_id: Mapped[int | None]
    # Once per event per person: scans and producers that may run twice set it.
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    email_state: Mapped[str] = mapped_column(
        String(20), default=EmailState.PENDING.value, nullable=False
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(String(500), default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by: Mapped[str] = mapped_column(String(100), default="")


class NotificationPreference(db.Model):
    """A user's choice for one kind; no row means email on."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(default=True)
