"""The one download answer, for the pages and the API alike."""

from io import BytesIO

from flask import send_file

from vendor_tracker.files.models import Attachment
from vendor_tracker.files.services import content_of

# Whatever the file is, a browser that opens the answer runs nothing from it.
SANDBOX_POLICY = "sandbox; default-src 'none'; frame-ancestors 'none'"


def download_response(attachment: Attachment):
    """The file as an attachment under its kept name (RFC 5987 `filename*` when it is not
    ASCII), sent as its served type, never sniffed, never rendered inline, cached privately."""
    response = send_file(
        BytesIO(content_of(attachment)),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.file_name,
        etag=attachment.sha256,
        last_modified=attachment.uploaded_at,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = SANDBOX_POLICY
    response.headers["X-Checksum-SHA256"] = attachment.sha256
    response.cache_control.private = True
    response.cache_control.public = False
    return response
