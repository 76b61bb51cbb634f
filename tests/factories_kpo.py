"""Builders for KPO rows: deliverables with rounds, touchpoints with action items."""

from datetime import date, timedelta
from decimal import Decimal

from tests.factories import make_engagement
from vendor_tracker.engagements.kpo import services
from vendor_tracker.engagements.kpo.models import (
    ActionItem,
    Deliverable,
    Review,
    ReviewScore,
    Submission,
    Touchpoint,
)
from vendor_tracker.engagements.kpo.review import Decision, DeliverableType
from vendor_tracker.extensions import db


def make_kpo_engagement(vendor=None, rubric=True, **kw):
    """A KPO engagement with the default rubric (unless rubric=False)."""
    engagement = make_engagement(vendor=vendor, kind="KPO", **kw)
    if rubric:
        services.ensure_rubric(engagement)
    return engagement


def make_deliverable(engagement, title="Sector report", due_on=date(2026, 3, 31), **kw):
    kw.setdefault("type", DeliverableType.REPORT)
    deliverable = Deliverable(engagement_id=engagement.id, title=title, due_on=due_on, **kw)
    db.session.add(deliverable)
    db.session.flush()
    return deliverable


def add_round(
    deliverable,
    submitted_on,
    reviewed_on=None,
    decision=None,
    quality=None,
    hours=None,
    reviewer=None,
    scores=(),
):
    """Append a version (and its review when `decision` is given) without going through rules."""
    version = len(deliverable.submissions) + 1
    submission = Submission(
        deliverable=deliverable,
        version=version,
        submitted_on=submitted_on,
        effort_hours=Decimal(str(hours)) if hours is not None else None,
        summary=f"Version {version}",
    )
    db.session.add(submission)
    if decision is not None:
        submission.review = Review(
            deliverable_id=deliverable.id,
            reviewer_id=reviewer.id if reviewer else None,
            reviewed_on=reviewed_on or submitted_on,
            decision=Decision(decision),
            feedback="" if decision == "accepted" else "Please revise.",
            quality_score=Decimal(str(quality)) if quality is not None else None,
            scores=[ReviewScore(criterion_name=n, weight=w, score=s) for n, w, s in scores],
        )
    db.session.flush()
    return submission


def make_deliverable_with_rounds(engagement, rounds: int, decision="accepted", start=None, **kw):
    """A deliverable with `rounds` versions: changes requested until the last, then `decision`."""
    start = start or date(2026, 3, 1)
    deliverable = make_deliverable(engagement, **kw)
    day = start
    for n in range(1, rounds + 1):
        last = n == rounds
        add_round(
            deliverable,
            day,
            day + timedelta(days=2),
            decision if last else "changes_requested",
            quality=50 + 10 * n,
            hours=10,
        )
        day += timedelta(days=5)
    return deliverable


def make_touchpoint(engagement, held_on=date(2026, 3, 1), items=()):
    touchpoint = Touchpoint(
        engagement_id=engagement.id, held_on=held_on, type="working_session", notes="Notes"
    )
    touchpoint.action_items = [
        ActionItem(engagement_id=engagement.id, text=text, owner=owner, due_on=due, done=done)
        for text, owner, due, done in items
    ]
    db.session.add(touchpoint)
    db.session.flush()
    return touchpoint


def make_provider_user(vendor_id, email="kpo.provider@example.com", password=None, name=""):
    """A provider's user bound to `vendor_id` (signs in with `password`, default the tests')."""
    from tests.conftest import PASSWORD
    from vendor_tracker.auth.services import create_user

    user = create_user(email, password or PASSWORD, "provider", name, vendor_id=vendor_id)
    db.session.flush()
    return user
