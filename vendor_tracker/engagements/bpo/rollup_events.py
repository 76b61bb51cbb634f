"""Keep the BPO monthly rollups current in the transaction of every ORM write.

After each flush the new, changed and deleted results, service levels, engagements and credit
disputes say which engagement-months changed (`rollups.touch`); before the transaction commits
(or when a reader calls `settle`) those months and the earn-back months before them are
recomputed from the pure rules. Bulk Core writes call `rollups.touch` themselves.
"""

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from vendor_tracker.core.database import listen_on_every_session
from vendor_tracker.core.hooks import note_rollups_changed
from vendor_tracker.engagements.bpo.models import CreditDispute, Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.rollups import TOUCHED, refresh, touch
from vendor_tracker.engagements.models import Engagement

# Engagement columns the rollups depend on (its window and its credit terms).
ENGAGEMENT_TERMS = (
    "kind",
    "start_date",
    "end_date",
    "monthly_fee",
    "at_risk_pct",
    "earn_back_months",
)


def _history_values(obj, name: str) -> list:
    """The attribute's current value and, when it changed in this flush, its old ones (none
    when a deleted row's value was never loaded)."""
    history = inspect(obj).attrs[name].history
    values = [*history.added, *history.unchanged, *history.deleted]
    return [v for v in values if v is not None]


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _measurement(session, obj, changed: bool) -> None:
    if changed and not _changed(obj, ("actual", "period", "service_level_id", "engagement_id")):
        return
    engagement_ids = _history_values(obj, "engagement_id")
    if not engagement_ids and obj.service_level is not None:
        engagement_ids = [obj.service_level.engagement_id]
    months = _history_values(obj, "period")
    for engagement_id in engagement_ids:
        touch(session, engagement_id, months)


def _engagement(session, obj, changed: bool) -> None:
    if not changed or _changed(obj, ENGAGEMENT_TERMS):
        touch(session, obj.id, None)


def _level(session, obj, changed: bool) -> None:
    names = ("direction", "target", "minimum", "classification", "allocation_pct", "position")
    if not changed or _changed(obj, (*names, "name", "engagement_id")):
        for engagement_id in _history_values(obj, "engagement_id"):
            touch(session, engagement_id, None)


def _dispute(session, obj, changed: bool) -> None:
    if changed and not _changed(obj, ("state", "period", "service_level_id")):
        return
    for engagement_id in _history_values(obj, "engagement_id"):
        touch(session, engagement_id, _history_values(obj, "period"))


HANDLERS = (
    (Measurement, _measurement),
    (ServiceLevel, _level),
    (Engagement, _engagement),
    (CreditDispute, _dispute),
)


def _after_flush(session: Session, _context) -> None:
    for objects, changed in ((session.new, False), (session.deleted, False)):
        for obj in objects:
            _dispatch(session, obj, changed)
    for obj in session.dirty:
        _dispatch(session, obj, True)


def _dispatch(session, obj, changed: bool) -> None:
    for model, handler in HANDLERS:
        if isinstance(obj, model):
            if obj.id is not None or not changed:
                handler(session, obj, changed)
            return


def settle(session) -> None:
    """Flush, then recompute the rollup rows of every change of this transaction so far."""
    session.flush()
    while session.info.get(TOUCHED):
        touched = session.info.pop(TOUCHED)
        refresh(session, touched)
        note_rollups_changed(session, touched)
        session.flush()


def _before_commit(session: Session) -> None:
    if session.info.get(TOUCHED) or session.new or session.dirty or session.deleted:
        settle(session)


def _forget(session: Session, *_args) -> None:
    session.info.pop(TOUCHED, None)


def register_rollup_listeners() -> None:
    """Listen on every session (idempotent)."""
    listen_on_every_session(
        {"after_flush": _after_flush, "before_commit": _before_commit, "after_rollback": _forget}
    )
