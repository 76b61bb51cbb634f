"""Builders for reporting rows: risks, QBRs and their action items."""

from datetime import date, timedelta

from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import Qbr, QbrActionItem, Risk


def make_risk(
    vendor,
    title="Data breach at the delivery center",
    likelihood=3,
    impact=4,
    status="open",
    category="data_security",
    next_review_on=None,
    engagement=None,
    **kw,
):
    risk = Risk(
        vendor_id=vendor.id,
        engagement_id=engagement.id if engagement else None,
        title=title,
        category=category,
        likelihood=likelihood,
        impact=impact,
        status=status,
        next_review_on=next_review_on or date.today() + timedelta(days=30),
        **kw,
    )
    db.session.add(risk)
    db.session.flush()
    return risk


def make_qbr(vendor, year=2026, quarter=3, held_on=None, **kw):
    qbr = Qbr(
        vendor_id=vendor.id,
        year=year,
        quarter=quarter,
        held_on=held_on or date(year, 3 * quarter, 15),
        **kw,
    )
    db.session.add(qbr)
    db.session.flush()
    return qbr


def make_action_item(
    qbr,
    description="Send the revised staffing plan",
    owner="Vendor lead",
    due_on=None,
    status="open",
):
    item = QbrActionItem(
        qbr=qbr,
        description=description,
        owner=owner,
        due_on=due_on or date.today() + timedelta(days=14),
        status=status,
    )
    db.session.add(item)
    db.session.flush()
    return item


def stored_scorecards_agree(today: date | None = None) -> list[str]:
    """Differences between the stored vendor scorecards and answers a reader would use and a
    fresh computation (a write that changed their figures must have made them stale), then
    store them again so the next write is checked against rows that exist: every standard
    period's scorecards, the portfolio page's answer (by vendor) and the BPO portfolio's
    rankings by attainment (the ones results change; `test_stored_answers` covers the rest)."""
    from vendor_tracker.core import stored_answers
    from vendor_tracker.engagements.bpo.portfolio import portfolio as bpo_portfolio
    from vendor_tracker.engagements.bpo.portfolio_reads import RATED
    from vendor_tracker.reporting import score_store
    from vendor_tracker.reporting.portfolio_answers import stored_portfolio
    from vendor_tracker.reporting.services import scorecard_settings
    from vendor_tracker.reporting.spend_services import PortfolioFilters

    today = today or date.today()
    settings = scorecard_settings()
    found = score_store.check(today) + stored_answers.check(today)
    score_store.fresh_scores(score_store.standard_periods(today), today, settings)
    filters = PortfolioFilters.from_args({}, today)
    limit = settings.concentration_limit_pct
    stored_portfolio(filters, today, limit, settings.reporting_currency, ("vendor",))
    for sort in RATED:
        bpo_portfolio(today, sort=sort, direction="desc")
    return found
