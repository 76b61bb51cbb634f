"""Demo data: the seed documents' conference organizer, sourcing its two processes.

Calling the contacts from a pitch script is BPO; researching and verifying the contact
database needs judgement and industry knowledge, so it is KPO. The research request is scored by
two evaluators so the results, sensitivity and decision record have something to show.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from vendor_tracker.auth.services import user_by_email
from vendor_tracker.extensions import db
from vendor_tracker.selection import services
from vendor_tracker.selection.models import SourcingRequest
from vendor_tracker.vendors.models import ServiceLine, Vendor

CALLING = "Conference invitations: calling our contacts from a script"
RESEARCH = "Conference contact database: research and verify"

CALLING_ANSWERS = dict(
    checklist=1,
    complexity=1,
    volume=1,
    specialization=1,
    strategic=1,
    collaboration=2,
    unpredictability=1,
    output=1,
)
RESEARCH_ANSWERS = dict(
    checklist=5,
    complexity=4,
    volume=3,
    specialization=4,
    strategic=3,
    collaboration=3,
    unpredictability=4,
    output=3,
)
# criterion code -> scores of (Evalueserve, Genpact, PwC) by each evaluator
RESEARCH_SCORES = {
    "maria.manager@example.com": {
        "expertise": (5, 4, 4),
        "sample_quality": (4, 4, 3),
        "collaboration": (4, 3, 3),
        "confidentiality": (4, 5, 4),
        "price": (3, 4, 2),
        "continuity": (4, 3, 2),
    },
    "sam.sourcing@example.com": {
        "expertise": (4, 4, 5),
        "sample_quality": (5, 3, 3),
        "collaboration": (4, 4, 3),
        "confidentiality": (4, 4, 4),
        "price": (3, 4, 2),
        "continuity": (2, 3, 2),
    },
}
COMMENTS = {
    ("maria.manager@example.com", "continuity", 0): "Stable research team since 2023.",
    ("sam.sourcing@example.com", "continuity", 0): "Two leads left last quarter.",
    ("sam.sourcing@example.com", "price", 1): "Volume discount offered on re-verification.",
}


def _line(code: str) -> ServiceLine:
    return db.session.execute(select(ServiceLine).where(ServiceLine.code == code)).scalar_one()


def _vendor(name: str) -> Vendor | None:
    return db.session.execute(
        select(Vendor).where(Vendor.name_key == name.lower())
    ).scalar_one_or_none()


def _request(title: str, **fields) -> tuple[SourcingRequest, bool]:
    found = db.session.execute(
        select(SourcingRequest).where(SourcingRequest.title == title)
    ).scalar_one_or_none()
    if found is not None:
        return found, False
    record = SourcingRequest(title=title, **fields)
    db.session.add(record)
    db.session.flush()
    return record, True


def seed_demo(today: date) -> dict:
    """Create the two conference-organizer requests once; running again adds nothing."""
    owner = user_by_email("maria.manager@example.com")
    calling, created_calling = _request(
        CALLING,
        description=(
            "Call the contacts in our conference database to tell them about new events and "
            "sign them up. Agents follow a checklist with a pitch script; no research needed."
        ),
        volume_scope="About 40,000 outbound calls a month, 4 events a year",
        service_line=_line("telemarketing_sales"),
        owner=owner,
        budget=Decimal("180000.00"),
        currency="USD",
        needed_by=today + timedelta(days=75),
    )
    research, created_research = _request(
        RESEARCH,
        description=(
            "Grow our database of industry contacts and keep it current: find who has moved, "
            "verify details and research new people per sector. A checklist cannot do this; it "
            "needs judgement and an understanding of each industry."
        ),
        volume_scope="About 8,000 contacts researched and verified per quarter",
        service_line=_line("market_research"),
        owner=owner,
        budget=Decimal("60000.00"),
        currency="USD",
        needed_by=today + timedelta(days=45),
    )
    if created_calling:
        services.save_answers(calling, CALLING_ANSWERS)
        for name in ("Concentrix", "Teleperformance"):
            vendor = _vendor(name)
            if vendor:
                services.add_candidate(calling, vendor.id)
        services.apply_template(calling, "BPO")
    if created_research:
        services.save_answers(research, RESEARCH_ANSWERS)
        vendors = [_vendor(n) for n in ("Evalueserve", "Genpact", "PwC")]
        for vendor in vendors:
            if vendor:
                services.add_candidate(research, vendor.id)
        services.apply_template(research, "KPO")
        if all(vendors):
            _score_research(research)
    db.session.flush()
    return {"sourcing requests": int(created_calling) + int(created_research)}


def _score_research(record: SourcingRequest) -> None:
    candidates = list(record.candidates)
    criteria = {c.code: c for c in record.criteria}
    for email, table in RESEARCH_SCORES.items():
        evaluator = user_by_email(email)
        if evaluator is None:
            continue
        cells = {}
        for code, values in table.items():
            for index, value in enumerate(values):
                comment = COMMENTS.get((email, code, index), "")
                cells[(candidates[index].id, criteria[code].id)] = (value, comment)
        services.submit_sheet(record, evaluator.id, cells)
