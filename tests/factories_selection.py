"""Builders for selection rows: requests, answers, candidates, criteria and sheets."""

from decimal import Decimal

from sqlalchemy import select

from tests.factories import make_vendor, service_line
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.selection import services
from vendor_tracker.selection.models import Criterion, SourcingRequest

BPO_ANSWERS = dict(
    checklist=1,
    complexity=1,
    volume=1,
    specialization=1,
    strategic=1,
    collaboration=2,
    unpredictability=1,
    output=1,
)
KPO_ANSWERS = dict(
    checklist=5,
    complexity=4,
    volume=3,
    specialization=4,
    strategic=3,
    collaboration=3,
    unpredictability=4,
    output=3,
)


def user(role="manager"):
    return db.session.execute(select(User).where(User.email == f"{role}@example.com")).scalar_one()


def make_request(title="Outbound calling", line="telemarketing_sales", answers=None, **kw):
    record = SourcingRequest(
        title=title,
        description=kw.pop("description", "Call the contacts from a script."),
        service_line=service_line(line) if line else None,
        owner=kw.pop("owner", None) or user("manager"),
        currency=kw.pop("currency", "USD"),
        **kw,
    )
    db.session.add(record)
    db.session.flush()
    if answers:
        services.save_answers(record, answers)
    return record


def add_candidates(record, *vendors):
    for vendor in vendors:
        assert services.add_candidate(record, vendor.id) == {}
    return list(record.candidates)


def add_criteria(record, *pairs):
    for position, (name, weight) in enumerate(pairs, start=1):
        record.criteria.append(Criterion(name=name, weight=Decimal(str(weight)), position=position))
    db.session.flush()
    return list(record.criteria)


def submit(record, evaluator, table):
    """table: {candidate: {criterion: score}} for every cell."""
    cells = {(a.id, c.id): (v, "") for a, row in table.items() for c, v in row.items()}
    problems = services.submit_sheet(record, evaluator.id, cells)
    assert problems == {}, problems
    return record


def scored_request(line="telemarketing_sales", answers=None):
    """Two candidates, two criteria (60/40), two evaluators; A leads 62.5 to 37.5."""
    record = make_request(line=line, answers=answers or BPO_ANSWERS)
    a = make_vendor("Alpha Calls", lines=(line,))
    b = make_vendor("Beta Calls", lines=(line,))
    ca, cb = add_candidates(record, a, b)
    price, quality = add_criteria(record, ("Price", 60), ("Quality", 40))
    submit(record, user("manager"), {ca: {price: 5, quality: 1}, cb: {price: 1, quality: 5}})
    submit(record, user("admin"), {ca: {price: 4, quality: 2}, cb: {price: 2, quality: 4}})
    return record, (ca, cb), (price, quality)
