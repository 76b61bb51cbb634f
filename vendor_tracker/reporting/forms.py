"""Forms of the reporting package: scorecard settings, risks, QBRs and their action items."""

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, select_choices
from vendor_tracker.engagements.services import currency_codes
from vendor_tracker.reporting.models import QbrActionStatus
from vendor_tracker.reporting.risk import RiskCategory, RiskStatus, risk_problems
from vendor_tracker.reporting.scorecard import bands_problems, weights_problems


def optional_int(value):
    """'' and None become None, digits an int; anything else None (the validator complains)."""
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


PERCENT = [InputRequired("Enter a number from 0 to 100."), NumberRange(0, 100)]
WEIGHT_FIELDS = (
    "weight_bpo_attainment",
    "weight_kpo_quality",
    "weight_kpo_on_time",
    "weight_kpo_first_pass",
)


class SettingsForm(FlaskForm):
    """Admin settings: component weights, band thresholds, minimum samples, concentration limit."""

    weight_bpo_attainment = DecimalField("BPO service-level attainment (weight)", PERCENT, places=2)
    weight_kpo_quality = DecimalField("KPO quality (weight)", PERCENT, places=2)
    weight_kpo_on_time = DecimalField("KPO on-time first versions (weight)", PERCENT, places=2)
    weight_kpo_first_pass = DecimalField("KPO first-pass acceptance (weight)", PERCENT, places=2)
    band_excellent = DecimalField("Excellent from (score 0–100)", PERCENT, places=2)
    band_good = DecimalField("Good from (score 0–100)", PERCENT, places=2)
    band_watch = DecimalField("Watch from (score 0–100); below is poor", PERCENT, places=2)
    concentration_limit_pct = DecimalField(
        "Flag a vendor above this share of a currency's spend (%)",
        [InputRequired("Enter a share from 1 to 100 %."), NumberRange(1, 100)],
        places=2,
    )
    min_bpo_months = IntegerField(
        "BPO attainment rates from (service-level-months)",
        [InputRequired("Enter a whole number from 1 to 120."), NumberRange(1, 120)],
    )
    min_kpo_deliverables = IntegerField(
        "Each KPO component rates from (deliverables)",
        [InputRequired("Enter a whole number from 1 to 100."), NumberRange(1, 100)],
    )
    reporting_currency = StringField(
        "Reporting currency (ISO 4217): portfolio totals are converted to it",
        filters=[clean_text, lambda value: value.upper() if isinstance(value, str) else value],
    )
    version = HiddenField()

    def validate_reporting_currency(self, field):
        if not field.raw_data:
            return  # not sent (an older client): the stored currency stays
        if field.data not in currency_codes():
            raise ValidationError("Use an ISO 4217 currency code such as USD.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        problems = weights_problems({name: self[name].data for name in WEIGHT_FIELDS})
        problems.update(
            {
                f"band_{k}": v
                for k, v in bands_problems(
                    self.band_excellent.data, self.band_good.data, self.band_watch.data
                ).items()
            }
        )
        for name, reason in problems.items():
            self[name].errors = [*self[name].errors, reason]
        return not problems


class RiskForm(FlaskForm):
    """A risk on a vendor or one of its engagements."""

    vendor_id = SelectField("Vendor", coerce=optional_int)
    engagement_id = SelectField(
        "Engagement (leave empty for a vendor-wide risk)", coerce=optional_int
    )
    title = StringField(
        "Title", [DataRequired("Give the risk a short title."), Length(max=200)], [clean_text]
    )
    category = SelectField("Category", choices=choices(RiskCategory))
    description = TextAreaField("Description", [Length(max=5000)], [clean_text])
    likelihood = SelectField(
        "Likelihood (1 rare – 5 almost certain)",
        coerce=optional_int,
        choices=select_choices((n, str(n)) for n in range(1, 6)),
    )
    impact = SelectField(
        "Impact (1 minor – 5 severe)",
        coerce=optional_int,
        choices=select_choices((n, str(n)) for n in range(1, 6)),
    )
    mitigation = TextAreaField("Mitigation", [Length(max=5000)], [clean_text])
    owner_id = SelectField("Owner", coerce=optional_int)
    status = SelectField("Status", choices=choices(RiskStatus), default=RiskStatus.OPEN.value)
    next_review_on = DateField("Next review", validators=[Optional()])
    version = HiddenField()

    def validate_vendor_id(self, field):
        if field.data is None and self.engagement_id.data is None:
            raise ValidationError("Choose the vendor (or an engagement) this risk is about.")

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # The same rule the service applies, so every problem shows at once, next to its field.
        problems = risk_problems(
            self.likelihood.data,
            self.impact.data,
            self.next_review_on.data,
            self.status.data if self.status.data in set(RiskStatus) else None,
            date.today(),
        )
        for name, reason in problems.items():
            if not self[name].errors:
                self[name].errors = [*self[name].errors, reason]
        return ok and not problems


class QbrForm(FlaskForm):
    """A quarterly business review."""

    vendor_id = SelectField("Vendor", coerce=optional_int)
    year = IntegerField(
        "Year", [InputRequired("Enter the year."), NumberRange(2000, 2100, "Use a year 2000–2100.")]
    )
    quarter = SelectField(
        "Quarter", coerce=optional_int, choices=select_choices((q, f"Q{q}") for q in range(1, 5))
    )
    held_on = DateField("Held on", [InputRequired("Enter the date of the meeting.")])
    attendees = TextAreaField("Attendees", [Length(max=2000)], [clean_text])
    decisions = TextAreaField("Decisions", [Length(max=10000)], [clean_text])
    notes = TextAreaField("Notes", [Length(max=10000)], [clean_text])
    version = HiddenField()

    def validate_vendor_id(self, field):
        if field.data is None:
            raise ValidationError("Choose the vendor.")

    def validate_quarter(self, field):
        if field.data not in (1, 2, 3, 4):
            raise ValidationError("Choose a quarter.")

    def validate_held_on(self, field):
        if field.data and field.data > date.today() + timedelta(days=366):
            raise ValidationError("That date is more than a year away.")


class ActionItemForm(FlaskForm):
    """An action item agreed at a QBR."""

    description = StringField(
        "Action", [DataRequired("Say what is to be done."), Length(max=500)], [clean_text]
    )
    owner = StringField("Owner", [DataRequired("Name who does it."), Length(max=120)], [clean_text])
    due_on = DateField("Due", [InputRequired("Enter the due date.")])
    status = SelectField("Status", choices=choices(QbrActionStatus), default="open")
    version = HiddenField()


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF-protected POST button (delete)."""
