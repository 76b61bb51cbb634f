"""Portfolio spend: totals per currency and the total in the reporting currency."""

from datetime import date

from marshmallow import Schema, fields, validate

from vendor_tracker.api.common import fail
from vendor_tracker.api.fields import Number
from vendor_tracker.api.reporting.blueprint import blp, documented
from vendor_tracker.reporting import services
from vendor_tracker.reporting.fx import to_cents
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio

MONTH = validate.Regexp(
    # Months 2000-01 to 2100-12, as the portfolio page reads them.
    r"^(20\d\d|2100)-(0[1-9]|1[0-2])$",
    error="Use a month such as 2026-01 (from 2000 to 2100).",
)


class PortfolioArgsSchema(Schema):
    from_ = fields.String(
        data_key="from",
        validate=MONTH,
        metadata={"description": "First month, YYYY-MM; by default eleven months before `to`."},
    )
    to = fields.String(
        validate=MONTH, metadata={"description": "Last month, YYYY-MM; this month by default."}
    )
    model = fields.String(validate=validate.OneOf(["BPO", "KPO"]))
    currency = fields.String(
        validate=validate.Regexp(r"^[A-Za-z]{3}$", error="Use a three-letter currency code."),
        metadata={"description": "Only engagements in this currency (ISO 4217)."},
    )


class CurrencyTotalSchema(Schema):
    currency = fields.String(required=True)
    amount = Number(required=True, metadata={"description": "Spend in the currency, in cents."})


class RateMonthSchema(Schema):
    month = fields.Date(required=True, metadata={"description": "First day of the spend month."})
    rate_month = fields.Date(
        required=True, metadata={"description": "The month of the rate used (earlier: fallback)."}
    )
    rate = Number(required=True)
    source = fields.String(required=True)


class ConversionSchema(Schema):
    currency = fields.String(required=True)
    amount = Number(required=True, metadata={"description": "All spend in this currency."})
    converted = Number(
        required=True,
        metadata={"description": "The converted part in the reporting currency, to cents."},
    )
    not_converted = Number(
        required=True, metadata={"description": "Spend (in this currency) with no rate."}
    )
    months_without_rate = fields.List(fields.Date(), required=True)
    rates = fields.List(fields.Nested(RateMonthSchema), required=True)


class ConvertedTotalSchema(Schema):
    currency = fields.String(required=True, metadata={"description": "The reporting currency."})
    total = Number(
        required=True,
        metadata={"description": "Converted total, rounded half-even to cents once."},
    )
    complete = fields.Boolean(
        required=True, metadata={"description": "False when some spend has no rate (see below)."}
    )
    same_currency = Number(
        required=True, metadata={"description": "Spend already in the reporting currency."}
    )
    conversions = fields.List(fields.Nested(ConversionSchema), required=True)


class PortfolioSchema(Schema):
    first_month = fields.Date(required=True)
    last_month = fields.Date(required=True)
    totals = fields.List(fields.Nested(CurrencyTotalSchema), required=True)
    converted = fields.Nested(ConvertedTotalSchema, required=True)


def _converted(conv) -> dict:
    return {
        "currency": conv.currency,
        "total": conv.total,
        "complete": conv.complete,
        "same_currency": to_cents(conv.same_currency),
        "conversions": [
            {
                "currency": c.currency,
                "amount": to_cents(c.amount),
                "converted": to_cents(c.converted),
                "not_converted": to_cents(c.not_converted),
                "months_without_rate": list(c.months_without_rate),
                "rates": [
                    {
                        "month": u.month,
                        "rate_month": u.rate.month,
                        "rate": u.rate.rate,
                        "source": u.rate.source,
                    }
                    for u in c.uses
                ],
            }
            for c in conv.conversions
        ],
    }


@blp.route("/portfolio", methods=["GET"])
@documented(401, 403)
@blp.arguments(PortfolioArgsSchema, location="query")
@blp.response(200, PortfolioSchema)
def portfolio_spend(args):
    """Contracted spend per currency and its total in the reporting currency, converted month
    by month (a month without a rate takes the latest earlier one; spend with no rate at all
    is listed, not counted)."""
    today = date.today()
    query = {k: v for k, v in (("from", args.get("from_")), ("to", args.get("to"))) if v}
    query.update({k: args[k] for k in ("model", "currency") if args.get(k)})
    filters = PortfolioFilters.from_args(query, today)
    if filters.problems:
        fail(422, "The filters are not valid.", {k: [v] for k, v in filters.problems.items()})
    settings = services.scorecard_settings()
    data = portfolio(
        filters,
        today,
        settings.concentration_limit_pct,
        settings.reporting_currency,
        dimensions=(),
        details=False,
    )
    return {
        "first_month": filters.first_month,
        "last_month": filters.last_month,
        "totals": [{"currency": c, "amount": a} for c, a in data["totals"].items()],
        "converted": _converted(data["converted"]),
    }
