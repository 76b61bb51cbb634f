"""The exportable data sets: each reads the same filters as its page and uses the same rules."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.core.exports import Column
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.fx_export import portfolio_rows
from vendor_tracker.reporting.risk import risk_rating, risk_score
from vendor_tracker.reporting.scorecard import Component, parse_period
from vendor_tracker.reporting.spend import month_from_index, month_index
from vendor_tracker.vendors.rules import Model

Rows = tuple[list[str], list[list]]


@dataclass(frozen=True)
class DataSet:
    key: str
    title: str
    description: str
    filters: str  # which query arguments it honours, said for people
    build: Callable[[dict, date], Rows]


def _int(args, name) -> int | None:
    raw = str(args.get(name) or "").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 10 else None


def _month(args, name) -> date | None:
    raw = str(args.get(name) or "").strip()
    try:
        year, month = raw.split("-")
        return date(int(year), int(month), 1) if len(raw) == 7 else None
    except ValueError:
        return None


def month_window(args, today: date) -> tuple[date, date]:
    """?from=YYYY-MM&to=YYYY-MM, by default the current month and the eleven before it."""
    last = _month(args, "to") or today.replace(day=1)
    first = _month(args, "from") or month_from_index(month_index(last) - 11)
    if first > last:
        first, last = last, first
    if month_index(last) - month_index(first) >= 36:
        first = month_from_index(month_index(last) - 35)
    return first, last


def _engagements(args, kind: Model) -> list[Engagement]:
    stmt = (
        select(Engagement)
        .where(Engagement.kind == kind)
        .options(joinedload(Engagement.vendor))
        .order_by(Engagement.vendor_id, Engagement.title, Engagement.id)
    )
    if _int(args, "vendor_id"):
        stmt = stmt.where(Engagement.vendor_id == _int(args, "vendor_id"))
    if _int(args, "engagement_id"):
        stmt = stmt.where(Engagement.id == _int(args, "engagement_id"))
    return list(db.session.execute(stmt).scalars())


def _per_engagement_headers(columns: tuple[Column, ...]) -> list[str]:
    """A package's data set, one line per row of an engagement, led by vendor and engagement."""
    return ["Vendor", "Engagement", *(c.label for c in columns)]


# --- data sets -----------------------------------------------------------------------------


def vendors_rows(args, today: date) -> Rows:
    """The vendor list under the vendor page's filters, with this quarter's standing."""
    from vendor_tracker.reporting.services import vendor_standings
    from vendor_tracker.vendors.services import VendorFilters, vendor_query

    vendors = list(db.session.execute(vendor_query(VendorFilters.from_args(args))).scalars())
    standings = vendor_standings([v.id for v in vendors], today)
    headers = [
        "ID",
        "Name",
        "Status",
        "HQ country",
        "Models",
        "Service lines",
        "Attrition (%)",
        "Languages",
        "Website",
        "Standing (this quarter)",
        "Score (0-100)",
        "Trend",
    ]
    rows = []
    for v in vendors:
        s = standings.get(v.id, {})
        models = sorted({getattr(line.model, "value", line.model) for line in v.service_lines})
        rows.append(
            [
                v.id,
                v.name,
                v.status,
                v.hq_country,
                ", ".join(models),
                ", ".join(line.name for line in v.service_lines),
                v.attrition_pct,
                v.languages,
                v.website,
                s.get("band"),
                s.get("score"),
                s.get("trend"),
            ]
        )
    return headers, rows


def engagements_rows(args, _today: date) -> Rows:
    """The engagement list under the engagement page's filters."""
    from vendor_tracker.engagements.services import EngagementFilters, engagement_query

    engagements = db.session.execute(engagement_query(EngagementFilters.from_args(args)))
    headers = [
        "ID",
        "Vendor",
        "Title",
        "Kind",
        "Service line",
        "Status",
        "Start",
        "End",
        "Pricing model",
        "Currency",
        "Monthly fee",
        "Total contract value",
        "Baseline monthly cost",
        "Delivery shore",
        "At risk (% of fee)",
        "Earn-back (months)",
        "Owner",
    ]
    rows = [
        [
            e.id,
            e.vendor.name,
            e.title,
            e.kind,
            e.service_line.name,
            e.status,
            e.start_date,
            e.end_date,
            e.pricing_model,
            e.currency,
            e.monthly_fee,
            e.total_contract_value,
            e.baseline_monthly_cost,
            e.delivery_shore,
            e.at_risk_pct,
            e.earn_back_months,
            e.owner.display_name if e.owner else None,
        ]
        for e in engagements.scalars().unique()
    ]
    return headers, rows


def measurements_rows(args, today: date) -> Rows:
    """Every service level-month of BPO engagements with its result and status."""
    headers = [
        "Vendor",
        "Engagement",
        "Service level",
        "Classification",
        "Unit",
        "Direction",
        "Target",
        "Minimum",
        "Month",
        "Actual",
        "Volume",
        "Status",
    ]
    from vendor_tracker.engagements.bpo.bulk import measurement_rows

    first, last = month_window(args, today)
    engagements = _engagements(args, Model.BPO)
    cells = measurement_rows([e.id for e in engagements], first, last, today)
    rows = []
    for engagement in engagements:
        for level, cell in cells.get(engagement.id, []):
            rows.append(
                [
                    engagement.vendor.name,
                    engagement.title,
                    level.name,
                    level.terms.classification,
                    level.unit,
                    level.terms.direction,
                    level.terms.target,
                    level.terms.minimum,
                    cell.month.strftime("%Y-%m"),
                    cell.actual,
                    cell.volume,
                    cell.status,
                ]
            )
    return headers, rows


def credits_rows(args, today: date) -> Rows:
    """The service-credit ledger of BPO engagements, one line per engagement and month."""
    from vendor_tracker.engagements.bpo.bulk import credit_ledger_rows
    from vendor_tracker.engagements.bpo.exports import CREDITS_LEDGER_COLUMNS, ledger_line_cells

    first, last = month_window(args, today)
    engagements = _engagements(args, Model.BPO)
    ledgers = credit_ledger_rows([e.id for e in engagements], first, last, today)
    rows = []
    for engagement in engagements:
        ledger = ledgers.get(engagement.id)
        for line in ledger.months if ledger else ():
            rows.append(
                [
                    engagement.vendor.name,
                    engagement.title,
                    *ledger_line_cells(line, engagement.currency),
                ]
            )
    return _per_engagement_headers(CREDITS_LEDGER_COLUMNS), rows


def deliverables_rows(args, today: date) -> Rows:
    """KPO deliverables with their review-round figures."""
    from vendor_tracker.engagements.kpo.export import DELIVERABLE_COLUMNS, deliverable_cells
    from vendor_tracker.engagements.kpo.summaries import deliverable_rows

    engagements = _engagements(args, Model.KPO)
    found = deliverable_rows([e.id for e in engagements], today)
    rows = [
        [engagement.vendor.name, engagement.title, *deliverable_cells(d)]
        for engagement in engagements
        for d in found.get(engagement.id, [])
    ]
    return _per_engagement_headers(DELIVERABLE_COLUMNS), rows


def scorecards_rows(args, today: date) -> Rows:
    """Every vendor's scorecard for ?period= (a quarter such as 2026-Q3, or ttm)."""
    from vendor_tracker.reporting.services import all_vendor_ids, vendor_names, vendor_scorecards

    try:
        period = parse_period(args.get("period"), today)
    except ValueError:
        period = parse_period(None, today)
    ids = all_vendor_ids()
    names = vendor_names(ids)
    cards = vendor_scorecards(ids, period, today)
    headers = ["Vendor", "Period", "From", "To", "Score (0-100)", "Band"]
    for c in Component:
        headers += [f"{c.label} (%)", f"Sample ({c.unit})"]
    rows = []
    for vid in ids:
        card = cards[vid].card
        row = [names[vid], period.key, period.first_day, period.last_day, card.score, card.band]
        for c in Component:
            component = card.component(c)
            row += [component.value, component.sample]
        rows.append(row)
    return headers, rows


def risks_rows(args, today: date) -> Rows:
    """The risk register under the risk page's filters."""
    from vendor_tracker.reporting.risk_services import RiskFilters, risks_query

    risks = db.session.execute(risks_query(RiskFilters.from_args(args), today)).scalars()
    headers = [
        "ID",
        "Vendor",
        "Engagement",
        "Title",
        "Category",
        "Description",
        "Likelihood",
        "Impact",
        "Score",
        "Rating",
        "Mitigation",
        "Owner",
        "Status",
        "Next review",
        "Review overdue",
    ]
    rows = []
    for r in risks.unique():
        score = risk_score(r.likelihood, r.impact)
        overdue = (
            r.status.value != "closed"
            and r.next_review_on is not None
            and (r.next_review_on < today)
        )
        rows.append(
            [
                r.id,
                r.vendor.name,
                r.engagement.title if r.engagement else None,
                r.title,
                r.category.label,
                r.description,
                r.likelihood,
                r.impact,
                score,
                risk_rating(score),
                r.mitigation,
                r.owner.display_name if r.owner else None,
                r.status,
                r.next_review_on,
                overdue,
            ]
        )
    return headers, rows


DATASETS = {
    d.key: d
    for d in (
        DataSet(
            "vendors",
            "Vendors",
            "The provider registry with this quarter's standing.",
            "the vendor list's filters (q, model, service_line_id, status, country, sort)",
            vendors_rows,
        ),
        DataSet(
            "engagements",
            "Engagements",
            "Every engagement with its commercial terms.",
            "the engagement list's filters (kind, vendor_id, status, service_line_id, sort)",
            engagements_rows,
        ),
        DataSet(
            "measurements",
            "BPO measurements",
            "Every service level-month with its result and status.",
            "vendor_id, engagement_id, from and to (months, default the last 12)",
            measurements_rows,
        ),
        DataSet(
            "credits",
            "Credits ledger",
            "Service credits per BPO engagement and month, with earn-back and the cap.",
            "vendor_id, engagement_id, from and to (months, default the last 12)",
            credits_rows,
        ),
        DataSet(
            "deliverables",
            "KPO deliverables with rounds",
            "Each deliverable with its review rounds, first-pass and on-time figures.",
            "vendor_id, engagement_id",
            deliverables_rows,
        ),
        DataSet(
            "portfolio",
            "Portfolio spend",
            "Spend per vendor and currency, with the total in the reporting currency.",
            "the portfolio page's filters (from and to months, model, currency)",
            portfolio_rows,
        ),
        DataSet(
            "scorecards",
            "Scorecards",
            "Every vendor's scorecard with sample sizes.",
            "period (2026-Q3 or ttm)",
            scorecards_rows,
        ),
        DataSet(
            "risks",
            "Risks",
            "The risk register with scores and ratings.",
            "the risk list's filters (vendor_id, status, category, rating, overdue, sort)",
            risks_rows,
        ),
    )
}
