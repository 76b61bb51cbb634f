"""The exchange-rate form: field checks here, the business rules in `fx_services.save_rate`."""

from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField, MonthField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from vendor_tracker.core.forms import clean_text


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


class ExchangeRateForm(FlaskForm):
    """One month's rate of a currency to the reporting currency, with its source."""

    month = MonthField("Month", [InputRequired("Enter the month, such as 2026-10.")])
    currency = StringField(
        "Currency (ISO 4217 code)",
        [InputRequired("Enter a currency code such as EUR."), Length(max=3)],
        [_upper],
    )
    rate = DecimalField(
        "Rate: one unit of the currency in the reporting currency",
        [InputRequired("Enter the rate as a number, such as 1.08.")],
        places=None,
    )
    source = StringField(
        "Source (where the figure comes from)",
        [DataRequired("Say where the rate comes from."), Length(max=200)],
        [clean_text],
    )
    version = HiddenField()
