"""KPO needs-attention items: overdue deliverables and overdue action items, both kinds counted
in one query (past months' overdue deliverables from the monthly rollups) and listed a page at
a time (most overdue first), so the inbox's work does not grow with the portfolio."""

from datetime import date

from sqlalchemy import Select, exists, func, literal_column, select

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.core.templating import nice_date
from vendor_tracker.engagements.kpo import review as rules
from vendor_tracker.engagements.kpo.models import ActionItem, Deliverable, Review
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup as Rollup
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

KINDS = ("overdue_deliverable", "overdue_action_item")
_CLOSING = (rules.Decision.ACCEPTED, rules.Decision.REJECTED)


def _closed():
    return exists().where(Review.deliverable_id == Deliverable.id, Review.decision.in_(_CLOSING))


def _open_deliverables(today: date) -> Select:
    return (
        select(Deliverable.id, Deliverable.title, Deliverable.due_on, Engagement.title)
        .join(Engagement, Engagement.id == Deliverable.engagement_id)
        .where(Deliverable.due_on < today, ~_closed())
        .order_by(Deliverable.due_on, Deliverable.id)
    )


def _open_actions(today: date) -> Select:
    return (
        select(
            ActionItem.text, ActionItem.owner, ActionItem.due_on, Engagement.id, Engagement.title
        )
        .join(Engagement, Engagement.id == ActionItem.engagement_id)
        .where(ActionItem.done.is_(False), ActionItem.due_on < today)
        .order_by(ActionItem.due_on, ActionItem.id)
    )


def _deliverable_item(row, today: date) -> InboxItem:
    from flask import url_for

    d_id, title, due_on, engagement_title = row
    late = (today - due_on).days
    return InboxItem(
        kind="overdue_deliverable",
        title=f"Overdue deliverable: {title}",
        detail=f"{engagement_title}; due {nice_date(due_on)}, "
        f"{late} day{'' if late == 1 else 's'} ago, not yet accepted.",
        url=url_for("kpo.deliverable", kpo_deliverable_id=d_id),
        due=due_on,
    )


def _action_item(row, _today: date) -> InboxItem:
    from flask import url_for

    text, owner, due_on, engagement_id, engagement_title = row
    return InboxItem(
        kind="overdue_action_item",
        title=f"Overdue action item: {text[:80]}",
        detail=f"{engagement_title}; owner {owner or 'not named'}, due {nice_date(due_on)}.",
        url=url_for("kpo.collaboration", engagement_id=engagement_id),
        due=due_on,
    )


_QUERIES = {
    "overdue_deliverable": (_open_deliverables, _deliverable_item),
    "overdue_action_item": (_open_actions, _action_item),
}


def _counting(today: date) -> Select:
    """One row: the number of items of each kind, in the order of `KINDS`. Overdue deliverables
    are the open ones of the months before the running one, summed over the monthly rollups
    (whose status is the last round's: nothing follows an acceptance or a rejection, so the
    same deliverables), and those of the running month due before today, read live."""
    this_month = today.replace(day=1)
    open_count = Rollup.due_not_submitted + Rollup.due_in_review + Rollup.due_changes_requested
    # `open_count > 0` adds nothing to the sum; it lets the database read the partial index of
    # the months with open deliverables (`ix_kpo_monthly_rollups_open`) instead of every month
    # (written as a literal: SQLite matches an index's condition only to the same constant).
    open_before = select(func.coalesce(func.sum(open_count), 0)).where(
        Rollup.month < this_month, open_count > literal_column("0")
    )
    open_now = (
        select(func.count())
        .select_from(Deliverable)
        .where(Deliverable.due_on >= this_month, Deliverable.due_on < today, ~_closed())
    )
    overdue_actions = (
        select(func.count())
        .select_from(ActionItem)
        .where(ActionItem.done.is_(False), ActionItem.due_on < today)
    )
    return select(
        (open_before.scalar_subquery() + open_now.scalar_subquery()).label("overdue_deliverable"),
        overdue_actions.scalar_subquery().label("overdue_action_item"),
    )


def attention_counts(today: date) -> dict[str, int]:
    """How many items of each KPO kind, in one query (kinds with none left out)."""
    counts = db.session.execute(_counting(today)).one()
    return {kind: found for kind, found in zip(KINDS, counts, strict=True) if found}


def attention_slice(today: date, kind: str, limit: int | None, offset: int = 0) -> list[InboxItem]:
    """Up to `limit` items of one KPO kind (all when None) from `offset`, most overdue first."""
    if kind not in _QUERIES:
        return []
    query, build = _QUERIES[kind]
    rows = db.session.execute(query(today).limit(limit).offset(offset)).all()
    return [build(row, today) for row in rows]


def attention_items(today: date) -> list[InboxItem]:
    """Every KPO item: overdue deliverables, then overdue action items."""
    return [item for kind in KINDS for item in attention_slice(today, kind, None)]
