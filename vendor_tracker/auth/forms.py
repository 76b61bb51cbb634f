"""Login and user-administration forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from vendor_tracker.auth.rules import PASSWORD_MAX_LENGTH, Role, password_problem
from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, select_choices
from vendor_tracker.core.hooks import vendor_names

ROLE_CHOICES = choices(Role)
NO_VENDOR = "— none (client staff) —"
VENDOR_NEEDED = "Choose the company this provider user acts for."
VENDOR_REFUSED = "Only provider users act for a company: leave this empty for client staff."


def _password_policy(_form, field) -> None:
    if field.data:
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


def _optional_id(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # matches no choice: "Not a valid choice"


def vendor_problem(role: str | None, vendor_id: int | None) -> str | None:
    """Why a user of `role` may not act for `vendor_id` (provider users need one, others none)."""
    if role == Role.PROVIDER.value and not vendor_id:
        return VENDOR_NEEDED
    if role != Role.PROVIDER.value and vendor_id:
        return VENDOR_REFUSED
    return None


class _VendorChoice:
    """A `vendor_id` select of every vendor, required for provider users and refused otherwise."""

    def set_vendor_choices(self) -> None:
        names = sorted(vendor_names().items(), key=lambda item: item[1].lower())
        self.vendor_id.choices = select_choices([("", NO_VENDOR), *names])

    def validate_vendor_id(self, field) -> None:
        problem = vendor_problem(self.role.data, field.data)
        if problem:
            raise ValidationError(problem)


VENDOR_HELP = "Provider users see only this company's records; client staff have none."


class LoginForm(FlaskForm):
    email = EmailField("E-mail", [DataRequired(), Length(max=255)], [clean_text])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    next = HiddenField()


class UserCreateForm(_VendorChoice, FlaskForm):
    email = EmailField("E-mail", [DataRequired(), Email(), Length(max=255)], [clean_text])
    name = StringField("Name", validators=[Optional(), Length(max=120)], filters=[clean_text])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VIEWER.value)
    vendor_id = SelectField(
        "Acts for (provider users)", coerce=_optional_id, description=VENDOR_HELP
    )
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), _password_policy],
        description="8 to 128 characters. Share it with the user over a safe channel.",
    )


class UserEditForm(_VendorChoice, FlaskForm):
    name = StringField("Name", validators=[Optional(), Length(max=120)], filters=[clean_text])
    role = SelectField("Role", choices=ROLE_CHOICES)
    vendor_id = SelectField(
        "Acts for (provider users)", coerce=_optional_id, description=VENDOR_HELP
    )
    active = BooleanField("Account enabled (a disabled user cannot sign in or use a token)")
    password = PasswordField(
        "New password",
        validators=[Optional(), _password_policy],
        description="Leave empty to keep the current password.",
    )
    version = HiddenField()
