"""Model mixins shared by every domain package."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


class TimestampMixin:
    """Creation and last-change times, in UTC."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class VersionedMixin:
    """Optimistic concurrency: every UPDATE checks and bumps `version`."""

    version: Mapped[int] = mapped_column(nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # noqa: N805 - SQLAlchemy passes the class
        return {"version_id_col": cls.__table__.c.version}


class StaleVersionError(Exception):
    """Raised when a user saves over a record that changed since they loaded it."""

    def __init__(self, current_version: int):
        super().__init__(
            "This record was changed by someone else since you opened it "
            f"(it is now at version {current_version}). Reload it and apply your change again."
        )
        self.current_version = current_version


def check_version(record: VersionedMixin, submitted_version: int | str | None) -> None:
    """Refuse a save whose submitted version is not the record's current version."""
    try:
        submitted = int(submitted_version) if submitted_version not in (None, "") else None
    except (TypeError, ValueError):
        submitted = None
    if submitted is None or submitted != record.version:
        raise StaleVersionError(record.version)
