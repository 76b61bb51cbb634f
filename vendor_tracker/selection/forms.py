"""Forms of the selection pages; every field is validated on the server."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, select_choices
from vendor_tracker.engagements.rules import PricingModel
from vendor_tracker.selection.advisor import Advice, Question
from vendor_tracker.selection.rules import EDITABLE_STATUSES, REASON_MIN


def _optional_int(value):
    return int(value) if value not in (None, "", "None") else None


class RequestForm(FlaskForm):
    """Create or edit a sourcing request."""

    title = StringField("Title", [DataRequired(), Length(max=200)], [clean_text])
    description = TextAreaField(
        "Description of the work", [Optional(), Length(max=5000)], [clean_text]
    )
    owner_id = SelectField("Business owner", coerce=_optional_int, validators=[Optional()])
    service_line_id = SelectField(
        "Service line",
        coerce=_optional_int,
        validators=[Optional()],
        description="Suggested candidates are the vendors offering this service line.",
    )
    volume_scope = StringField(
        "Expected volume or scope",
        validators=[Optional(), Length(max=255)],
        filters=[clean_text],
        description="For example: 40,000 outbound calls a month, or one database of 8,000 "
        "contacts researched and verified.",
    )
    budget = DecimalField(
        "Budget",
        places=2,
        validators=[Optional(), NumberRange(min=0, max=999_999_999_999)],
        description="Total, in the currency below.",
    )
    currency = StringField(
        "Currency",
        default="USD",
        filters=[clean_text],
        validators=[DataRequired(), Regexp(r"^[A-Za-z]{3}$", message="Use a 3-letter ISO code.")],
    )
    needed_by = DateField("Needed by", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=select_choices((s.value, s.label) for s in EDITABLE_STATUSES),
        default="draft",
    )
    version = HiddenField()

    def __init__(self, users, service_lines, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner_id.choices = select_choices(
            [(None, "— none —")] + [(u.id, u.display_name) for u in users]
        )
        self.service_line_id.choices = select_choices(
            [(None, "— not decided yet —")]
            + [(s.id, f"{s.name} ({s.model.value})") for s in service_lines]
        )

    def validate_currency(self, field):
        field.data = (field.data or "").strip().upper()

    def data_for_service(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "owner_id": self.owner_id.data,
            "service_line_id": self.service_line_id.data,
            "volume_scope": (self.volume_scope.data or "").strip(),
            "budget": self.budget.data,
            "currency": self.currency.data,
            "needed_by": self.needed_by.data,
            **({"status": self.status.data} if self.status else {}),
        }


def advisor_form_class(questions: list[Question]):
    """A form with one 1..5 radio field per advisor question."""

    class AdvisorForm(FlaskForm):
        pass

    for q in questions:
        field = RadioField(
            q.text,
            choices=select_choices((str(v), str(v)) for v in range(1, 6)),
            validators=[InputRequired(message="Answer this question.")],
            description=f"1 = {q.low}; 5 = {q.high}",
        )
        setattr(AdvisorForm, f"q_{q.code}", field)
    return AdvisorForm


class OverrideForm(FlaskForm):
    """Override the advisor's verdict, with a reason."""

    model = SelectField("Run this work as", choices=choices(Advice))
    reason = TextAreaField(
        "Reason for the override",
        filters=[clean_text],
        validators=[
            DataRequired(message="Say why you override the advisor."),
            Length(min=REASON_MIN, max=2000, message=f"Use {REASON_MIN} to 2000 characters."),
        ],
    )


class ActionForm(FlaskForm):
    """A button that changes something: carries only the CSRF token."""


class CandidateForm(FlaskForm):
    """Add a vendor to the shortlist."""

    vendor_id = SelectField(
        "Vendor", coerce=_optional_int, validators=[DataRequired(message="Pick a vendor.")]
    )


class TemplateForm(FlaskForm):
    """Add the criteria template of a model."""

    model = SelectField(
        "Template", choices=select_choices([("BPO", "BPO criteria"), ("KPO", "KPO criteria")])
    )


class CriterionForm(FlaskForm):
    """Add a criterion of one's own."""

    name = StringField("Criterion", [DataRequired(), Length(max=120)], [clean_text])
    weight = DecimalField(
        "Weight",
        places=2,
        validators=[
            InputRequired(message="Give a weight."),
            NumberRange(min=0.01, max=999999, message="Use a number greater than zero."),
        ],
    )


def weights_form_class(criteria):
    """A form with one positive weight per criterion."""

    class WeightsForm(FlaskForm):
        pass

    for criterion in criteria:
        setattr(
            WeightsForm,
            f"w_{criterion.id}",
            DecimalField(
                criterion.name,
                places=2,
                default=criterion.weight,
                validators=[
                    InputRequired(message="Give a weight."),
                    NumberRange(min=0.01, max=999999, message="Use a number greater than zero."),
                ],
            ),
        )
    return WeightsForm


class AwardForm(FlaskForm):
    """Pick the winning candidate and the terms of the planned engagement."""

    candidate_id = SelectField(
        "Award to", coerce=_optional_int, validators=[DataRequired(message="Pick a candidate.")]
    )
    kind = SelectField("Engagement kind", choices=select_choices([("BPO", "BPO"), ("KPO", "KPO")]))
    pricing_model = SelectField("Pricing model", choices=choices(PricingModel))
    start_date = DateField("Planned start", validators=[DataRequired(message="Give a date.")])
    reason = TextAreaField(
        "Rationale",
        validators=[Optional(), Length(max=4000)],
        filters=[clean_text],
        description=f"Required (at least {REASON_MIN} characters) when the pick is not the "
        "top-ranked candidate or the vendor is in poor standing.",
    )
    kpi_codes = SelectMultipleField(
        "Service levels to add (BPO)",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )

    def validate_start_date(self, field):
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Give a date after 2000.")
