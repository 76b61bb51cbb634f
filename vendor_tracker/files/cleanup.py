"""Files go with their record: when a flush deletes rows that may have taken records with
files along (a version, its deliverable, a certificate, a QBR, a vendor), the files of records
that no longer exist are deleted in the same transaction, and bytes no file carries any more.

Records are deleted by their own packages (often by the database's ON DELETE CASCADE, which
the ORM never sees), so the check asks the database which records are gone.
"""

from typing import Any

from sqlalchemy import column, delete, event, exists, select, table
from sqlalchemy.orm import Session

from vendor_tracker.files.models import Attachment, FileBlob
from vendor_tracker.files.owners import kinds_deleted_with

ATTACHMENTS = Attachment.__table__
BLOBS = FileBlob.__table__


def _drop_orphans(session: Session, _context: Any) -> None:
    tables = {getattr(obj, "__tablename__", None) for obj in session.deleted}
    kinds = kinds_deleted_with(tables - {None})
    if not kinds:
        return
    connection = session.connection()
    for kind in kinds:
        owners = table(kind.table, column("id"))
        connection.execute(
            delete(ATTACHMENTS).where(
                ATTACHMENTS.c.owner_kind == kind.kind,
                ~exists(select(owners.c.id).where(owners.c.id == ATTACHMENTS.c.owner_id)),
            )
        )
    drop_unused_bytes(connection)


def drop_unused_bytes(connection) -> None:
    """Delete the bytes no file carries any more."""
    connection.execute(
        delete(BLOBS).where(
            ~exists(select(ATTACHMENTS.c.id).where(ATTACHMENTS.c.sha256 == BLOBS.c.sha256))
        )
    )


def register_cleanup() -> None:
    """Attach the check to every session (idempotent)."""
    if not event.contains(Session, "after_flush", _drop_orphans):
        event.listen(Session, "after_flush", _drop_orphans)
