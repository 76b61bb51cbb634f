"""Demo risks and a demo QBR, drawn from the challenges the seed documents list per model.

BPO challenges (seed documents): maintaining data security, high turnover affecting continuity,
consistent service quality. KPO challenges: recruiting and retaining skilled professionals,
quality control of the insights delivered, communication across languages and time zones.
Review dates are offsets in days from `today`; running it again adds nothing already there.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.auth.services import user_by_email
from vendor_tracker.demo import demo_engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import ExchangeRate, Qbr, QbrActionItem, Risk
from vendor_tracker.reporting.scorecard import previous_quarter, quarter_of

MARIA = "maria.manager@example.com"
SAM = "sam.sourcing@example.com"

# (title, category, description, likelihood, impact, mitigation, status, review offset days)
BPO_RISKS = (
    (
        "Customer data exposed at the delivery center",
        "data_security",
        "Agents handle card and account data; a leak would breach our privacy obligations.",
        2,
        5,
        "Clean-desk policy, no phones on the floor, quarterly access reviews; ISO 27001 kept.",
        "mitigating",
        21,
    ),
    (
        "Agent turnover erodes continuity",
        "attrition",
        "High attrition means new agents on the queue and longer handling times.",
        4,
        3,
        "Attrition reported monthly; retention bonus at 6 months; knowledge base kept current.",
        "open",
        -4,
    ),
    (
        "Inconsistent service quality across shifts",
        "quality_control",
        "Night shifts score lower on quality audits than day shifts.",
        3,
        3,
        "Calibration sessions every two weeks; quality audits sampled per shift.",
        "open",
        30,
    ),
)
KPO_RISKS = (
    (
        "Key analysts leave mid-engagement",
        "attrition",
        "The work rests on a few senior analysts; replacing one takes months.",
        3,
        4,
        "Named key personnel in the contract; a second analyst shadows each workstream.",
        "open",
        14,
    ),
    (
        "Insights delivered without enough quality control",
        "quality_control",
        "Reports go out with unchecked figures; decisions may rest on wrong numbers.",
        3,
        5,
        "Rubric review of every deliverable; the vendor's second-reader check before sending.",
        "mitigating",
        0,
    ),
    (
        "Communication gaps across time zones",
        "communication",
        "Four to nine hours apart: questions wait a day and reviews slip.",
        4,
        2,
        "Overlap hour fixed in both calendars; weekly touchpoint with minutes and action items.",
        "open",
        45,
    ),
)
DEMO_ENGAGEMENTS = (
    ("Concentrix", "Customer support - North America voice", BPO_RISKS, MARIA),
    ("Teleperformance", "Technical support - tiers 1 and 2", BPO_RISKS, MARIA),
    ("Wipro BPO", "Accounts payable and payroll operations", BPO_RISKS, SAM),
    ("Genpact", "Equity research and valuation support", KPO_RISKS, SAM),
    ("Evalueserve", "Competitive landscape research", KPO_RISKS, MARIA),
    ("PwC", "Commercial contract review", KPO_RISKS, SAM),
)


def _seed_risks(today: date) -> int:
    created = 0
    for vendor_name, title, risks, owner_email in DEMO_ENGAGEMENTS:
        engagement = demo_engagement(vendor_name, title)
        if engagement is None:
            continue
        owner = user_by_email(owner_email)
        existing = set(
            db.session.execute(
                select(Risk.title).where(Risk.vendor_id == engagement.vendor_id)
            ).scalars()
        )
        for name, category, text, likelihood, impact, mitigation, status, review in risks:
            if name in existing:
                continue
            db.session.add(
                Risk(
                    vendor_id=engagement.vendor_id,
                    engagement_id=engagement.id,
                    title=name,
                    category=category,
                    description=text,
                    likelihood=likelihood,
                    impact=impact,
                    mitigation=mitigation,
                    owner_id=owner.id if owner else None,
                    status=status,
                    next_review_on=today + timedelta(days=review),
                )
            )
            created += 1
    return created


def _seed_qbr(today: date) -> int:
    engagement = demo_engagement("Concentrix", "Customer support - North America voice")
    if engagement is None:
        return 0
    period = previous_quarter(today)
    year, quarter = quarter_of(period.first_day)
    found = db.session.execute(
        select(Qbr.id).where(
            Qbr.vendor_id == engagement.vendor_id, Qbr.year == year, Qbr.quarter == quarter
        )
    ).first()
    if found:
        return 0
    qbr = Qbr(
        vendor_id=engagement.vendor_id,
        year=year,
        quarter=quarter,
        held_on=period.last_day + timedelta(days=10),
        attendees="Maria Okafor (vendor management), Sam Lindqvist (sourcing), "
        "Concentrix account director and operations lead",
        decisions="Keep the 80/20 service level; pilot chat deflection for password resets.",
        notes="Invented demo notes. Attrition is the main concern; quality audits improved.",
    )
    qbr.action_items = [
        QbrActionItem(
            description="Share the attrition reduction plan with monthly targets",
            owner="Concentrix operations lead",
            due_on=today - timedelta(days=5),
        ),
        QbrActionItem(
            description="Scope the chat-deflection pilot",
            owner="Maria Okafor",
            due_on=today + timedelta(days=20),
        ),
    ]
    db.session.add(qbr)
    return 1


# Invented month rates to USD (the default reporting currency) for the demo's other currencies:
# a base and a small wobble, so the portfolio shows one converted total. Not published figures.
DEMO_RATES = {
    "EUR": (Decimal("1.0800"), Decimal("0.0040")),
    "GBP": (Decimal("1.2700"), Decimal("0.0050")),
}
RATE_MONTHS = 18  # back from last month: every demo engagement's spend in the default 12 months
DEMO_SOURCE = "Demo figure (invented, month-end style), not a published rate"


def _seed_rates(today: date) -> int:
    """Rates for the months before this one; this month falls back to last month's rate."""
    if db.session.execute(select(ExchangeRate.id).limit(1)).first():
        return 0
    month = today.replace(day=1)
    added = 0
    for back in range(1, RATE_MONTHS + 1):
        index = month.year * 12 + month.month - 1 - back
        first = date(index // 12, index % 12 + 1, 1)
        for currency, (base, step) in DEMO_RATES.items():
            rate = base + step * (back % 5 - 2)
            db.session.add(
                ExchangeRate(month=first, currency=currency, rate=rate, source=DEMO_SOURCE)
            )
            added += 1
    return added


def seed_demo(today: date) -> dict:
    """Demo risks for every demo engagement, one QBR and monthly exchange rates; idempotent."""
    risks = _seed_risks(today)
    qbrs = _seed_qbr(today)
    rates = _seed_rates(today)
    db.session.flush()
    return {"risks": risks, "QBRs": qbrs, "exchange rates": rates}
