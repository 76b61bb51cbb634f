"""Forms of the files package: the upload (one file) and the delete button (CSRF only)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms.validators import ValidationError

from vendor_tracker.core.refusals import Refusal
from vendor_tracker.files import services


class UploadForm(FlaskForm):
    """One file; read, sized and typed when the form validates (`upload` then holds it)."""

    file = FileField("File")

    upload: services.Upload | None = None
    too_large = False

    def validate_file(self, field):
        """Refuse a missing, empty or too large file next to the field."""
        try:
            self.upload = services.read_upload(field.data)
        except services.TooLarge as refused:
            self.too_large = True
            raise ValidationError(refused.message) from None
        except Refusal as refused:
            raise ValidationError(refused.message) from None


class DeleteFileForm(FlaskForm):
    """An empty form: the CSRF token is the point."""
