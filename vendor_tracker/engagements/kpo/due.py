"""What a provider has to deliver next: their open deliverables that are due soon or overdue.

Two queries whatever the number of deliverables: the deliverables, then their rounds.
"""

from datetime import date, timedelta

from sqlalchemy import select

from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.contracts import DueDeliverable
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.engagements.kpo.services import _group_rounds, _round_columns
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.vendors.rules import Model

# "Due" means due within this many days (overdue ones are always listed).
DUE_HORIZON_DAYS = 14
PROVIDER_MOVES = (rules.DeliverableStatus.NOT_SUBMITTED, rules.DeliverableStatus.CHANGES_REQUESTED)


def provider_due_deliverables(
    vendor_id: int,
    today: date,
    horizon_days: int = DUE_HORIZON_DAYS,
    engagement_id: int | None = None,
) -> list[DueDeliverable]:
    """Open (not accepted, not rejected) deliverables of the vendor's KPO engagements due by
    `today + horizon_days`, overdue ones included; earliest due first."""
    scope = [
        Engagement.vendor_id == vendor_id,
        Engagement.kind == Model.KPO,
        Deliverable.due_on <= today + timedelta(days=horizon_days),
    ]
    if engagement_id is not None:
        scope.append(Deliverable.engagement_id == engagement_id)
    deliverables = db.session.execute(
        select(
            Deliverable.id, Deliverable.title, Deliverable.due_on, Engagement.id, Engagement.title
        )
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(*scope)
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    rounds = _group_rounds(
        db.session.execute(
            _round_columns()
            .join(Deliverable, Deliverable.id == Submission.deliverable_id)
            .join(Engagement, Engagement.id == Deliverable.engagement_id)
            .where(*scope)
        ).all()
    )
    due: list[DueDeliverable] = []
    for d_id, title, due_on, e_id, e_title in deliverables:
        own = rounds.get(d_id, [])
        status = rules.deliverable_status(own)
        if status in rules.CLOSED:
            continue
        due.append(
            DueDeliverable(
                deliverable_id=d_id,
                title=title,
                engagement_id=e_id,
                engagement_title=e_title,
                due_on=due_on,
                status=status.value,
                overdue=rules.is_overdue(status, due_on, today),
                days_left=(due_on - today).days,
                provider_to_act=status in PROVIDER_MOVES,
                next_version=rules.next_version(own),
            )
        )
    return due


def vendor_has_kpo(vendor_id: int) -> bool:
    """True when the vendor has at least one KPO engagement."""
    stmt = select(Engagement.id).where(
        Engagement.vendor_id == vendor_id, Engagement.kind == Model.KPO
    )
    return db.session.execute(stmt.limit(1)).first() is not None
