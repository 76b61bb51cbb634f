"""Portfolio and spend: load engagement figures in one query, apply the spend rules."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.fx_services import convert_amounts, current_reporting_currency
from vendor_tracker.reporting.scorecard import Period, quarter_of, quarter_period
from vendor_tracker.reporting.spend import (
    DIMENSIONS,
    EngagementMoney,
    month_from_index,
    month_index,
    monthly_spend,
    vendor_shares,
)
from vendor_tracker.reporting.spend_reads import in_window, not_counted_condition, portfolio_sums
from vendor_tracker.vendors.models import ServiceLine, Vendor

MAX_MONTHS = 36
TREND_QUARTERS = 4
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _parse_month(text: str | None) -> date | None:
    match = _MONTH.match((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


@dataclass(frozen=True)
class PortfolioFilters:
    """The months shown, and optionally one model and one currency."""

    first_month: date
    last_month: date
    model: str | None = None
    currency: str | None = None
    problems: dict = field(default_factory=dict)

    @classmethod
    def from_args(cls, args, today: date) -> "PortfolioFilters":
        """Read ?from=YYYY-MM&to=YYYY-MM&model=&currency=; bad values fall back with a reason."""
        default_last = today.replace(day=1)
        default_first = month_from_index(month_index(default_last) - 11)
        problems = {}
        first = _parse_month(args.get("from")) if args.get("from") else default_first
        last = _parse_month(args.get("to")) if args.get("to") else default_last
        if first is None:
            problems["from"] = "Use a month such as 2026-01."
            first = default_first
        if last is None:
            problems["to"] = "Use a month such as 2026-12."
            last = default_last
        if last < first:
            problems["to"] = "The last month cannot be before the first."
            first, last = default_first, default_last
        elif month_index(last) - month_index(first) + 1 > MAX_MONTHS:
            problems["to"] = f"Show at most {MAX_MONTHS} months at a time."
            last = month_from_index(month_index(first) + MAX_MONTHS - 1)
        model = args.get("model") if args.get("model") in ("BPO", "KPO") else None
        currency = (args.get("currency") or "").strip().upper() or None
        if currency and not re.fullmatch(r"[A-Z]{3}", currency):
            problems["currency"] = "Use a three-letter currency code such as USD."
            currency = None
        return cls(first, last, model, currency, problems)

    def as_args(self) -> dict:
        args = {"from": f"{self.first_month:%Y-%m}", "to": f"{self.last_month:%Y-%m}"}
        if self.model:
            args["model"] = self.model
        if self.currency:
            args["currency"] = self.currency
        return args

    @property
    def label(self) -> str:
        return f"{self.first_month:%b %Y} – {self.last_month:%b %Y}"


def engagement_money(filters: PortfolioFilters, *conditions) -> list[EngagementMoney]:
    """Contracted engagements (not planned ones) overlapping the months, in one query; only
    those meeting `conditions` when given."""
    stmt = (
        select(
            Engagement.id,
            Engagement.vendor_id,
            Vendor.name,
            Engagement.kind,
            ServiceLine.name,
            Engagement.delivery_shore,
            Engagement.currency,
            Engagement.start_date,
            Engagement.end_date,
            Engagement.monthly_fee,
            Engagement.total_contract_value,
            Engagement.baseline_monthly_cost,
            Engagement.title,
        )
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .join(ServiceLine, ServiceLine.id == Engagement.service_line_id)
        .where(*conditions)
        .order_by(Vendor.name, Engagement.id)
    )
    stmt = in_window(stmt, filters)
    return [
        EngagementMoney(
            eid,
            vid,
            vendor,
            getattr(kind, "value", kind),
            line,
            getattr(shore, "value", shore),
            currency,
            start,
            end,
            fee,
            tcv,
            baseline,
            title,
        )
        for (
            eid,
            vid,
            vendor,
            kind,
            line,
            shore,
            currency,
            start,
            end,
            fee,
            tcv,
            baseline,
            title,
        ) in (db.session.execute(stmt).all())
    ]


def engagement_spend(filters: PortfolioFilters) -> list[tuple[EngagementMoney, dict]]:
    """(engagement, {month: amount}) for every engagement under the filters."""
    return [
        (e, monthly_spend(e, filters.first_month, filters.last_month))
        for e in engagement_money(filters)
    ]


def _quality_trend(filters: PortfolioFilters, today: date) -> list[dict]:
    """Portfolio-wide attainment, quality and on-time rate for the last quarters in the period:
    sums of the counts kept beside every vendor's stored scorecard (`score_reads`)."""
    from vendor_tracker.reporting.score_reads import portfolio_periods
    from vendor_tracker.reporting.services import scorecard_settings

    last = min(filters.last_month, today.replace(day=1))
    if last < filters.first_month:
        return []
    quarters: list[Period] = []
    year, quarter = quarter_of(last)
    while len(quarters) < TREND_QUARTERS:
        period = quarter_period(year, quarter, today)
        if period.last_day < filters.first_month:
            break
        quarters.append(period)
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    quarters.reverse()
    return [
        _trend_point(found) for found in portfolio_periods(quarters, today, scorecard_settings())
    ]


def _trend_point(found) -> dict:
    """One quarter of the trend (a `score_reads.PortfolioPeriod`): attainment weighted by
    reports; the KPO mean quality of the deliverables accepted and the on-time rate of those
    due (`review.period_summary` of the whole portfolio); None where nothing feeds a figure."""
    kpo = found.kpo
    return {
        "period": found.period,
        "attainment": 100 * found.met / found.reported if found.reported else None,
        "reported": found.reported,
        "quality": kpo.mean_quality,
        "accepted": kpo.accepted,
        "on_time": kpo.on_time_first_rate,
        "due": kpo.due,
    }


def portfolio(
    filters: PortfolioFilters,
    today: date,
    limit_pct: Decimal,
    reporting: str | None = None,
    dimensions=DIMENSIONS,
    details: bool = True,
) -> dict:
    """Everything the portfolio page shows, summed by the database with the same spend rules as
    the exports; `converted` is the spend in the reporting currency (the setting's unless
    `reporting`); `by` holds the roll-ups of `dimensions` only. Without `details` (for the API's
    totals) the concentration, the engagements not counted and the trend are left empty."""
    spend = portfolio_sums(filters, dimensions, vendors=details)
    if details:
        spend.not_counted = engagement_money(filters, not_counted_condition())
    return {
        "months": spend.months,
        "totals": spend.totals,
        "converted": convert_amounts(
            spend.amounts(), reporting or current_reporting_currency(), filters.last_month
        ),
        "by": spend.by,
        "savings": spend.savings,
        "concentration": vendor_shares(spend.by_vendor, limit_pct),
        "not_counted": spend.not_counted,
        "engagements": spend.engagements,
        "trend": _quality_trend(filters, today) if details else [],
    }
