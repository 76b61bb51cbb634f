"""The collaboration log of a KPO engagement: touchpoints (meetings) and their action items.

Touchpoint notes are the client's own; a provider's users see only the action items assigned
to their company (`for_provider`), and may close those.
"""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from vendor_tracker.auth.scope import scope_filter, vendor_scope
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.kpo.models import ActionItem, Touchpoint
from vendor_tracker.engagements.kpo.services import is_kpo
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


def add_touchpoint(engagement: Engagement, data: dict, items: list[dict]) -> Touchpoint:
    """Log a meeting with its action items."""
    if not is_kpo(engagement):
        raise Refusal("The collaboration log belongs to KPO engagements.", conflict=True)
    touchpoint = Touchpoint(engagement_id=engagement.id, **data)
    touchpoint.action_items = [
        ActionItem(engagement_id=engagement.id, **item) for item in items if item.get("text")
    ]
    db.session.add(touchpoint)
    db.session.flush()
    return touchpoint


def add_action_item(touchpoint: Touchpoint, data: dict) -> ActionItem:
    """Add an action item to a touchpoint."""
    item = ActionItem(touchpoint=touchpoint, engagement_id=touchpoint.engagement_id, **data)
    db.session.add(item)
    db.session.flush()
    return item


def set_action_item_done(item: ActionItem, done: bool, today: date) -> ActionItem:
    """Mark an action item done (dated today) or open again."""
    item.done = done
    item.done_on = today if done else None
    db.session.flush()
    return item


def touchpoints_page(engagement_id: int, page: int, per_page: int = 10):
    """A page of the collaboration log, newest first, with action items loaded."""
    stmt = (
        select(Touchpoint)
        .where(Touchpoint.engagement_id == engagement_id)
        .options(selectinload(Touchpoint.action_items))
        .order_by(Touchpoint.held_on.desc(), Touchpoint.id.desc())
    )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def open_action_items(engagement_id: int, limit: int = 20) -> list[ActionItem]:
    """Open action items of an engagement, earliest due first (undated last)."""
    return list(
        db.session.execute(
            select(ActionItem)
            .where(ActionItem.engagement_id == engagement_id, ActionItem.done.is_(False))
            .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
            .limit(limit)
        ).scalars()
    )


def delete_touchpoint(touchpoint: Touchpoint) -> None:
    """Remove a touchpoint with its action items."""
    db.session.delete(touchpoint)
    db.session.flush()


def visible_action_item(item_id: int) -> ActionItem | None:
    """The action item with that id if the signed-in user may see it, else None: client users
    see every one; a provider's user only those assigned to their company on their vendor's
    engagements (any other answers as missing)."""
    stmt = (
        select(ActionItem)
        .join(Engagement, Engagement.id == ActionItem.engagement_id)
        .where(ActionItem.id == item_id, scope_filter(Engagement.vendor_id))
    )
    if vendor_scope() is not None:
        stmt = stmt.where(ActionItem.for_provider.is_(True))
    return db.session.execute(stmt).scalar_one_or_none()


def action_items_for_reader(engagement_id: int, state: str = "open", limit: int = 200):
    """Action items of an engagement as the signed-in user may read them (`state`: open, done
    or all): every one for client users, those assigned to the provider for its users."""
    stmt = select(ActionItem).where(ActionItem.engagement_id == engagement_id)
    if vendor_scope() is not None:
        stmt = stmt.where(ActionItem.for_provider.is_(True))
    if state != "all":
        stmt = stmt.where(ActionItem.done.is_(state == "done"))
    # Open ones first, each group earliest due first and undated last.
    stmt = stmt.order_by(
        ActionItem.done, ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id
    )
    return list(db.session.execute(stmt.limit(limit)).scalars())
