"""Login and user-administration forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from vendor_tracker.auth.rules import PASSWORD_MAX_LENGTH, Role, password_problem
from vendor_tracker.core.enums import choices

ROLE_CHOICES = choices(Role)


def _password_policy(_form, field) -> None:
    if field.data:
        problem = password_problem(field.data)
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=255)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=PASSWORD_MAX_LENGTH)]
    )
    next = HiddenField()


class UserCreateForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Email(), Length(max=255)])
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.VIEWER.value)
    password = PasswordField(
        "Initial password",
        validators=[DataRequired(), _password_policy],
        description="8 to 128 characters. Share it with the user over a safe channel.",
    )


class UserEditForm(FlaskForm):
    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Account enabled (a disabled user cannot sign in or use a token)")
    password = PasswordField(
        "New password",
        validators=[Optional(), _password_policy],
        description="Leave empty to keep the current password.",
    )
    version = HiddenField()
