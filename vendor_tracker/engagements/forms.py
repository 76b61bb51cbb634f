"""The engagement form; each field validates on the server next to itself."""

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
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from vendor_tracker.core.enums import choices
from vendor_tracker.core.forms import clean_text, finite_number, select_choices
from vendor_tracker.engagements.rules import (
    AT_RISK_MAX_PCT,
    EARN_BACK_MAX_MONTHS,
    EngagementStatus,
    PricingModel,
    engagement_problems,
)
from vendor_tracker.vendors.rules import Model, Shore

MONEY_LIMIT = 10**11  # fits Numeric(14, 2) with room to spare


def _int_or_none(value):
    if value in (None, ""):
        return None
    return int(value)


def _money(label: str, description: str | None = None) -> DecimalField:
    return DecimalField(
        label,
        places=2,
        validators=[
            Optional(),
            finite_number,
            NumberRange(0, MONEY_LIMIT, message="Give an amount of zero or more."),
        ],
        description=description,
    )


class EngagementForm(FlaskForm):
    vendor_id = SelectField("Vendor", coerce=_int_or_none, validate_choice=True)
    title = StringField("Title", filters=[clean_text], validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        "Kind",
        choices=select_choices([(m.value, m.label) for m in Model]),
        description="Fixed once the engagement is created.",
    )
    service_line_id = SelectField("Service line", coerce=_int_or_none)
    status = SelectField("Status", choices=choices(EngagementStatus), default="planned")
    start_date = DateField("Start date", validators=[DataRequired(message="Give the start date.")])
    end_date = DateField("End date", validators=[Optional()], description="Empty if open-ended.")
    owner_id = SelectField("Owner", coerce=_int_or_none)
    pricing_model = SelectField("Pricing model", choices=choices(PricingModel))
    currency = SelectField("Currency (ISO 4217)", default="USD")
    monthly_fee = _money("Monthly fee", "What the vendor bills per month.")
    total_contract_value = _money("Total contract value", "For the whole term.")
    baseline_monthly_cost = _money(
        "In-house baseline cost per month", "What the work cost in-house; shows the savings."
    )
    delivery_shore = SelectField(
        "Delivery shore", choices=select_choices([("", "Not set"), *choices(Shore)]), default=""
    )
    at_risk_pct = DecimalField(
        "Fee at risk (% of the monthly fee)",
        places=2,
        validators=[
            Optional(),
            finite_number,
            NumberRange(0, AT_RISK_MAX_PCT, message=f"From 0 to {AT_RISK_MAX_PCT} %%."),
        ],
        description="BPO only: the share of the fee service credits can take.",
    )
    earn_back_months = IntegerField(
        "Earn-back window (months)",
        validators=[
            Optional(),
            NumberRange(0, EARN_BACK_MAX_MONTHS, message=f"From 0 to {EARN_BACK_MAX_MONTHS}."),
        ],
        description="BPO only: months of good service that earn a credit back.",
    )
    notes = TextAreaField("Notes", filters=[clean_text], validators=[Optional(), Length(max=5000)])
    version = HiddenField()

    def __init__(self, *args, vendors=(), owners=(), lines=None, currencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor_id.choices = select_choices([("", "Choose a vendor…"), *vendors])
        self.owner_id.choices = select_choices([("", "Choose an owner…"), *owners])
        self.service_line_id.choices = select_choices([("", "Choose a service line…")]) + [
            choice
            for model, pairs in (lines or {}).items()
            for choice in select_choices(pairs, model)
        ]
        self.currency.choices = select_choices(currencies)

    def validate_vendor_id(self, field) -> None:
        if field.data is None:
            raise ValidationError("Choose the vendor.")

    def validate_service_line_id(self, field) -> None:
        if field.data is None:
            raise ValidationError("Choose the service line.")

    def validate_end_date(self, field) -> None:
        problem = engagement_problems("", None, self.start_date.data, field.data).get("end_date")
        if problem:
            raise ValidationError(problem)

    def validate_owner_id(self, field) -> None:
        if field.data is None:
            raise ValidationError("Choose the owner.")

    def to_data(self) -> dict:
        """The checked values; BPO-only terms are dropped for KPO work (they are hidden there)."""
        bpo = self.kind.data == Model.BPO.value
        return {
            "vendor_id": self.vendor_id.data,
            "title": self.title.data,
            "kind": self.kind.data,
            "service_line_id": self.service_line_id.data,
            "status": self.status.data,
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "owner_id": self.owner_id.data,
            "pricing_model": self.pricing_model.data,
            "currency": self.currency.data,
            "monthly_fee": self.monthly_fee.data,
            "total_contract_value": self.total_contract_value.data,
            "baseline_monthly_cost": self.baseline_monthly_cost.data,
            "delivery_shore": self.delivery_shore.data or None,
            "at_risk_pct": self.at_risk_pct.data if bpo else None,
            "earn_back_months": self.earn_back_months.data if bpo else None,
            "notes": self.notes.data or "",
        }
