"""KPO API: the collaboration log's action items (on the KPO blueprint).

Client users read every action item of an engagement; a provider's users only those assigned
to their company, on their own vendor's engagements (any other answers 404), and may close
those. Touchpoint notes stay internal and are not served here.
"""

from datetime import date

from vendor_tracker.api.common import fail
from vendor_tracker.api.kpo.blueprint import blp
from vendor_tracker.api.kpo.deliverables import kpo_engagement
from vendor_tracker.api.kpo.schemas import (
    ActionItemListArgs,
    ActionItemListSchema,
    ActionItemSchema,
)
from vendor_tracker.auth.decorators import for_providers, manager_or_provider_required
from vendor_tracker.auth.scope import in_scope
from vendor_tracker.engagements.kpo import collaboration
from vendor_tracker.extensions import db


@blp.route("/engagements/<int:engagement_id>/action-items", methods=["GET"])
@for_providers
@blp.arguments(ActionItemListArgs, location="query")
@blp.response(200, ActionItemListSchema)
def list_action_items(args, engagement_id: int):
    """Action items of a KPO engagement (`state` open, done or all; open first, by due date).

    A provider's users get only the items assigned to their company.
    """
    engagement = kpo_engagement(engagement_id)
    if not in_scope(engagement.vendor_id):
        fail(404, "KPO engagement not found.")
    return {"items": collaboration.action_items_for_reader(engagement.id, args["state"])}


@blp.route("/action-items/<int:action_item_id>/done", methods=["POST"])
@manager_or_provider_required
@blp.response(200, ActionItemSchema)
def close_action_item(action_item_id: int):
    """Mark an action item done today (done already: unchanged). A provider's users close only
    the items assigned to their company."""
    item = collaboration.visible_action_item(action_item_id)
    if item is None:
        fail(404, "Action item not found.")
    if not item.done:
        collaboration.set_action_item_done(item, True, date.today())
        db.session.commit()
    return item
