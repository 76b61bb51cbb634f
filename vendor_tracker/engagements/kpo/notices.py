"""What the KPO write paths and the daily scan tell people: versions the provider submitted,
reviews the client recorded, and action items that became due.

Rows go to the outbox in the same transaction as the change (`notifications.services.notify`);
the action-item scan is registered with `notifications.services.scan` and runs once a day,
each item once per due date. Texts for providers carry no client-internal figure (no scores).
"""

from datetime import date, timedelta

from sqlalchemy import func, or_, select

from vendor_tracker.auth.models import User
from vendor_tracker.auth.rules import Role
from vendor_tracker.engagements.kpo.models import ActionItem, Review, Submission
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import NotificationKind
from vendor_tracker.notifications.services import (
    Notice,
    notify,
    notify_all,
    provider_users,
    scan,
)

# An item that fell due longer ago than this when the scan first saw it is not announced: the
# scan tells of items becoming due, not of a backlog from before notifications existed.
DUE_LOOKBACK = timedelta(days=30)


def deliverable_link(deliverable_id: int) -> str:
    """The path of a deliverable's page."""
    return f"/kpo/deliverables/{deliverable_id}"


def version_submitted(submission: Submission, submitted_by: User | None) -> int:
    """A provider's user delivered a version: the engagement's owner and the lead reviewer."""
    if submitted_by is None or not submitted_by.is_provider:
        return 0  # a client user keying a version in needs no message about it
    deliverable = submission.deliverable
    engagement = deliverable.engagement
    vendor = engagement.vendor.name
    return notify(
        NotificationKind.VERSION_SUBMITTED,
        [engagement.owner_id, deliverable.lead_reviewer_id],
        f"{vendor} submitted version {submission.version}: {deliverable.title}",
        f"{vendor} submitted version {submission.version} of {deliverable.title} "
        f"({engagement.title}) on {submission.submitted_on:%d %b %Y}. It waits for your review."
        + (f"\nSummary: {submission.summary}" if submission.summary else ""),
        deliverable_link(deliverable.id),
        vendor_id=engagement.vendor_id,
        engagement_id=engagement.id,
        actor_id=submitted_by.id,
    )


def version_reviewed(review: Review, reviewer: User | None) -> int:
    """The client reviewed a version: the vendor's provider users (decision and feedback, which
    the portal's deliverable page shows them too; not the quality score)."""
    submission = review.submission
    deliverable = submission.deliverable
    engagement = deliverable.engagement
    feedback = f"\nFeedback: {review.feedback}" if review.feedback else ""
    return notify(
        NotificationKind.VERSION_REVIEWED,
        provider_users(engagement.vendor_id),
        f"Version {submission.version} reviewed: {review.decision.label}, {deliverable.title}",
        f"The client reviewed version {submission.version} of {deliverable.title} "
        f"({engagement.title}): {review.decision.label}.{feedback}",
        deliverable_link(deliverable.id),
        vendor_id=engagement.vendor_id,
        engagement_id=engagement.id,
        actor_id=reviewer.id if reviewer else None,
    )


def _assignees(names: set[str]) -> dict[str, tuple[int, str, int | None]]:
    """{lower-cased name or e-mail: (user id, role, vendor id)} of active users (one query)."""
    if not names:
        return {}
    rows = db.session.execute(
        select(User.id, User.role, User.vendor_id, User.name, User.email).where(
            User.active.is_(True),
            or_(func.lower(User.email).in_(names), func.lower(User.name).in_(names)),
        )
    )
    found = {}
    for user_id, role, vendor_id, name, email in rows:
        for key in (email.lower(), (name or "").lower()):
            if key in names:
                found.setdefault(key, (user_id, role, vendor_id))
    return found


def _recipients(item, engagement, assignees, providers) -> tuple[int | None, ...]:
    """The engagement's owner, the assignee when the item names a user (a provider's user only
    for their vendor's items meant for the provider), and for provider items their users."""
    people = [engagement.owner_id]
    match = assignees.get(item.owner.strip().lower())
    if match:
        user_id, role, vendor_id = match
        if role != Role.PROVIDER.value or (item.for_provider and vendor_id == engagement.vendor_id):
            people.append(user_id)
    if item.for_provider:
        people += providers.get(engagement.vendor_id, [])
    return tuple(people)


@scan
def action_items_due(today: date) -> int:
    """Open action items due by `today` (and not before DUE_LOOKBACK): once per item and due
    date to the engagement's owner, the assignee when a user, the provider's users for items
    meant for the provider."""
    rows = db.session.execute(
        select(ActionItem, Engagement)
        .join(Engagement, Engagement.id == ActionItem.engagement_id)
        .where(
            ActionItem.done.is_(False),
            ActionItem.due_on <= today,
            ActionItem.due_on >= today - DUE_LOOKBACK,
            or_(ActionItem.owner != "", ActionItem.for_provider.is_(True)),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
    ).all()
    assignees = _assignees({item.owner.strip().lower() for item, _e in rows if item.owner.strip()})
    vendors = {engagement.vendor_id for item, engagement in rows if item.for_provider}
    providers = {vendor_id: provider_users(vendor_id) for vendor_id in sorted(vendors)}
    notices = [
        Notice(
            _recipients(item, engagement, assignees, providers),
            f"Action item due {item.due_on:%d %b %Y}: {item.text[:80]}",
            f'The action item "{item.text}" ({engagement.title}), assigned to '
            f"{item.owner or 'the provider'}, was due on {item.due_on:%d %b %Y} and is not done.",
            f"/kpo/engagements/{engagement.id}/action-items"
            if item.for_provider
            else f"/kpo/engagements/{engagement.id}/collaboration",
            engagement.vendor_id,
            engagement.id,
            f"action_item_due:{item.id}:{item.due_on:%Y-%m-%d}",
        )
        for item, engagement in rows
    ]
    return notify_all(NotificationKind.ACTION_ITEM_DUE, notices)
