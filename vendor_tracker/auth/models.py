"""User accounts and API tokens."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from vendor_tracker.auth.rules import Role
from vendor_tracker.core.models import TimestampMixin, VersionedMixin, utcnow
from vendor_tracker.extensions import db


class User(UserMixin, TimestampMixin, VersionedMixin, db.Model):
    """A person who signs in; `role` decides what they may do."""

    __tablename__ = "users"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VIEWER.value)
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of the session cookie's user id: a new password changes it, ending every session.
    session_key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Provider users act for exactly this vendor; client users have none.
    vendor_id: Mapped[int | None] = mapped_column(
        ForeignKey("vendors.id", ondelete="CASCADE"), index=True
    )

    tokens: Mapped[list["ApiToken"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def set_password(self, password: str) -> None:
        """Store a salted scrypt hash of `password`; other sessions and API tokens end."""
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_key = secrets.token_hex(16)
        self.tokens.clear()

    def get_id(self) -> str:
        """The session's user id, bound to the current password (see `session_key`)."""
        return f"{self.id}:{self.session_key}"

    def check_password(self, password: str) -> bool:
        """True when `password` matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def can(self, required: str | Role) -> bool:
        """True when this user's role includes `required`."""
        return Role(self.role).rank >= Role(required).rank

    @property
    def is_provider(self) -> bool:
        """A provider's user, bound to `vendor_id`."""
        return self.role == Role.PROVIDER.value

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __str__(self) -> str:
        return self.display_name


class ApiToken(db.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(back_populates="tokens")


class UserSession(db.Model):
    """A signed-in browser session, checked on every request until it expires or is revoked.

    The cookie carries a random id; only its SHA-256 digest is stored. Signing out, a new
    password, disabling the user and an admin's "sign out everywhere" set `revoked_at`.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_agent: Mapped[str] = mapped_column(String(120), default="")
    ip_address: Mapped[str | None] = mapped_column(String(64))


class RateLimitCounter(db.Model):
    """One fixed-window counter of the sign-in throttle, shared by every worker.

    `key_digest` is the SHA-256 of the limiter's key (it holds the typed e-mail address).
    """

    __tablename__ = "rate_limit_counters"

    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
