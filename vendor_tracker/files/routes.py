"""Pages of the files package: a record's files, the upload, the download and the delete.

The host pages (a deliverable's versions, a vendor's certificates, a QBR) show the files with
the template helpers registered here; the upload form there posts to `files.upload`, which goes
back to the record on success and shows this package's page with the reason otherwise.
"""

from flask import Blueprint, current_app, flash, redirect, render_template
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    refuse,
)
from vendor_tracker.core.api_errors import APIError, wants_json
from vendor_tracker.core.errors import http_error
from vendor_tracker.core.forms import run_action, save_form
from vendor_tracker.files import rules, services
from vendor_tracker.files.cleanup import register_cleanup
from vendor_tracker.files.download import download_response
from vendor_tracker.files.forms import DeleteFileForm, UploadForm
from vendor_tracker.files.owners import Owner

bp = Blueprint("files", __name__, url_prefix="/files")
# Files go with their records, whoever deletes those.
bp.record_once(lambda _state: register_cleanup())


def may_delete_file(attachment, vendor_id: int | None, locked: bool) -> bool:
    """For templates: whether the signed-in user sees a delete button on this file."""
    return not locked and services.may_delete(attachment, vendor_id, current_user)


@bp.app_context_processor
def _helpers():
    return {
        "files_of": services.attachments_of,
        "file_upload_form": lambda: UploadForm(formdata=None),
        "file_delete_form": lambda: DeleteFileForm(formdata=None),
        "may_delete_file": may_delete_file,
        "file_size_limit": lambda: rules.human_size(services.max_bytes()),
    }


def request_too_large(_error: RequestEntityTooLarge):
    """A request over MAX_CONTENT_LENGTH (the file limit plus the form) is refused before its
    file can be read: 413 saying the limit per file, as a file over FILE_MAX_BYTES is."""
    message = services.too_large_message(services.max_bytes())
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if limit:
        message += f" This request was over {rules.human_size(limit)} in all."
    if wants_json():
        return http_error(APIError(413, message, {services.FIELD: [message]}))
    return http_error(RequestEntityTooLarge(description=message))


bp.register_error_handler(RequestEntityTooLarge, request_too_large)


@bp.app_template_filter("file_size")
def _file_size(size: int) -> str:
    return rules.human_size(size)


def _page(owner: Owner, form: UploadForm | None = None, status: int = 200):
    files = services.attachments_of(owner.kind, [owner.id])[owner.id]
    may_upload = services.may_upload(owner, current_user)
    if form is None and may_upload and not owner.locked_because:
        form = UploadForm(formdata=None)
    return (
        render_template(
            "files/owner.html",
            owner=owner,
            files=files,
            form=form if may_upload and not owner.locked_because else None,
        ),
        status,
    )


@bp.route("/<kind>/<int:owner_id>")
@for_providers
def owner_files(kind: str, owner_id: int):
    """A record's files: name, size, type, checksum, who added them and when."""
    return _page(services.visible_owner(kind, owner_id))


@bp.route("/<kind>/<int:owner_id>", methods=["POST"])
@manager_or_provider_required
def upload(kind: str, owner_id: int):
    """Attach one file to a record, then go back to the record's page."""
    owner = services.visible_owner(kind, owner_id)
    if not services.may_upload(owner, current_user):
        refuse("may not add files to this record")
    if owner.locked_because:
        flash(owner.locked_because, "warning")
        return _page(owner, status=409)
    form = UploadForm()
    if form.validate_on_submit():
        attachment = save_form(form, lambda: services.attach(owner, form.upload, current_user))
        if attachment is not None:
            flash(
                f"File '{attachment.file_name}' ({rules.human_size(attachment.size)}) "
                f"added to {owner.title}.",
                "success",
            )
            return redirect(owner.url)
    return _page(owner, form, 413 if form.too_large else 422)


@bp.route("/<int:file_id>")
@for_providers
def download(file_id: int):
    """The file, as a download under its name (never shown in the browser)."""
    attachment, _owner = services.load_attachment(file_id)
    return download_response(attachment)


@bp.route("/<int:file_id>/delete", methods=["POST"])
@manager_or_provider_required
def delete(file_id: int):
    """Delete a file of a record that is not locked (recorded in the audit trail)."""
    attachment, owner = services.load_attachment(file_id)
    if not services.may_delete(attachment, owner.vendor_id, current_user):
        refuse("may not delete this file")
    form = DeleteFileForm()
    if not form.validate_on_submit():
        flash("The form expired; reload the page and try again.", "danger")
        return redirect(owner.url)
    name = attachment.file_name
    if run_action(lambda: services.delete_attachment(attachment, owner)):
        flash(f"File '{name}' deleted from {owner.title}.", "success")
    return redirect(owner.url)
