"""The demo data carries one document on a reviewed version: shown, downloadable, seeded once."""

from datetime import date

from sqlalchemy import func, select

from tests.conftest import logged_in_client
from vendor_tracker.demo import files as demo_files
from vendor_tracker.extensions import db
from vendor_tracker.files.models import Attachment


def test_the_demo_version_shows_its_document_and_seeding_again_adds_nothing(demo_app):
    with demo_app.app_context():
        attachment = db.session.execute(select(Attachment)).scalar_one()
        from vendor_tracker.engagements.kpo.models import Submission

        deliverable_id = db.session.get(Submission, attachment.owner_id).deliverable_id
    manager = logged_in_client(demo_app, "manager")
    page = manager.get(f"/kpo/deliverables/{deliverable_id}").get_data(as_text=True)
    assert demo_files.FILE_NAME in page
    assert f"{len(demo_files.CONTENT)} bytes" in page
    # Version 1 was reviewed: its file has no delete button.
    assert f"/files/{attachment.id}/delete" not in page
    assert manager.get(f"/files/{attachment.id}").data == demo_files.CONTENT
    with demo_app.app_context():
        assert demo_files.seed_demo(date.today()) == {"files": 0}
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
