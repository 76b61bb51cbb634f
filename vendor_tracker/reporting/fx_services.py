"""Monthly exchange rates kept by admins, and the conversion of spend to the reporting currency."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.core.refusals import NOT_VALID, Refusal
from vendor_tracker.core.text import text_problem
from vendor_tracker.engagements.services import currency_codes
from vendor_tracker.extensions import db
from vendor_tracker.reporting.fx import ConvertedTotal, Rate, convert_total, rate_problem
from vendor_tracker.reporting.models import ExchangeRate, ScorecardSettings

RATE_FIELDS = ("month", "currency", "rate", "source")
MAX_SOURCE = 200


def current_reporting_currency() -> str:
    """The reporting currency of the settings row; USD until an admin saves the settings."""
    found = db.session.execute(
        select(ScorecardSettings.reporting_currency).order_by(ScorecardSettings.id).limit(1)
    ).scalar_one_or_none()
    return found or "USD"


def list_rates(page: int, per_page: int):
    """A page of rates, newest month first, then by currency."""
    stmt = (
        select(ExchangeRate)
        .options(joinedload(ExchangeRate.created_by), joinedload(ExchangeRate.updated_by))
        .order_by(ExchangeRate.month.desc(), ExchangeRate.currency, ExchangeRate.id)
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def _problems(values: dict, record: ExchangeRate | None, reporting: str) -> dict[str, str]:
    """Every reason the values cannot be stored, by field."""
    problems: dict[str, str] = {}
    month, currency = values.get("month"), (values.get("currency") or "").strip().upper()
    if not isinstance(month, date):
        problems["month"] = "Enter the month, such as 2026-10."
    elif not 1900 <= month.year <= 2100:
        problems["month"] = "Use a month from 1900 to 2100."
    if currency not in currency_codes():
        problems["currency"] = "Use an ISO 4217 currency code such as EUR."
    elif currency == reporting:
        problems["currency"] = f"{reporting} is the reporting currency: it needs no rate."
    reason = rate_problem(values.get("rate"))
    if reason:
        problems["rate"] = reason
    source = (values.get("source") or "").strip()
    if not source:
        problems["source"] = "Say where the rate comes from, such as “ECB reference rate”."
    elif len(source) > MAX_SOURCE or text_problem(source):
        problems["source"] = text_problem(source) or f"At most {MAX_SOURCE} characters."
    if not problems:
        taken = db.session.execute(
            select(ExchangeRate.id).where(
                ExchangeRate.month == month.replace(day=1), ExchangeRate.currency == currency
            )
        ).scalar_one_or_none()
        if taken is not None and (record is None or taken != record.id):
            problems["currency"] = f"There is already a {currency} rate for {month:%b %Y}."
    return problems


def save_rate(
    record: ExchangeRate | None, values: dict, user_id: int | None, reporting: str
) -> ExchangeRate:
    """Add a rate (record None) or change one; refuses bad values by field. Caller commits.

    Saving the stored values unchanged writes nothing (no new version, no audit entry).
    """
    problems = _problems(values, record, reporting)
    if problems:
        raise Refusal(NOT_VALID, problems)
    fields = {
        "month": values["month"].replace(day=1),
        "currency": values["currency"].strip().upper(),
        "rate": Decimal(values["rate"]),
        "source": values["source"].strip(),
    }
    if record is None:
        record = ExchangeRate(**fields, created_by_id=user_id, updated_by_id=user_id)
        db.session.add(record)
    else:
        changed = {k: v for k, v in fields.items() if getattr(record, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(record, name, value)
            record.updated_by_id = user_id
    db.session.flush()
    return record


def delete_rate(record: ExchangeRate) -> None:
    """Remove a rate (audited). Caller commits."""
    db.session.delete(record)
    db.session.flush()


def rates_until(currencies: Iterable[str], last_month: date) -> list[Rate]:
    """The rates of the given currencies up to `last_month`, as the conversion rule takes them."""
    wanted = sorted(set(currencies))
    if not wanted:
        return []
    rows = db.session.execute(
        select(ExchangeRate.month, ExchangeRate.currency, ExchangeRate.rate, ExchangeRate.source)
        .where(ExchangeRate.currency.in_(wanted), ExchangeRate.month <= last_month)
        .order_by(ExchangeRate.currency, ExchangeRate.month)
    )
    return [Rate(month, currency, Decimal(rate), source) for month, currency, rate, source in rows]


def convert_spend(rows, reporting: str, last_month: date) -> ConvertedTotal:
    """The spend rows ((engagement, {month: amount})) in the reporting currency."""
    amounts = [
        (e.currency, month, amount) for e, by_month in rows for month, amount in by_month.items()
    ]
    return convert_amounts(amounts, reporting, last_month)


def convert_amounts(amounts: list, reporting: str, last_month: date) -> ConvertedTotal:
    """(currency, month, amount) items in the reporting currency, with the stored rates."""
    currencies = {currency for currency, _m, _a in amounts if currency != reporting}
    return convert_total(amounts, rates_until(currencies, last_month), reporting)
