"""Portfolio and spend: load engagement figures in one query, apply the spend rules."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, literal, select, union_all

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
    """Portfolio-wide attainment, quality and on-time rate for the last quarters in the period."""
    from vendor_tracker.engagements.kpo.portfolio_reads import portfolio_period_summaries

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
    # Both sides are portfolio-wide sums in SQL, not vendor by vendor: BPO met and reported,
    # and the KPO period summary of every deliverable of the vendors reports cover.
    spans = [(p.first_day, p.last_day) for p in quarters]
    kpo = portfolio_period_summaries(spans, today)
    bpo = _bpo_met_reported(quarters)
    return [
        _trend_point(period, counts, summary)
        for period, counts, summary in zip(quarters, bpo, kpo, strict=True)
    ]


def _bpo_met_reported(periods: list[Period]) -> list[tuple[int, int]]:
    """(met, reported) of the BPO engagements of every vendor reports cover (not offboarded),
    per period, from the monthly rollups: one grouped query, one row per period."""
    from vendor_tracker.engagements.bpo.rollup_events import settle
    from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup as Rollup
    from vendor_tracker.vendors.rules import Model, VendorStatus

    if not periods:
        return []
    settle(db.session)
    parts = [
        select(literal(index), func.sum(Rollup.met), func.sum(Rollup.reported))
        .join(Engagement, Engagement.id == Rollup.engagement_id)
        .join(Vendor, Vendor.id == Engagement.vendor_id)
        .where(
            Engagement.kind == Model.BPO,
            Vendor.status != VendorStatus.OFFBOARDED,
            Rollup.month >= period.first_month,
            Rollup.month <= period.last_month,
        )
        for index, period in enumerate(periods)
    ]
    found = [(0, 0)] * len(periods)
    for index, met, reported in db.session.execute(union_all(*parts)):
        found[index] = (int(met or 0), int(reported or 0))
    return found


def _trend_point(period: Period, bpo: tuple[int, int], kpo) -> dict:
    """One quarter of the trend: attainment weighted by reports; the KPO mean quality of the
    deliverables accepted and the on-time rate of those due (`review.period_summary` of the
    whole portfolio); None where nothing feeds a figure."""
    met, reported = bpo
    return {
        "period": period,
        "attainment": 100 * met / reported if reported else None,
        "reported": reported,
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
