"""Tables of the files package: the bytes (one row per SHA-256) and what they are attached to."""

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vendor_tracker.auth.models import User
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db


class FileBlob(db.Model):
    """The bytes of a file, stored once however many records carry them."""

    __tablename__ = "file_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    # Loaded only to download: lists and pages read the attachment rows alone.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __str__(self) -> str:
        return self.sha256[:12]


class Attachment(db.Model):
    """One file attached to one record (a version, a certificate, a QBR), by kind and id."""

    __tablename__ = "file_attachments"
    __audited__ = True
    __table_args__ = (Index("ix_file_attachments_owner", "owner_kind", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The registered kind of the record ("submission", "certificate", "qbr") and its id.
    owner_kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int]
    sha256: Mapped[str] = mapped_column(ForeignKey("file_blobs.sha256"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    # What libmagic read in the bytes, and the type the download is sent as (the same, except
    # that types a browser would run, such as HTML or SVG, go out as application/octet-stream).
    detected_type: Mapped[str] = mapped_column(String(127))
    media_type: Mapped[str] = mapped_column(String(127))
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    blob: Mapped[FileBlob] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    def __str__(self) -> str:
        return f"'{self.file_name}' on {self.owner_kind} {self.owner_id}"
