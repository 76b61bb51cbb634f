"""BPO figures other packages show: per-vendor summaries and needs-attention items."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.engagements.bpo.compliance import evaluate_engagement
from vendor_tracker.engagements.bpo.credits import EarnBack
from vendor_tracker.engagements.bpo.services import (
    credit_terms,
    engagement_url,
    level_inputs_for,
    load_results,
)
from vendor_tracker.engagements.bpo.sla import MonthStatus, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model


def _evaluate_many(engagements: list[Engagement], first: date, last: date, today: date):
    """Evaluate several engagements with three queries in all; yields (engagement, report)."""
    ids = [e.id for e in engagements]
    levels = level_inputs_for(ids)
    results = load_results(ids, first, max(first_of_month(today), first_of_month(first)))
    for engagement in engagements:
        yield (
            engagement,
            evaluate_engagement(
                levels[engagement.id],
                results[engagement.id],
                engagement.start_date,
                engagement.end_date,
                first,
                last,
                today,
                credit_terms(engagement),
            ),
        )


def vendor_summary(
    vendor_ids: list[int], first_month: date, last_month: date, today: date
) -> dict[int, dict]:
    """Per vendor: met/reported/expected level-months, attainment %, breaches, credits payable."""
    if not vendor_ids:
        return {}
    engagements = list(
        db.session.execute(
            select(Engagement).where(
                Engagement.vendor_id.in_(vendor_ids), Engagement.kind == Model.BPO
            )
        ).scalars()
    )
    summary: dict[int, dict] = {}
    for engagement, report in _evaluate_many(engagements, first_month, last_month, today):
        entry = summary.setdefault(
            engagement.vendor_id,
            {"met": 0, "reported": 0, "expected": 0, "breaches": 0, "credits_payable": {}},
        )
        overall = report.overall
        entry["met"] += overall.met
        entry["reported"] += overall.reported
        entry["expected"] += overall.expected
        entry["breaches"] += sum(
            1
            for level in report.levels
            for cell in level.cells.values()
            if cell.status is MonthStatus.BREACH
        )
        payable = report.ledger.payable
        if payable:
            credits = entry["credits_payable"]
            credits[engagement.currency] = credits.get(engagement.currency, Decimal("0")) + payable
    for entry in summary.values():
        entry["attainment"] = (
            100.0 * entry["met"] / entry["reported"] if entry["reported"] else None
        )
    return summary


def attention(today: date) -> list[dict]:
    """One item per active BPO engagement with breaches last month or credits pending."""
    last_month = shift_month(first_of_month(today), -1)
    engagements = list(
        db.session.execute(
            select(Engagement)
            .options(joinedload(Engagement.vendor))
            .where(Engagement.kind == Model.BPO, Engagement.status == EngagementStatus.ACTIVE)
        ).scalars()
    )
    first = shift_month(last_month, -11)
    items = []
    for engagement, report in _evaluate_many(engagements, first, last_month, today):
        label = f"{engagement.vendor.name} · {engagement.title}"
        url = engagement_url(engagement.id)
        breaches = [
            lr.level.name
            for lr in report.levels
            if (cell := lr.cell(last_month)) and cell.status is MonthStatus.BREACH
        ]
        if breaches:
            items.append(
                {
                    "kind": "bpo_breach",
                    "title": f"{len(breaches)} service level breach"
                    f"{'es' if len(breaches) > 1 else ''} in {last_month:%b %Y}",
                    "detail": f"{label}: {', '.join(breaches)}",
                    "url": url,
                    "due": None,
                }
            )
        pending = [c for c in report.ledger.credits() if c.state is EarnBack.PENDING]
        if pending:
            amount = sum((c.amount for c in pending), Decimal("0.00"))
            window = engagement.earn_back_months or 0
            resolves = max(shift_month(c.month, window + 1) for c in pending) - timedelta(days=1)
            items.append(
                {
                    "kind": "bpo_credit_pending",
                    "title": f"{engagement.currency} {amount:,.2f} of service credits pending "
                    "earn-back",
                    "detail": f"{label}: "
                    + ", ".join(f"{c.level_name} ({c.month:%b %Y})" for c in pending),
                    "url": url,
                    "due": resolves,
                }
            )
    return items
