"""Service-credit disputes: the provider disputes a credit, a client manager upholds or waives it.

Waived credits are read by every consumer of the ledger through `waivers_for` (one query for
any number of engagements) and passed to the pure `credits.credit_ledger`.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from vendor_tracker.auth.scope import scope_filter
from vendor_tracker.core.models import utcnow
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import notices
from vendor_tracker.engagements.bpo.credits import EarnBack
from vendor_tracker.engagements.bpo.models import CreditDispute, ServiceLevel
from vendor_tracker.engagements.bpo.reporting_rules import (
    REASON_MAX,
    Decision,
    DisputeCategory,
    DisputeState,
    credit_dispute_problem,
    resolve_problem,
    resolved_state,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

NOTE_MAX = 2000


def waivers_for(engagement_ids: Iterable[int]) -> dict[int, frozenset[tuple[int, date]]]:
    """{engagement id: {(service level id, month) of each waived credit}}, in one query (also
    for no engagement, so that callers' query counts do not depend on the data)."""
    ids = list(dict.fromkeys(engagement_ids))
    found: dict[int, set[tuple[int, date]]] = {eid: set() for eid in ids}
    rows = db.session.execute(
        select(
            CreditDispute.engagement_id, CreditDispute.service_level_id, CreditDispute.period
        ).where(CreditDispute.engagement_id.in_(ids), CreditDispute.state == DisputeState.WAIVED)
    )
    for engagement_id, level_id, period in rows:
        found[engagement_id].add((level_id, period))
    return {eid: frozenset(keys) for eid, keys in found.items()}


def _with_people(stmt):
    return stmt.options(
        joinedload(CreditDispute.service_level),
        joinedload(CreditDispute.raised_by),
        joinedload(CreditDispute.resolved_by),
        joinedload(CreditDispute.engagement).joinedload(Engagement.vendor),
    )


def disputes_of(engagement_id: int) -> list[CreditDispute]:
    """Every credit dispute of an engagement, newest month first, in one query."""
    return list(
        db.session.execute(
            _with_people(select(CreditDispute))
            .where(CreditDispute.engagement_id == engagement_id)
            .order_by(CreditDispute.period.desc(), CreditDispute.id.desc())
        ).scalars()
    )


def disputes_query(state: DisputeState | None = None, vendor_id: int | None = None):
    """A select of the credit disputes the signed-in user may see (a provider: their vendor's),
    oldest first."""
    stmt = (
        _with_people(select(CreditDispute))
        .join(Engagement, Engagement.id == CreditDispute.engagement_id)
        .where(scope_filter(Engagement.vendor_id))
        .order_by(CreditDispute.raised_at, CreditDispute.id)
    )
    if state is not None:
        stmt = stmt.where(CreditDispute.state == state)
    if vendor_id is not None:
        stmt = stmt.where(Engagement.vendor_id == vendor_id)
    return stmt


def open_disputes_for_vendor(vendor_id: int) -> list[tuple[str, str, date, str]]:
    """(engagement title, service level, month, category label) of a vendor's open disputes."""
    rows = db.session.execute(
        select(Engagement.title, ServiceLevel.name, CreditDispute.period, CreditDispute.category)
        .join(Engagement, Engagement.id == CreditDispute.engagement_id)
        .join(ServiceLevel, ServiceLevel.id == CreditDispute.service_level_id)
        .where(Engagement.vendor_id == vendor_id, CreditDispute.state == DisputeState.OPEN)
        .order_by(CreditDispute.period, Engagement.title, ServiceLevel.name)
    )
    return [(t, n, p, DisputeCategory(c).label) for t, n, p, c in rows]


def dispute_in_scope(dispute_id: int) -> CreditDispute | None:
    """The dispute, or None when it does not exist or belongs to another vendor."""
    return db.session.execute(
        _with_people(select(CreditDispute))
        .join(Engagement, Engagement.id == CreditDispute.engagement_id)
        .where(CreditDispute.id == dispute_id, scope_filter(Engagement.vendor_id))
    ).scalar_one_or_none()


def raise_dispute(
    engagement: Engagement,
    level_id: int,
    month: date,
    category: str,
    reason: str,
    user_id: int | None,
    today: date,
) -> CreditDispute:
    """Record a provider's dispute of one credit; the caller commits. Refuses (409) a month
    without that credit, an earned-back one, or one with an open or waived dispute."""
    from vendor_tracker.engagements.bpo.services import compliance_report

    text = (reason or "").strip()
    if not text or len(text) > REASON_MAX:
        problem = "Say why the credit is not owed." if not text else "Too long."
        raise Refusal("The dispute needs a reason.", {"reason": problem})
    if category not in {c.value for c in DisputeCategory}:
        raise Refusal("Choose a category.", {"category": "Choose a category."})
    ledger = compliance_report(engagement, month, month, today).ledger
    credit = next((c for c in ledger.credits() if c.level_id == level_id), None)
    states = db.session.execute(
        select(CreditDispute.state).where(
            CreditDispute.engagement_id == engagement.id,
            CreditDispute.service_level_id == level_id,
            CreditDispute.period == month,
        )
    ).scalars()
    problem = credit_dispute_problem(
        credit is not None, credit is not None and credit.state is EarnBack.EARNED, states
    )
    if problem:
        raise Refusal(problem, {"service_level_id": problem}, conflict=True)
    dispute = CreditDispute(
        engagement_id=engagement.id,
        service_level_id=level_id,
        period=month,
        category=DisputeCategory(category),
        reason=text,
        state=DisputeState.OPEN,
        raised_by_id=user_id,
    )
    db.session.add(dispute)
    db.session.flush()
    notices.dispute_opened(dispute, user_id)
    return dispute


def resolve_dispute(dispute: CreditDispute, decision: str, note: str, user_id: int) -> None:
    """A client manager upholds or waives an open dispute; the caller commits."""
    if problem := resolve_problem(dispute.state):
        raise Refusal(problem, conflict=True)
    if decision not in {d.value for d in Decision}:
        raise Refusal("Choose upheld or waived.", {"decision": "Choose upheld or waived."})
    text = (note or "").strip()
    if len(text) > NOTE_MAX:
        raise Refusal("The note is too long.", {"note": f"At most {NOTE_MAX} characters."})
    if Decision(decision) is Decision.WAIVED and not text:
        raise Refusal("Say why the credit is waived.", {"note": "Say why the credit is waived."})
    dispute.state = resolved_state(dispute.state, Decision(decision))
    dispute.note = text
    dispute.resolved_by_id = user_id
    dispute.resolved_at = utcnow()
    db.session.flush()
    notices.dispute_resolved(dispute, user_id)
