"""Demo deliverables, review rounds and collaboration logs for the three demo KPO engagements.

Every round goes through the same services the pages use, so the demo obeys the review rules.
Dates are offsets in days from `today`; running it again adds nothing already there.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from vendor_tracker.auth.services import user_by_email
from vendor_tracker.demo import demo_engagement
from vendor_tracker.demo.kpo_touchpoints import TOUCHPOINTS
from vendor_tracker.engagements.kpo import collaboration, services, writes
from vendor_tracker.engagements.kpo.models import ActionItem, Deliverable, Touchpoint
from vendor_tracker.engagements.kpo.review import DeliverableType
from vendor_tracker.extensions import db

MARIA = "maria.manager@example.com"
SAM = "sam.sourcing@example.com"
CR, OK, NO = "changes_requested", "accepted", "rejected"

# (submitted, reviewed, decision, scores for accuracy/depth/completeness/clarity/actionability,
#  hours, feedback); reviewed/decision None while in review.
GENPACT = (
    "Genpact",
    "Equity research and valuation support",
    [
        {
            "title": "Initiation report: European specialty chemicals",
            "type": DeliverableType.REPORT,
            "due": -200,
            "reviewer": MARIA,
            "description": "Coverage initiation on six listed specialty chemicals companies.",
            "rounds": [(-203, -198, OK, (5, 4, 5, 4, 4), 96, "")],
        },
        {
            "title": "DCF valuation model: Nordic utilities",
            "type": DeliverableType.FINANCIAL_MODEL,
            "due": -150,
            "reviewer": MARIA,
            "description": "Three-statement model with DCF and regulated-asset-base cross-check.",
            "rounds": [
                (
                    -155,
                    -150,
                    CR,
                    (2, 3, 3, 3, 2),
                    120,
                    "WACC inputs are stale; hydro capex missing for 2027-2029.",
                ),
                (
                    -143,
                    -139,
                    CR,
                    (3, 4, 4, 4, 3),
                    28,
                    "Sensitivity table does not flow from the scenario switch.",
                ),
                (-134, -132, OK, (5, 4, 5, 4, 4), 9, ""),
            ],
        },
        {
            "title": "Quarterly earnings preview pack, Q3",
            "type": DeliverableType.REPORT,
            "due": -60,
            "reviewer": SAM,
            "description": "Consensus versus our estimates for 24 names, with key debates.",
            "rounds": [
                (-62, -59, CR, (4, 3, 3, 4, 3), 54, "Add guidance history for the retailers."),
                (-55, -54, OK, (4, 4, 5, 4, 4), 8, ""),
            ],
        },
        {
            "title": "Comparable companies dataset: mid-cap industrials",
            "type": DeliverableType.DATASET,
            "due": 5,
            "reviewer": SAM,
            "description": "EV/EBITDA, P/E and growth for 60 peers, sourced and dated.",
            "rounds": [(-3, None, None, None, 40, "")],
        },
        {
            "title": "Sum-of-the-parts model: diversified holding company",
            "type": DeliverableType.FINANCIAL_MODEL,
            "due": 12,
            "reviewer": MARIA,
            "description": "Segment valuation with holding discount analysis.",
            "rounds": [
                (
                    -10,
                    -6,
                    CR,
                    (3, 3, 2, 3, 3),
                    70,
                    "Insurance arm valued on book; use embedded value as agreed at kick-off.",
                )
            ],
        },
        {
            "title": "Sector outlook 2027: semiconductors",
            "type": DeliverableType.RESEARCH_BRIEF,
            "due": 40,
            "reviewer": SAM,
            "description": "Cycle position, capex plans and pricing outlook.",
            "rounds": [],
        },
    ],
)

EVALUESERVE = (
    "Evalueserve",
    "Competitive landscape research",
    [
        {
            "title": "Competitor profiles: top 8 players in industrial IoT",
            "type": DeliverableType.REPORT,
            "due": -170,
            "reviewer": SAM,
            "description": "Strategy, offering, pricing signals and recent moves per competitor.",
            "rounds": [(-172, -168, OK, (4, 4, 4, 5, 4), 110, "")],
        },
        {
            "title": "Market sizing: predictive maintenance software",
            "type": DeliverableType.RESEARCH_BRIEF,
            "due": -120,
            "reviewer": MARIA,
            "description": "Top-down and bottom-up sizing for EMEA and North America, 2025-2030.",
            "rounds": [
                (
                    -118,
                    -112,
                    CR,
                    (2, 2, 3, 3, 2),
                    80,
                    "Bottom-up build double counts installed base; reconcile with top-down.",
                ),
                (-104, -99, CR, (3, 3, 4, 3, 3), 24, "CAGR assumptions need sources."),
                (-92, -90, OK, (4, 4, 4, 4, 4), 10, ""),
            ],
        },
        {
            "title": "Pricing benchmark: SaaS analytics tiers",
            "type": DeliverableType.DATASET,
            "due": -75,
            "reviewer": SAM,
            "description": "List and discounted prices for 15 vendors' analytics tiers.",
            "rounds": [
                (
                    -76,
                    -70,
                    CR,
                    (2, 2, 2, 3, 2),
                    45,
                    "Half the prices are list prices from 2023; we need current discounted quotes.",
                ),
                (
                    -60,
                    -57,
                    NO,
                    (2, 1, 2, 3, 1),
                    18,
                    "Still no discounted quotes; the "
                    "benchmark cannot support the negotiation. Closing this deliverable.",
                ),
            ],
        },
        {
            "title": "Churn driver analysis: mid-market accounts",
            "type": DeliverableType.REPORT,
            "due": -30,
            "reviewer": MARIA,
            "description": "Why mid-market customers left in the last four quarters, by segment.",
            "rounds": [(-33, -28, OK, (5, 4, 4, 4, 4), 60, "")],
        },
        {
            "title": "Win/loss interview synthesis",
            "type": DeliverableType.REPORT,
            "due": -10,
            "reviewer": MARIA,
            "description": "Twelve buyer interviews synthesised into win/loss drivers.",
            # Changes requested and overdue: the provider's next version is awaited.
            "rounds": [
                (
                    -14,
                    -9,
                    CR,
                    (3, 3, 2, 4, 3),
                    48,
                    "Tie each driver to the interview evidence (quotes per driver) and split "
                    "wins from losses by segment.",
                )
            ],
        },
        {
            "title": "Patent landscape brief: edge AI",
            "type": DeliverableType.RESEARCH_BRIEF,
            "due": 10,
            "reviewer": SAM,
            "description": "Filing trends and white spaces in edge inference hardware.",
            "rounds": [(-2, None, None, None, 35, "")],
        },
    ],
)

PWC = (
    "PwC",
    "Commercial contract review",
    [
        {
            "title": "Supplier MSA review: 40 contracts, APAC",
            "type": DeliverableType.CONTRACT_REVIEW,
            "due": -180,
            "reviewer": MARIA,
            "description": "Liability caps, termination rights and price-adjustment clauses.",
            "rounds": [
                (
                    -183,
                    -178,
                    CR,
                    (3, 3, 3, 4, 3),
                    160,
                    "Liability caps table omits the six Japanese-language contracts.",
                ),
                (-172, -170, OK, (5, 4, 5, 4, 5), 30, ""),
            ],
        },
        {
            "title": "Change-of-control clause extraction",
            "type": DeliverableType.DATASET,
            "due": -95,
            "reviewer": SAM,
            "description": "Clause text, trigger and consequence for 220 customer contracts.",
            "rounds": [(-97, -96, OK, (5, 4, 5, 5, 4), 64, "")],
        },
        {
            "title": "Data protection addendum gap analysis",
            "type": DeliverableType.REPORT,
            "due": -20,
            "reviewer": MARIA,
            "description": "DPAs against the current standard contractual clauses.",
            "rounds": [
                (
                    -25,
                    -21,
                    CR,
                    (3, 2, 2, 3, 3),
                    50,
                    "Transfer impact assessments missing for the US processors.",
                )
            ],
        },
        {
            "title": "Renewal calendar and notice-period register",
            "type": DeliverableType.DATASET,
            "due": 30,
            "reviewer": SAM,
            "description": "Every renewal date and notice period, with owners.",
            "rounds": [],
        },
    ],
)


def _add_deliverable(engagement, spec: dict, today: date) -> bool:
    exists = db.session.execute(
        select(Deliverable.id).where(
            Deliverable.engagement_id == engagement.id, Deliverable.title == spec["title"]
        )
    ).first()
    if exists:
        return False
    reviewer = user_by_email(spec["reviewer"])
    deliverable = writes.create_deliverable(
        engagement,
        {
            "title": spec["title"],
            "type": spec["type"],
            "due_on": today + timedelta(days=spec["due"]),
            "lead_reviewer_id": reviewer.id if reviewer else None,
            "description": spec["description"],
        },
    )
    criteria = services.rubric_for(engagement.id)
    for submitted, reviewed, decision, scores, hours, feedback in spec["rounds"]:
        submission = writes.submit_version(
            deliverable,
            today + timedelta(days=submitted),
            "First version." if not deliverable.submissions else "Addresses the review comments.",
            f"DMS-{engagement.id:03d}-{deliverable.id:04d}-v{len(deliverable.submissions) + 1}",
            Decimal(hours),
            today,
        )
        if decision is None:
            continue
        writes.record_review(
            submission,
            reviewer,
            today + timedelta(days=reviewed),
            decision,
            feedback,
            {c.name: score for c, score in zip(criteria, scores, strict=False)},
            today,
        )
    return True


def _add_touchpoints(engagement, rows, today: date) -> int:
    count = db.session.execute(
        select(func.count())
        .select_from(Touchpoint)
        .where(Touchpoint.engagement_id == engagement.id)
    ).scalar_one()
    if count:
        return 0
    for held, kind, attendees, notes, items in rows:
        touchpoint = collaboration.add_touchpoint(
            engagement,
            {
                "held_on": today + timedelta(days=held),
                "type": kind,
                "attendees": attendees,
                "notes": notes,
            },
            [],
        )
        # An optional fifth value assigns the item to the provider's company.
        for text, owner, due, done, *for_provider in items:
            due_on = today + timedelta(days=due)
            db.session.add(
                ActionItem(
                    touchpoint=touchpoint,
                    engagement_id=engagement.id,
                    text=text,
                    owner=owner,
                    due_on=due_on,
                    done=done,
                    done_on=min(due_on, today) if done else None,
                    for_provider=bool(for_provider and for_provider[0]),
                )
            )
    db.session.flush()
    return len(rows)


def seed_demo(today: date) -> dict:
    """Deliverables with rounds and collaboration logs on the demo KPO engagements."""
    deliverables = touchpoints = 0
    for vendor_name, title, specs in (GENPACT, EVALUESERVE, PWC):
        engagement = demo_engagement(vendor_name, title)
        if engagement is None:
            continue
        services.ensure_rubric(engagement)
        for spec in specs:
            deliverables += _add_deliverable(engagement, spec, today)
        touchpoints += _add_touchpoints(engagement, TOUCHPOINTS[title], today)
    return {"KPO deliverables": deliverables, "KPO touchpoints": touchpoints}
