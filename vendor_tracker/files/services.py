"""Reading uploads, storing their bytes once, and the record rules every file follows.

Who may do what is the owning record's affair (`files.owners`): a file is readable by whoever
may see its record, added to by whoever may add to it, and never changed once the record is
locked. Another vendor's record, and a record a provider's users do not see, is not found.
"""

import hashlib
from dataclasses import dataclass

import magic
from flask import current_app
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload, undefer

from vendor_tracker.auth.scope import in_scope
from vendor_tracker.core.models import utcnow
from vendor_tracker.core.refusals import NotFound, Refusal
from vendor_tracker.extensions import db
from vendor_tracker.files import rules
from vendor_tracker.files.models import Attachment, FileBlob
from vendor_tracker.files.owners import Owner, describe

FIELD = "file"
CHOOSE_A_FILE = "Choose a file to upload."
EMPTY_FILE = "The file is empty (0 bytes); choose the file with the content."
NOT_FOUND = "No file with that id."
# libmagic reads the type from the first bytes; more only slows it down.
SNIFF_BYTES = 64 * 1024
READ_CHUNK = 1024 * 1024


class TooLarge(Refusal):
    """A file over the size limit: 413 in the API and on the page."""

    status = 413


@dataclass(frozen=True)
class Upload:
    """A file as read from a request: its kept name, bytes, checksum and detected type."""

    file_name: str
    content: bytes
    sha256: str
    detected_type: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    """The size limit per file (FILE_MAX_BYTES, bytes)."""
    return int(current_app.config["FILE_MAX_BYTES"])


def too_large_message(limit: int) -> str:
    """What a user reads when a file is over the limit."""
    return f"The file is larger than the limit of {rules.human_size(limit)} per file."


def read_upload(storage) -> Upload:
    """Read an uploaded file (a werkzeug FileStorage) up to the limit; refuse a missing or empty
    file (422) and one over the limit (413), naming the field `file`."""
    if storage is None or not getattr(storage, "filename", None):
        raise Refusal(CHOOSE_A_FILE, {FIELD: CHOOSE_A_FILE})
    limit = max_bytes()
    chunks, total = [], 0
    while chunk := storage.stream.read(READ_CHUNK):
        total += len(chunk)
        if total > limit:
            message = too_large_message(limit)
            raise TooLarge(message, {FIELD: message})
        chunks.append(chunk)
    content = b"".join(chunks)
    if not content:
        raise Refusal(EMPTY_FILE, {FIELD: EMPTY_FILE})
    detected = detect_type(content)
    return Upload(
        file_name=rules.clean_file_name(storage.filename),
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        detected_type=detected[:127],
    )


def detect_type(content: bytes) -> str:
    """The media type libmagic reads in the first bytes; opaque bytes when it cannot tell."""
    try:
        return magic.from_buffer(content[:SNIFF_BYTES], mime=True) or rules.OPAQUE_TYPE
    except magic.MagicException:
        return rules.OPAQUE_TYPE


# --- the record rules ----------------------------------------------------------------------


def visible_owner(kind: str, owner_id: int) -> Owner:
    """The record if the signed-in user may see it; NotFound otherwise (another vendor's
    record, or one the portal does not show, reads as missing)."""
    owner = describe(kind, owner_id)
    if owner is None or not _sees(owner):
        raise NotFound("No such record.")
    return owner


def _sees(owner: Owner) -> bool:
    if current_user.is_provider:
        return owner.providers_see and in_scope(owner.vendor_id)
    return True


def may_upload(owner: Owner, user) -> bool:
    """Managers and admins add files to any record; a provider's user only to records of their
    vendor that are open to them; viewers never."""
    if user.is_provider:
        return owner.providers_upload and user.vendor_id == owner.vendor_id
    return user.can("manager")


def may_delete(attachment: Attachment, vendor_id: int | None, user) -> bool:
    """Managers and admins delete any file; a provider's users only files their company added
    to its own record (`vendor_id`); viewers never. The record's rules may still lock it."""
    if user.is_provider:
        uploader = attachment.uploaded_by
        return (
            uploader is not None
            and uploader.is_provider
            and uploader.vendor_id == user.vendor_id == vendor_id
        )
    return user.can("manager")


# --- reads ---------------------------------------------------------------------------------


def attachments_of(kind: str, owner_ids) -> dict[int, list[Attachment]]:
    """{owner id: its files, oldest first} for records of one kind, in one query (no bytes)."""
    ids = sorted({int(i) for i in owner_ids if i is not None})
    found: dict[int, list[Attachment]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = (
        select(Attachment)
        .where(Attachment.owner_kind == kind, Attachment.owner_id.in_(ids))
        .options(selectinload(Attachment.uploaded_by))
        .order_by(Attachment.uploaded_at, Attachment.id)
    )
    for attachment in db.session.execute(stmt).scalars():
        found[attachment.owner_id].append(attachment)
    return found


def load_attachment(file_id: int) -> tuple[Attachment, Owner]:
    """A file and its record, if the signed-in user may see the record; NotFound otherwise."""
    attachment = db.session.get(Attachment, file_id)
    if attachment is None:
        raise NotFound(NOT_FOUND)
    try:
        owner = visible_owner(attachment.owner_kind, attachment.owner_id)
    except NotFound:
        raise NotFound(NOT_FOUND) from None
    return attachment, owner


def content_of(attachment: Attachment) -> bytes:
    """The file's bytes (read only when downloading)."""
    stmt = select(FileBlob).where(FileBlob.sha256 == attachment.sha256).options(undefer("*"))
    return db.session.execute(stmt).scalar_one().content


# --- writes --------------------------------------------------------------------------------


def attach(owner: Owner, upload: Upload, user) -> Attachment:
    """Attach an uploaded file to a record; the bytes are stored once per SHA-256. Refused
    (409) when the record's files are locked."""
    if owner.locked_because:
        raise Refusal(owner.locked_because, {FIELD: owner.locked_because}, conflict=True)
    _store_blob(upload)
    attachment = Attachment(
        owner_kind=owner.kind,
        owner_id=owner.id,
        sha256=upload.sha256,
        file_name=upload.file_name,
        size=upload.size,
        detected_type=upload.detected_type,
        media_type=rules.served_type(upload.detected_type),
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _store_blob(upload: Upload) -> None:
    """Insert the bytes unless a row with this SHA-256 exists (two uploads of the same bytes at
    once both succeed: the second insert does nothing)."""
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = {
        "sha256": upload.sha256,
        "size": upload.size,
        "content": upload.content,
        "created_at": utcnow(),
    }
    db.session.execute(insert(FileBlob).values(**values).on_conflict_do_nothing())


def delete_attachment(attachment: Attachment, owner: Owner) -> None:
    """Delete an unlocked file (recorded in the audit trail); its bytes go too when no other
    file carries them. A locked record's files are kept: 409."""
    if owner.locked_because:
        raise Refusal(
            f"{owner.locked_because} A new version can supersede it; this one stays.",
            conflict=True,
        )
    sha256 = attachment.sha256
    db.session.delete(attachment)
    db.session.flush()
    others = db.session.scalar(select(func.count()).where(Attachment.sha256 == sha256))
    if others:
        return
    try:
        # A file added at this moment with the same bytes keeps them (its row refers to them).
        with db.session.begin_nested():
            db.session.execute(FileBlob.__table__.delete().where(FileBlob.sha256 == sha256))
    except IntegrityError:
        pass
