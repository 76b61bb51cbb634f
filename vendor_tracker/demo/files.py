"""Demo files: the document of one reviewed demo version, so the pages show what a version's
file looks like (name, size, checksum, download)."""

import hashlib
from datetime import date

from sqlalchemy import select

from vendor_tracker.demo import demo_engagement
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.extensions import db
from vendor_tracker.files.models import Attachment, FileBlob

VENDOR, ENGAGEMENT = "Evalueserve", "Competitive landscape research"
DELIVERABLE = "Competitor profiles: top 8 players in industrial IoT"
FILE_NAME = "competitor-profiles-v1.txt"
CONTENT = (
    b"Competitor profiles: top 8 players in industrial IoT (version 1)\n"
    b"\n"
    b"For each player: strategy, offering, pricing signals and recent moves.\n"
    b"1. Siemens  2. PTC  3. Rockwell  4. ABB\n"
    b"5. Honeywell  6. Schneider  7. GE Vernova  8. Bosch\n"
)


def seed_demo(_today: date) -> dict:
    """Attach the demo document to version 1 of the demo deliverable (once)."""
    engagement = demo_engagement(VENDOR, ENGAGEMENT)
    if engagement is None:
        return {"files": 0}
    submission = db.session.execute(
        select(Submission)
        .join(Deliverable)
        .where(
            Deliverable.engagement_id == engagement.id,
            Deliverable.title == DELIVERABLE,
            Submission.version == 1,
        )
    ).scalar_one_or_none()
    if submission is None:
        return {"files": 0}
    exists = db.session.execute(
        select(Attachment.id).where(
            Attachment.owner_kind == "submission",
            Attachment.owner_id == submission.id,
            Attachment.file_name == FILE_NAME,
        )
    ).first()
    if exists:
        return {"files": 0}
    sha256 = hashlib.sha256(CONTENT).hexdigest()
    if db.session.get(FileBlob, sha256) is None:
        db.session.add(FileBlob(sha256=sha256, size=len(CONTENT), content=CONTENT))
    db.session.add(
        Attachment(
            owner_kind="submission",
            owner_id=submission.id,
            sha256=sha256,
            file_name=FILE_NAME,
            size=len(CONTENT),
            detected_type="text/plain",
            media_type="text/plain",
        )
    )
    db.session.flush()
    return {"files": 1}
