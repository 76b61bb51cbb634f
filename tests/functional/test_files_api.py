"""Files of versions through the API: upload, list, download, delete, and who may do what."""

import pytest
from sqlalchemy import func, select

from tests.conftest import seeded_app
from tests.files_helpers import HELLO, HELLO_SHA256, PROVIDER_A, PROVIDER_B, file_part, two_vendors
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.extensions import db
from vendor_tracker.files.models import Attachment, FileBlob


@pytest.fixture
def ids(app):
    return two_vendors(app)


def upload(api, submission_id, role="manager", **part):
    return api.post(
        f"/api/v1/submissions/{submission_id}/files",
        json=None,
        role=role,
        data=file_part(**part),
        content_type="multipart/form-data",
    )


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_upload_keeps_name_size_checksum_and_detected_type(app, api, ids):
    answer = upload(api, ids["submission_a"], content_type="application/pdf")
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["file_name"] == "notes.txt"
    assert body["size"] == 12
    assert body["size_label"] == "12 bytes"
    assert body["sha256"] == HELLO_SHA256
    # The browser said PDF; the bytes are plain text.
    assert body["detected_type"] == "text/plain"
    assert body["media_type"] == "text/plain"
    listed = api.get(f"/api/v1/submissions/{ids['submission_a']}/files", role="viewer")
    assert listed.status_code == 200
    assert [f["id"] for f in listed.get_json()] == [body["id"]]


def test_the_same_bytes_twice_are_stored_once(app, api, ids):
    first = upload(api, ids["submission_a"], name="a.txt")
    second = upload(api, ids["submission_b"], name="b.txt")
    assert first.status_code == second.status_code == 201
    assert first.get_json()["sha256"] == second.get_json()["sha256"] == HELLO_SHA256
    assert count(app, Attachment) == 2
    assert count(app, FileBlob) == 1


def test_an_empty_file_is_refused_naming_the_field(app, api, ids):
    answer = upload(api, ids["submission_a"], content=b"")
    assert answer.status_code == 422
    assert "file" in answer.get_json()["error"]["fields"]
    assert count(app, Attachment) == count(app, FileBlob) == 0


def test_a_request_without_the_file_part_is_refused(app, api, ids):
    answer = api.post(
        f"/api/v1/submissions/{ids['submission_a']}/files",
        json=None,
        data={"other": "x"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 422
    assert "file" in answer.get_json()["error"]["fields"]


def test_the_size_limit_answers_413_and_the_limit_itself_passes(tmp_path):
    with seeded_app(tmp_path, FILE_MAX_BYTES=12) as app:
        ids = two_vendors(app)
        from tests.conftest import ApiActions

        api = ApiActions(app.test_client())
        over = upload(api, ids["submission_a"], content=HELLO + b"!")
        assert over.status_code == 413
        error = over.get_json()["error"]
        assert error["code"] == "too_large"
        assert error["message"] == "The file is larger than the limit of 12 bytes per file."
        assert error["fields"] == {"file": [error["message"]]}
        assert count(app, Attachment) == count(app, FileBlob) == 0
        at_limit = upload(api, ids["submission_a"], content=HELLO)
        assert at_limit.status_code == 201


def test_html_claiming_to_be_png_is_kept_and_sent_as_opaque_bytes(app, api, ids):
    page = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
    answer = upload(api, ids["submission_a"], content=page, name="x.png", content_type="image/png")
    assert answer.status_code == 201
    body = answer.get_json()
    assert body["detected_type"] == "text/html"
    assert body["media_type"] == "application/octet-stream"
    download = api.get(f"/api/v1/files/{body['id']}", role="viewer")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert download.headers["Content-Disposition"] == "attachment; filename=x.png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Security-Policy"].startswith("sandbox")
    assert download.data == page


def test_download_headers_for_a_non_ascii_name(app, api, ids):
    created = upload(api, ids["submission_a"], name="Résumé 2026.txt").get_json()
    download = api.get(f"/api/v1/files/{created['id']}")
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "text/plain; charset=utf-8"
    # An ASCII fallback and the RFC 5987 form with the real name.
    assert download.headers["Content-Disposition"] == (
        "attachment; filename=\"Resume 2026.txt\"; filename*=UTF-8''R%C3%A9sum%C3%A9%202026.txt"
    )
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.data == HELLO


def test_a_path_in_the_name_is_dropped(app, api, ids):
    created = upload(api, ids["submission_a"], name="../../etc/passwd").get_json()
    assert created["file_name"] == "passwd"


def test_roles_and_vendors(app, api, ids):
    a, b = ids["submission_a"], ids["submission_b"]
    assert upload(api, a, role="viewer").status_code == 403
    mine = upload(api, a, role=PROVIDER_A)
    assert mine.status_code == 201
    file_id = mine.get_json()["id"]
    # Another vendor's version and file are not found for a provider's token.
    assert upload(api, b, role=PROVIDER_A).status_code == 404
    assert api.get(f"/api/v1/files/{file_id}", role=PROVIDER_B).status_code == 404
    assert api.get(f"/api/v1/submissions/{a}/files", role=PROVIDER_B).status_code == 404
    assert api.delete(f"/api/v1/files/{file_id}", role=PROVIDER_B).status_code == 404
    # The client reads everything; viewers too.
    assert api.get(f"/api/v1/files/{file_id}", role="viewer").status_code == 200
    assert api.get(f"/api/v1/files/{file_id}", role=PROVIDER_A).status_code == 200
    assert api.get("/api/v1/files/999999").status_code == 404


def test_managers_or_the_provider_who_added_it_delete_and_it_is_audited(app, api, ids):
    a = ids["submission_a"]
    provider_file = upload(api, a, role=PROVIDER_A, name="p.txt").get_json()["id"]
    provider_copy = upload(api, a, role=PROVIDER_A, name="copy.txt").get_json()["id"]
    client_file = upload(api, a, role="manager", content=b"client\n").get_json()["id"]
    # A provider does not delete the client's file; viewers delete nothing.
    assert api.delete(f"/api/v1/files/{client_file}", role=PROVIDER_A).status_code == 403
    assert api.delete(f"/api/v1/files/{provider_file}", role="viewer").status_code == 403
    assert api.delete(f"/api/v1/files/{provider_file}", role=PROVIDER_A).status_code == 204
    assert api.delete(f"/api/v1/files/{provider_copy}", role="manager").status_code == 204
    assert count(app, FileBlob) == 1  # the provider's bytes went with their last file
    assert api.delete(f"/api/v1/files/{client_file}", role="manager").status_code == 204
    assert count(app, Attachment) == count(app, FileBlob) == 0
    with app.app_context():
        deleted = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.record_type == "file_attachments", AuditEvent.action == "delete"
            )
        ).scalars()
        assert sorted((e.record_id, e.actor) for e in deleted) == sorted(
            [
                (str(provider_file), PROVIDER_A),
                (str(provider_copy), "manager@example.com"),
                (str(client_file), "manager@example.com"),
            ]
        )


def test_a_reviewed_versions_files_cannot_change(app, api, ids):
    a = ids["submission_a"]
    file_id = upload(api, a).get_json()["id"]
    with app.app_context():
        from datetime import date

        from vendor_tracker.engagements.kpo.models import Review, Submission

        submission = db.session.get(Submission, a)
        submission.review = Review(
            deliverable_id=submission.deliverable_id,
            reviewed_on=date(2026, 3, 4),
            decision="changes_requested",
        )
        db.session.commit()
    refused_upload = upload(api, a, content=b"other\n")
    assert refused_upload.status_code == 409
    assert "reviewed on 04 Mar 2026" in refused_upload.get_json()["error"]["message"]
    assert api.delete(f"/api/v1/files/{file_id}", role="manager").status_code == 409
    assert count(app, Attachment) == count(app, FileBlob) == 1
    assert api.get(f"/api/v1/files/{file_id}").data == HELLO


def test_a_request_over_the_whole_limit_says_the_file_limit(tmp_path):
    with seeded_app(tmp_path, FILE_MAX_BYTES=1000, MAX_CONTENT_LENGTH=2000) as app:
        ids = two_vendors(app)
        from tests.conftest import ApiActions, logged_in_client

        message = (
            "The file is larger than the limit of 1.0 kB per file."
            " This request was over 2.0 kB in all."
        )
        answer = upload(ApiActions(app.test_client()), ids["submission_a"], content=b"x" * 5000)
        assert answer.status_code == 413
        assert answer.get_json()["error"] == {
            "code": "too_large",
            "message": message,
            "fields": {"file": [message]},
        }
        page = logged_in_client(app, "manager").post(
            f"/files/submission/{ids['submission_a']}",
            data=file_part(content=b"x" * 5000),
            content_type="multipart/form-data",
        )
        assert page.status_code == 413
        assert message in page.get_data(as_text=True)
        assert count(app, Attachment) == 0


def test_content_libmagic_cannot_read_is_kept_as_opaque_bytes(app, api, ids, monkeypatch):
    import magic

    def unreadable(*_args, **_kwargs):
        raise magic.MagicException("cannot read")

    monkeypatch.setattr(magic, "from_buffer", unreadable)
    answer = upload(api, ids["submission_a"], name="odd.dat")
    assert answer.status_code == 201
    assert answer.get_json()["detected_type"] == "application/octet-stream"
    assert answer.get_json()["media_type"] == "application/octet-stream"
