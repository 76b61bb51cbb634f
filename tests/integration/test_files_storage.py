"""Files in the database on each backend: the bytes round-trip, the same bytes are one row, and
the last file carrying them takes them along when deleted."""

import hashlib
from io import BytesIO

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from tests.files_helpers import two_vendors
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.files import services
from vendor_tracker.files.models import Attachment, FileBlob
from vendor_tracker.files.owners import describe

# Every byte value, so no backend may treat the content as text.
CONTENT = bytes(range(256)) * 40  # 10,240 bytes


def storage(content: bytes, name: str) -> FileStorage:
    return FileStorage(BytesIO(content), filename=name, content_type="image/png")


def blob_count() -> int:
    return db.session.scalar(select(func.count()).select_from(FileBlob))


def test_bytes_round_trip_once_per_checksum(app):
    ids = two_vendors(app)
    with app.test_request_context():
        manager = db.session.scalar(select(User).where(User.email == "manager@example.com"))
        first = services.attach(
            describe("submission", ids["submission_a"]),
            services.read_upload(storage(CONTENT, "data.bin")),
            manager,
        )
        second = services.attach(
            describe("submission", ids["submission_b"]),
            services.read_upload(storage(CONTENT, "copy.bin")),
            manager,
        )
        db.session.commit()
        assert first.sha256 == second.sha256 == hashlib.sha256(CONTENT).hexdigest()
        assert first.size == 10_240
        assert blob_count() == 1
        db.session.expire_all()
        assert services.content_of(db.session.get(Attachment, first.id)) == CONTENT

        owner_a = describe("submission", ids["submission_a"])
        services.delete_attachment(db.session.get(Attachment, first.id), owner_a)
        db.session.commit()
        assert blob_count() == 1  # the copy still carries the bytes
        owner_b = describe("submission", ids["submission_b"])
        services.delete_attachment(db.session.get(Attachment, second.id), owner_b)
        db.session.commit()
        assert blob_count() == 0


def test_deleting_a_deliverable_deletes_its_versions_files_and_unused_bytes(app):
    from vendor_tracker.engagements.kpo.models import Deliverable

    ids = two_vendors(app)
    with app.test_request_context():
        manager = db.session.scalar(select(User).where(User.email == "manager@example.com"))
        for key, content in (("submission_a", CONTENT), ("submission_b", b"other\n")):
            services.attach(
                describe("submission", ids[key]),
                services.read_upload(storage(content, "f.bin")),
                manager,
            )
        db.session.commit()
        assert blob_count() == 2
        db.session.delete(db.session.get(Deliverable, ids["deliverable_a"]))
        db.session.commit()
        owners = db.session.execute(select(Attachment.owner_id)).scalars().all()
        assert owners == [ids["submission_b"]]
        assert blob_count() == 1
