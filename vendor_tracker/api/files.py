"""Files API: the files of a version (list, upload) and any file by id (download, delete).

A file is read by whoever may see its record and added by whoever may add to it (a provider's
token only for its own vendor's versions); another vendor's file is 404. An upload is one
multipart/form-data part named `file`: empty is 422, over FILE_MAX_BYTES is 413, a reviewed
version's files cannot change (409). Downloads are attachments in the type read from the bytes.
"""

from flask_login import current_user
from marshmallow import Schema, fields
from werkzeug.exceptions import RequestEntityTooLarge

from vendor_tracker.api.common import Blueprint, check_id, error_docs, fail
from vendor_tracker.auth.decorators import for_providers, manager_or_provider_required, refuse
from vendor_tracker.core.refusals import NotFound
from vendor_tracker.extensions import db
from vendor_tracker.files import rules, services
from vendor_tracker.files.download import download_response
from vendor_tracker.files.owners import Owner
from vendor_tracker.files.routes import request_too_large

blp = Blueprint("api_files", "Files attached to versions of deliverables, kept in the database")
blp.register_error_handler(RequestEntityTooLarge, request_too_large)
documented = error_docs(blp, "Not found (or another vendor's).")

SUBMISSION = "submission"


class UploadArgs(Schema):
    file = fields.Raw(
        required=True,
        metadata={
            "type": "string",
            "format": "binary",
            "description": "The file (one part); its type is read from its content.",
        },
    )


class FileSchema(Schema):
    id = fields.Integer()
    owner_kind = fields.String(metadata={"description": "submission, certificate or qbr"})
    owner_id = fields.Integer()
    file_name = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    size_label = fields.Function(lambda f: rules.human_size(f.size), metadata={"example": "1.2 MB"})
    media_type = fields.String(metadata={"description": "the type the download is sent as"})
    detected_type = fields.String(metadata={"description": "the type read from the content"})
    sha256 = fields.String(metadata={"description": "hex SHA-256 of the content"})
    uploaded_by_id = fields.Integer(allow_none=True)
    uploaded_at = fields.DateTime()


def _submission(submission_id: int) -> Owner:
    check_id(submission_id, "Version")
    try:
        return services.visible_owner(SUBMISSION, submission_id)
    except NotFound:
        fail(404, "Version not found.")


@blp.route("/submissions/<int:submission_id>/files", methods=["GET"])
@for_providers
@documented(404)
@blp.response(200, FileSchema(many=True))
def list_files(submission_id: int):
    """The files of a version, oldest first (no content: download each by id)."""
    owner = _submission(submission_id)
    return services.attachments_of(SUBMISSION, [owner.id])[owner.id]


@blp.route("/submissions/<int:submission_id>/files", methods=["POST"])
@manager_or_provider_required
@blp.arguments(UploadArgs, location="files")
@documented(403, 404, 409, 413)
@blp.response(201, FileSchema)
def upload_file(args, submission_id: int):
    """Attach a file to a version (multipart/form-data, part `file`); the same bytes are
    stored once. 413 over the size limit, 422 when empty, 409 once the version is reviewed."""
    owner = _submission(submission_id)
    if not services.may_upload(owner, current_user):
        refuse("may not add files to this version")
    if owner.locked_because:
        fail(409, owner.locked_because, {"file": [owner.locked_because]})
    try:
        upload = services.read_upload(args["file"])
    except services.TooLarge as refused:
        fail(413, refused.message, {"file": [refused.message]})
    attachment = services.attach(owner, upload, current_user)
    db.session.commit()
    return attachment


@blp.route("/files/<int:file_id>", methods=["GET"])
@for_providers
@documented(404)
@blp.doc(
    responses={
        "200": {
            "description": "The file as an attachment, in the type read from its content "
            "(application/octet-stream for HTML, SVG, XML and scripts).",
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
)
def download_file(file_id: int):
    """Download a file: `Content-Disposition: attachment` with its name, never inline."""
    check_id(file_id, "File")
    attachment, _owner = _load(file_id)
    return download_response(attachment)


@blp.route("/files/<int:file_id>", methods=["DELETE"])
@manager_or_provider_required
@documented(403, 404, 409)
@blp.response(204)
def delete_file(file_id: int):
    """Delete a file of a version not yet reviewed (managers, or the provider who added it;
    recorded in the audit trail)."""
    check_id(file_id, "File")
    attachment, owner = _load(file_id)
    if not services.may_delete(attachment, owner.vendor_id, current_user):
        refuse("may not delete this file")
    services.delete_attachment(attachment, owner)
    db.session.commit()


def _load(file_id: int):
    try:
        return services.load_attachment(file_id)
    except NotFound:
        fail(404, "File not found.")
