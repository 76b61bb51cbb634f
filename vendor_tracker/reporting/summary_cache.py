"""An in-process cache of the BPO and KPO per-vendor summaries, checked against the audit trail.

Every change to a scorecard input is an audited write (service levels, measurements and their bulk
import, deliverables, submissions, reviews, engagements, vendors), so the newest audit event id is
a change stamp: an entry is used only while the stamp, the day and the database are unchanged.
Each worker process keeps its own entries; the stamp lives in the shared database, so a write in one
worker invalidates the entries of all of them. Writes made outside the app (raw SQL) are not seen
until the next audited change.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.extensions import db

MAX_ENTRIES = 64
# Requests for at most this many vendors are computed for those vendors only; bigger ones for
# every vendor at once, so later requests for any subset are served from the same entry.
SMALL_REQUEST = 25

_entries: OrderedDict = OrderedDict()
_lock = threading.Lock()


def change_stamp() -> int:
    """The id of the newest audited record change (0 when there is none).

    Security events (sign-ins, refusals) have no record type and do not count; the lookup walks
    the primary key backwards and stops at the first record change, so it stays cheap.
    """
    found = db.session.execute(
        select(AuditEvent.id)
        .where(AuditEvent.record_type.is_not(None))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).scalar()
    return found or 0


def _get(key):
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]
    return None


def _put(key, value) -> None:
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def clear() -> None:
    """Forget every entry (tests, or after writes made outside the app)."""
    with _lock:
        _entries.clear()


def cached_summaries(
    vendor_ids: list[int],
    window: tuple,
    today: date,
    compute: Callable[[list[int]], tuple[dict, dict]],
    every_vendor: Callable[[], list[int]],
) -> tuple[dict, dict]:
    """(bpo, kpo) summaries for `vendor_ids` over `window`, from the cache when still valid.

    `compute(ids)` runs the BPO and KPO summary functions; `every_vendor()` lists all vendor ids.
    """
    base = (str(db.engine.url), change_stamp(), today, window)
    wanted = set(vendor_ids)
    whole = _get((*base, "all"))
    if whole is not None and wanted <= whole[2]:
        return _subset(whole, wanted)
    if len(wanted) <= SMALL_REQUEST:
        key = (*base, frozenset(wanted))
        found = _get(key)
        if found is None:
            bpo, kpo = compute(sorted(wanted))
            found = (bpo, kpo, wanted)
            _put(key, found)
        return _subset(found, wanted)
    ids = sorted(set(every_vendor()) | wanted)
    bpo, kpo = compute(ids)
    entry = (bpo, kpo, set(ids))
    _put((*base, "all"), entry)
    return _subset(entry, wanted)


def _subset(entry, wanted: set[int]) -> tuple[dict, dict]:
    bpo, kpo, _ids = entry
    return (
        {k: v for k, v in bpo.items() if k in wanted},
        {k: v for k, v in kpo.items() if k in wanted},
    )


def cached_value(name: str, today: date, compute: Callable[[], object]):
    """Any value computed from audited data and the day (e.g. the packages' inbox items)."""
    key = (str(db.engine.url), change_stamp(), today, name)
    found = _get(key)
    if found is None:
        found = compute()
        _put(key, found)
    return found
