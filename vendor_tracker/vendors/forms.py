"""Forms of the provider registry; each field validates on the server next to itself."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from vendor_tracker.auth.rules import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, password_problem
from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, finite_number, select_choices
from vendor_tracker.vendors.rules import (
    ATTRITION_MAX,
    ATTRITION_MIN,
    Shore,
    VendorStatus,
    certification_problems,
)
from vendor_tracker.vendors.services import country_choices

CERTIFICATE_SUGGESTIONS = ("ISO 27001", "SOC 2 Type II", "ISO 9001", "HIPAA", "PCI DSS")


def _country_select(label: str) -> SelectField:
    return SelectField(
        label,
        choices=select_choices([("", "Choose a country…"), *country_choices()]),
        validators=[DataRequired(message="Choose a country.")],
    )


class VendorForm(FlaskForm):
    name = StringField("Name", filters=[clean_text], validators=[DataRequired(), Length(max=120)])
    website = URLField(
        "Website",
        filters=[clean_text],
        validators=[Optional(), Length(max=255), URL(message="Give a full address, https://…")],
    )
    hq_country = _country_select("Headquarters country")
    description = TextAreaField(
        "Description", filters=[clean_text], validators=[Optional(), Length(max=5000)]
    )
    status = SelectField("Status", choices=choices(VendorStatus), default=VendorStatus.PROSPECT)
    service_lines = SelectMultipleField("Service lines offered", coerce=int, choices=[])
    attrition_pct = DecimalField(
        "Annual attrition (%)",
        places=2,
        validators=[
            Optional(),
            finite_number,
            NumberRange(ATTRITION_MIN, ATTRITION_MAX, message="A percentage from 0 to 100."),
        ],
        description="Share of the vendor's staff leaving in a year, 0 to 100 %.",
    )
    languages = StringField(
        "Languages",
        filters=[clean_text],
        validators=[Optional(), Length(max=255)],
        description="Comma-separated, e.g. English, Spanish, Tagalog.",
    )
    version = HiddenField()

    def __init__(self, *args, service_lines_grouped=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.grouped_lines = service_lines_grouped or {}
        self.service_lines.choices = [
            choice
            for model, lines in self.grouped_lines.items()
            for choice in select_choices([(line.id, line.name) for line in lines], model)
        ]

    def to_data(self) -> dict:
        """The checked values, as the service expects them."""
        return {
            "name": self.name.data,
            "website": self.website.data or "",
            "hq_country": self.hq_country.data,
            "description": self.description.data or "",
            "status": self.status.data,
            "service_line_ids": list(self.service_lines.data or []),
            "attrition_pct": self.attrition_pct.data,
            "languages": self.languages.data or "",
        }


class DeliveryCenterForm(FlaskForm):
    country = _country_select("Country")
    city = StringField("City", filters=[clean_text], validators=[DataRequired(), Length(max=120)])
    shore = SelectField("Shore", choices=choices(Shore), default=Shore.OFFSHORE)
    headcount = IntegerField(
        "Headcount (people)",
        validators=[Optional(), NumberRange(0, 1_000_000, message="From 0 to 1,000,000 people.")],
    )

    def to_data(self) -> dict:
        return {
            "country": self.country.data,
            "city": self.city.data,
            "shore": Shore(self.shore.data),
            "headcount": self.headcount.data,
        }


class ContactForm(FlaskForm):
    name = StringField("Name", filters=[clean_text], validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "E-mail",
        filters=[clean_text],
        validators=[Optional(), Length(max=255), Email(message="Give a valid e-mail address.")],
    )
    phone = StringField("Phone", filters=[clean_text], validators=[Optional(), Length(max=40)])
    role = StringField(
        "Role",
        filters=[clean_text],
        validators=[Optional(), Length(max=120)],
        description="e.g. Account director, Escalation contact.",
    )

    def to_data(self) -> dict:
        return {
            "name": self.name.data,
            "email": self.email.data or "",
            "phone": self.phone.data or "",
            "role": self.role.data or "",
        }


class CertificationForm(FlaskForm):
    name = StringField(
        "Certificate",
        filters=[clean_text],
        validators=[DataRequired(), Length(max=80)],
        description="e.g. " + ", ".join(CERTIFICATE_SUGGESTIONS) + ".",
    )
    issued_on = DateField("Issued on", validators=[Optional()])
    expires_on = DateField("Expires on", validators=[Optional()])

    def validate_expires_on(self, field) -> None:
        problem = certification_problems(self.issued_on.data, field.data).get("expires_on")
        if problem:
            raise ValidationError(problem)

    def to_data(self) -> dict:
        return {
            "name": self.name.data,
            "issued_on": self.issued_on.data,
            "expires_on": self.expires_on.data,
        }


CHILD_FORMS = {
    "centers": (DeliveryCenterForm, "delivery center"),
    "contacts": (ContactForm, "contact"),
    "certifications": (CertificationForm, "certificate"),
}


class PortalInviteForm(FlaskForm):
    """The "invite to the portal" button: a POST with its CSRF token and nothing else."""


def _password_rules(_form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class AcceptInviteForm(FlaskForm):
    """The invitee chooses a password (twice) for their provider user."""

    password = PasswordField(
        "Password",
        validators=[DataRequired(), _password_rules],
        description=f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters.",
    )
    confirm = PasswordField(
        "Password again",
        validators=[
            DataRequired(),
            EqualTo("password", message="The two passwords differ: type the same one twice."),
        ],
    )
