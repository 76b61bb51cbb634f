"""Files on the pages: a version's files on the deliverable page and in the review form, the
upload and delete buttons, certificates' scans and QBR attachments, for each role."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import logged_in_client, seeded_app
from tests.factories import make_certification
from tests.factories_reporting import make_qbr
from tests.files_helpers import HELLO, HELLO_SHA256, PROVIDER_A, PROVIDER_B, file_part, two_vendors
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.extensions import db
from vendor_tracker.files.models import Attachment, FileBlob


@pytest.fixture
def ids(app):
    found = two_vendors(app)
    with app.app_context():
        from vendor_tracker.vendors.models import Vendor

        vendor_a = db.session.get(Vendor, found["vendor_a"])
        found["certificate_a"] = make_certification(vendor_a, name="ISO 27001").id
        found["qbr_a"] = make_qbr(vendor_a, year=2026, quarter=1, held_on=date(2026, 3, 20)).id
        db.session.commit()
    return found


def post_file(client, kind, owner_id, **part):
    return client.post(
        f"/files/{kind}/{owner_id}", data=file_part(**part), content_type="multipart/form-data"
    )


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def file_ids(app):
    with app.app_context():
        return list(db.session.scalars(select(Attachment.id).order_by(Attachment.id)))


def test_a_version_shows_its_files_and_the_review_form_links_them(app, ids):
    manager = logged_in_client(app, "manager")
    deliverable = f"/kpo/deliverables/{ids['deliverable_a']}"
    page = manager.get(deliverable).get_data(as_text=True)
    assert f'action="/files/submission/{ids["submission_a"]}"' in page
    answer = post_file(manager, "submission", ids["submission_a"])
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"{deliverable}#version-1")
    [file_id] = file_ids(app)
    page = manager.get(deliverable).get_data(as_text=True)
    assert "notes.txt" in page
    assert "12 bytes" in page
    assert f'<code title="SHA-256 {HELLO_SHA256}">{HELLO_SHA256[:12]}</code>' in page
    details = manager.get(f"/files/submission/{ids['submission_a']}")
    assert f'href="/files/submission/{ids["submission_a"]}"' in page
    assert details.status_code == 200
    assert HELLO_SHA256 in details.get_data(as_text=True)
    review_form = page[page.index('id="record-review"') :]
    assert f'href="/files/{file_id}"' in review_form[: review_form.index("</p>")]
    download = manager.get(f"/files/{file_id}")
    assert download.status_code == 200
    assert download.data == HELLO
    assert download.headers["Content-Disposition"] == "attachment; filename=notes.txt"
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_empty_file_is_refused_next_to_the_field(app, ids):
    manager = logged_in_client(app, "manager")
    answer = post_file(manager, "submission", ids["submission_a"], content=b"")
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert re.search(r'class="invalid-feedback">The file is empty \(0 bytes\)', page)
    assert count(app, Attachment) == 0


def test_too_large_answers_413_on_the_page(tmp_path):
    with seeded_app(tmp_path, FILE_MAX_BYTES=1000) as app:
        ids = two_vendors(app)
        manager = logged_in_client(app, "manager")
        answer = post_file(manager, "submission", ids["submission_a"], content=b"x" * 1001)
        assert answer.status_code == 413
        assert "larger than the limit of 1.0 kB per file" in answer.get_data(as_text=True)
        assert count(app, Attachment) == count(app, FileBlob) == 0


def test_who_may_read_and_upload_on_the_pages(app, ids):
    provider_a = logged_in_client(app, PROVIDER_A)
    assert post_file(provider_a, "submission", ids["submission_a"]).status_code == 302
    [file_id] = file_ids(app)
    provider_b = logged_in_client(app, PROVIDER_B)
    assert provider_b.get(f"/files/{file_id}").status_code == 404
    assert provider_b.get(f"/files/submission/{ids['submission_a']}").status_code == 404
    assert post_file(provider_b, "submission", ids["submission_a"]).status_code == 404
    viewer = logged_in_client(app, "viewer")
    assert viewer.get(f"/files/{file_id}").status_code == 200
    assert post_file(viewer, "submission", ids["submission_a"]).status_code == 403
    assert provider_a.get(f"/files/{file_id}").data == HELLO
    assert count(app, Attachment) == 1


def test_delete_on_the_page_is_audited(app, ids):
    manager = logged_in_client(app, "manager")
    provider_a = logged_in_client(app, PROVIDER_A)
    post_file(manager, "submission", ids["submission_a"])
    [file_id] = file_ids(app)
    assert provider_a.post(f"/files/{file_id}/delete").status_code == 403
    answer = manager.post(f"/files/{file_id}/delete")
    assert answer.status_code == 302
    assert count(app, Attachment) == count(app, FileBlob) == 0
    with app.app_context():
        event = db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.record_type == "file_attachments")
            .where(AuditEvent.action == "delete")
        ).scalar_one()
        assert event.actor == "manager@example.com"
        assert event.changes["file_name"] == ["notes.txt", None]
        assert event.changes["sha256"] == [HELLO_SHA256, None]
    # The provider deletes what their company added, from the deliverable page.
    post_file(provider_a, "submission", ids["submission_a"], name="wrong.txt")
    [mine] = file_ids(app)
    page = provider_a.get(f"/kpo/deliverables/{ids['deliverable_a']}").get_data(as_text=True)
    assert f'action="/files/{mine}/delete"' in page
    assert provider_a.post(f"/files/{mine}/delete").status_code == 302
    assert file_ids(app) == []


def test_a_reviewed_versions_file_has_no_delete_button_and_stays(app, ids):
    manager = logged_in_client(app, "manager")
    post_file(manager, "submission", ids["submission_a"])
    [file_id] = file_ids(app)
    with app.app_context():
        from vendor_tracker.engagements.kpo.models import Review, Submission

        submission = db.session.get(Submission, ids["submission_a"])
        submission.review = Review(
            deliverable_id=submission.deliverable_id,
            reviewed_on=date(2026, 3, 4),
            decision="accepted",
        )
        db.session.commit()
    page = manager.get(f"/kpo/deliverables/{ids['deliverable_a']}").get_data(as_text=True)
    assert f"/files/{file_id}/delete" not in page
    assert f'action="/files/submission/{ids["submission_a"]}"' not in page
    manager.post(f"/files/{file_id}/delete")
    assert (
        post_file(manager, "submission", ids["submission_a"], content=b"new\n").status_code == 409
    )
    assert file_ids(app) == [file_id]


def test_a_certificate_scan_by_the_vendors_provider(app, ids):
    provider_a = logged_in_client(app, PROVIDER_A)
    cert = ids["certificate_a"]
    assert provider_a.get(f"/files/certificate/{cert}").status_code == 200
    answer = post_file(provider_a, "certificate", cert, name="iso-27001.txt")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/vendors/{ids['vendor_a']}#certifications")
    page = provider_a.get(f"/vendors/{ids['vendor_a']}").get_data(as_text=True)
    assert "iso-27001.txt" in page
    provider_b = logged_in_client(app, PROVIDER_B)
    assert post_file(provider_b, "certificate", cert).status_code == 404


def test_qbr_files_are_the_clients_and_the_pack_lists_them(app, ids):
    manager = logged_in_client(app, "manager")
    qbr = ids["qbr_a"]
    answer = post_file(manager, "qbr", qbr, name="deck.txt")
    assert answer.status_code == 302
    [file_id] = file_ids(app)
    assert answer.headers["Location"].endswith(f"/reports/qbrs/{qbr}#files")
    detail = manager.get(f"/reports/qbrs/{qbr}").get_data(as_text=True)
    assert f'href="/files/{file_id}"' in detail[detail.index('id="files"') :]
    pack = manager.get(f"/reports/qbrs/{qbr}/pack").get_data(as_text=True)
    assert f'href="/files/{file_id}"' in pack[pack.index("<h2>Attachments</h2>") :]
    provider_a = logged_in_client(app, PROVIDER_A)
    assert provider_a.get(f"/files/{file_id}").status_code == 404
    assert post_file(provider_a, "qbr", qbr).status_code == 404
    assert logged_in_client(app, "viewer").get(f"/files/{file_id}").status_code == 200


def test_files_go_with_their_records(app, ids):
    manager = logged_in_client(app, "manager")
    post_file(manager, "submission", ids["submission_a"], name="a.txt")
    post_file(manager, "submission", ids["submission_b"], name="b.txt")  # same bytes
    post_file(manager, "certificate", ids["certificate_a"], content=b"scan\n")
    post_file(manager, "qbr", ids["qbr_a"], content=b"deck\n")
    assert count(app, Attachment) == 4
    assert count(app, FileBlob) == 3

    # The deliverable goes with its versions (a cascade in the database): its file goes too,
    # the other vendor's copy of the same bytes stays.
    assert manager.post(f"/kpo/deliverables/{ids['deliverable_a']}/delete").status_code == 302
    with app.app_context():
        kept = db.session.execute(select(Attachment.owner_kind, Attachment.owner_id)).all()
    assert sorted(kept) == sorted(
        [
            ("submission", ids["submission_b"]),
            ("certificate", ids["certificate_a"]),
            ("qbr", ids["qbr_a"]),
        ]
    )
    assert count(app, FileBlob) == 3

    assert manager.post(f"/reports/qbrs/{ids['qbr_a']}/delete").status_code == 302
    answer = manager.post(
        f"/vendors/{ids['vendor_a']}/certifications/{ids['certificate_a']}/delete"
    )
    assert answer.status_code == 302
    with app.app_context():
        kept = db.session.execute(select(Attachment.owner_kind, Attachment.file_name)).all()
    assert kept == [("submission", "b.txt")]
    assert count(app, FileBlob) == 1


def test_the_deliverable_page_reads_all_files_in_the_same_queries(app, ids, query_counter):
    from tests.factories_kpo import add_round
    from vendor_tracker.engagements.kpo.models import Deliverable

    manager = logged_in_client(app, "manager")
    provider_a = logged_in_client(app, PROVIDER_A)
    url = f"/kpo/deliverables/{ids['deliverable_a']}"
    post_file(manager, "submission", ids["submission_a"])
    with query_counter() as few:
        assert manager.get(url).status_code == 200
    with app.app_context():
        deliverable = db.session.get(Deliverable, ids["deliverable_a"])
        later = [add_round(deliverable, date(2026, 3, 10 + n)).id for n in range(3)]
        db.session.commit()
    for n, submission_id in enumerate(later):
        post_file(manager, "submission", submission_id, content=f"client {n}\n".encode())
        post_file(provider_a, "submission", submission_id, content=f"provider {n}\n".encode())
    assert count(app, Attachment) == 7
    with query_counter() as many:
        page = manager.get(url)
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("download>") >= 7
    assert len(many) == len(few)
