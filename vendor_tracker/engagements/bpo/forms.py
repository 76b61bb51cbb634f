"""Forms of the bpo package; numbers are parsed here and judged by the rules in services."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, select_choices
from vendor_tracker.engagements.bpo.reporting_rules import REASON_MAX, Decision, DisputeCategory
from vendor_tracker.engagements.bpo.sla import Classification, Direction, to_decimal

NUMBER_FIELDS = ("target", "minimum", "allocation_pct")


def library_pairs(library: list[dict]) -> list[tuple[str, str]]:
    return [("", "Custom metric (give its unit)")] + [
        (row["code"], f"{row['name']} ({row['unit']})") for row in library
    ]


def library_choices(library: list[dict]) -> list:
    return select_choices(library_pairs(library))


class ServiceLevelForm(FlaskForm):
    name = StringField("Name", [DataRequired(), Length(max=120)], [clean_text])
    metric_code = SelectField("Metric", choices=[], validate_choice=True)
    unit = StringField(
        "Unit",
        validators=[Optional(), Length(max=20)],
        filters=[clean_text],
        description="%, s, hours, items... Left empty, the library metric's unit is used.",
    )
    direction = SelectField("Direction", choices=choices(Direction))
    target = StringField("Target level", validators=[DataRequired()], filters=[clean_text])
    minimum = StringField(
        "Minimum level (optional)",
        filters=[clean_text],
        description="The floor: a result between minimum and target is a warning, not a breach.",
    )
    classification = SelectField("Classification", choices=choices(Classification))
    allocation_pct = StringField(
        "Credit allocation (% of the at-risk pool)",
        filters=[clean_text],
        description="Critical levels only. Allocations may add up to more than 100 %, at most "
        "500 %.",
    )
    version = HiddenField()
    submit = SubmitField("Save service level")

    def parsed(self, library: dict[str, dict]) -> dict | None:
        """The form's values as typed data, or None after adding errors to unparsable fields."""
        data = {
            "name": (self.name.data or "").strip(),
            "metric_code": self.metric_code.data or None,
            "unit": (self.unit.data or "").strip(),
            "direction": Direction(self.direction.data),
            "classification": Classification(self.classification.data),
        }
        if not data["unit"] and data["metric_code"] in library:
            data["unit"] = library[data["metric_code"]]["unit"]
        ok = True
        for name in NUMBER_FIELDS:
            raw = (getattr(self, name).data or "").strip()
            value = to_decimal(raw) if raw else None
            if raw and value is None:
                getattr(self, name).errors = [*getattr(self, name).errors, "Give a number."]
                ok = False
            data[name] = value
        return data if ok else None


class ResultRowForm(Form):
    """One service level's result inside the monthly form."""

    level_id = HiddenField()
    actual = StringField("Actual")
    volume = StringField("Volume")
    note = StringField("Note")
    version = HiddenField()
    clear = BooleanField("Clear")


class MonthForm(FlaskForm):
    rows = FieldList(FormField(ResultRowForm))
    # Sent by the "confirm" button of the summary shown before a save that changes or clears
    # more than one stored result.
    confirm = HiddenField("Confirm")
    submit = SubmitField("Save the month")


class ImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])
    replace_existing = BooleanField("Replace existing results for the same months")
    submit = SubmitField("Import")


class SuggestForm(FlaskForm):
    codes = SelectMultipleField("Metrics from the library", choices=[])
    submit = SubmitField("Add as key service levels")


class ConfirmForm(FlaskForm):
    """An empty form: its CSRF token guards a POST-only action such as a delete."""

    submit = SubmitField("Delete")


# --- month reports and credit disputes ----------------------------------------------------


class VerifyMonthForm(FlaskForm):
    """The client accepts a provider's month (POST with its CSRF token)."""

    submit = SubmitField("Verify this month")


class DisputeReasonForm(Form):
    level_id = HiddenField()
    reason = TextAreaField(
        "What is wrong", validators=[Optional(), Length(max=REASON_MAX)], filters=[clean_text]
    )


class DisputeMonthForm(FlaskForm):
    """The client sends a month back: a reason for each service level that is wrong."""

    rows = FieldList(FormField(DisputeReasonForm))
    submit = SubmitField("Dispute this month")


class CreditDisputeForm(FlaskForm):
    """The provider disputes one credit of a month."""

    service_level_id = HiddenField(validators=[DataRequired()])
    category = SelectField("Category", choices=choices(DisputeCategory))
    reason = TextAreaField(
        "Why the credit is not owed",
        validators=[DataRequired(), Length(max=REASON_MAX)],
        filters=[clean_text],
    )
    submit = SubmitField("Dispute this credit")


class ResolveDisputeForm(FlaskForm):
    """A client manager upholds or waives a dispute; a waiver says why."""

    decision = SelectField("Decision", choices=choices(Decision))
    note = TextAreaField(
        "Note (required to waive)", validators=[Optional(), Length(max=2000)], filters=[clean_text]
    )
    submit = SubmitField("Resolve")
