"""What the BPO write paths tell people: the outbox rows of submissions, verifications,
disputes and breaches of critical service levels, written in the same transaction as the change.

The provider's users hear about the client's decisions on their vendor's months and credits;
the engagement's owner hears about the provider's submissions and disputes and about critical
breaches. Nobody hears about their own action. Texts for providers carry no client-internal
figure (no credit amounts, no fees).
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from vendor_tracker.engagements.bpo.models import CreditDispute, ServiceLevel
from vendor_tracker.engagements.bpo.results import ResultPlan
from vendor_tracker.engagements.bpo.sla import Classification, MonthStatus, result_status
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import NotificationKind
from vendor_tracker.notifications.services import Notice, notify, notify_all, provider_users


def month_link(engagement_id: int, month: date) -> str:
    """The path of a month's results page."""
    return f"/bpo/engagements/{engagement_id}/results/{month:%Y-%m}"


def credits_link(engagement_id: int) -> str:
    """The path of an engagement's credits ledger."""
    return f"/bpo/engagements/{engagement_id}/credits"


def _engagement(engagement_id: int) -> Engagement:
    return db.session.get(Engagement, engagement_id)


def _months(months: list[date]) -> str:
    return ", ".join(f"{m:%b %Y}" for m in months)


def report_submitted(engagement_id: int, months: Iterable[date], actor_id: int | None) -> int:
    """The provider submitted results of `months`: the engagement's owner verifies them."""
    months = sorted(set(months))
    if not months:
        return 0
    engagement = _engagement(engagement_id)
    vendor = engagement.vendor.name
    return notify(
        NotificationKind.REPORT_SUBMITTED,
        [engagement.owner_id],
        f"{vendor} submitted results of {_months(months)}: {engagement.title}",
        f"{vendor} submitted the service-level results of {_months(months)} for "
        f"{engagement.title}. They stay provisional until you verify or dispute them.",
        month_link(engagement_id, months[0])
        if len(months) == 1
        else f"/bpo/engagements/{engagement_id}/results",
        vendor_id=engagement.vendor_id,
        engagement_id=engagement_id,
        actor_id=actor_id,
    )


def month_decided(engagement_id: int, month: date, actor_id: int, reasons: dict) -> int:
    """The client verified (no reasons) or disputed a month: the vendor's provider users."""
    engagement = _engagement(engagement_id)
    if not reasons:
        kind, verb = NotificationKind.MONTH_VERIFIED, "verified"
        body = (
            f"The client verified your service-level results of {month:%b %Y} for "
            f"{engagement.title}: they are final."
        )
    else:
        kind, verb = NotificationKind.MONTH_DISPUTED, "disputed"
        names = dict(
            db.session.execute(
                select(ServiceLevel.id, ServiceLevel.name).where(
                    ServiceLevel.engagement_id == engagement_id
                )
            ).all()
        )
        lines = [
            f"- {names.get(int(level), 'Service level')}: {text}" for level, text in reasons.items()
        ]
        body = (
            f"The client disputed your service-level results of {month:%b %Y} for "
            f"{engagement.title}. Correct them and submit again:\n" + "\n".join(lines)
        )
    return notify(
        kind,
        provider_users(engagement.vendor_id),
        f"Results of {month:%b %Y} {verb}: {engagement.title}",
        body,
        month_link(engagement_id, month),
        vendor_id=engagement.vendor_id,
        engagement_id=engagement_id,
        actor_id=actor_id,
    )


def _number(value) -> str:
    """A stored Decimal without trailing zeros: 80.0000 -> '80', 92.50 -> '92.5'."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _terms(level: ServiceLevel) -> str:
    """'target 80 %, minimum 75 %, higher is better'."""
    parts = [f"target {_number(level.target)} {level.unit}"]
    if level.minimum is not None:
        parts.append(f"minimum {_number(level.minimum)} {level.unit}")
    parts.append("higher is better" if level.direction == "higher" else "lower is better")
    return ", ".join(parts)


def _is_provider(user_id: int | None) -> bool:
    from vendor_tracker.auth.models import User

    user = db.session.get(User, user_id) if user_id is not None else None
    return bool(user and user.is_provider)


def dispute_opened(dispute: CreditDispute, actor_id: int | None) -> int:
    """A credit was disputed: by the provider -> the owner; recorded by the client -> the
    provider's users."""
    engagement = _engagement(dispute.engagement_id)
    level = db.session.get(ServiceLevel, dispute.service_level_id)
    by_provider = _is_provider(actor_id)
    recipients = [engagement.owner_id] if by_provider else provider_users(engagement.vendor_id)
    who = engagement.vendor.name if by_provider else "The client"
    return notify(
        NotificationKind.DISPUTE_OPENED,
        recipients,
        f"Credit of {dispute.period:%b %Y} disputed: {level.name}, {engagement.title}",
        f"{who} disputed the service credit of {level.name} for {dispute.period:%b %Y} "
        f"({engagement.title}). Category: {dispute.category.label}. Reason: {dispute.reason}",
        credits_link(engagement.id),
        vendor_id=engagement.vendor_id,
        engagement_id=engagement.id,
        actor_id=actor_id,
    )


def dispute_resolved(dispute: CreditDispute, actor_id: int) -> int:
    """The client upheld or waived a dispute: the provider's users."""
    engagement = _engagement(dispute.engagement_id)
    level = db.session.get(ServiceLevel, dispute.service_level_id)
    outcome = "waived: the credit is not payable" if dispute.state == "waived" else "upheld"
    note = f" Note: {dispute.note}" if dispute.note else ""
    return notify(
        NotificationKind.DISPUTE_RESOLVED,
        provider_users(engagement.vendor_id),
        f"Credit dispute {dispute.state}: {level.name}, {dispute.period:%b %Y}",
        f"The client decided your dispute of the service credit of {level.name} for "
        f"{dispute.period:%b %Y} ({engagement.title}): {outcome}.{note}",
        credits_link(engagement.id),
        vendor_id=engagement.vendor_id,
        engagement_id=engagement.id,
        actor_id=actor_id,
    )


def critical_breaches(engagement: Engagement, plan: ResultPlan, actor_id: int | None) -> int:
    """New or changed results that breach a critical level: the owner, once per level and
    month (one query for the levels, one batch of notifications)."""
    written = list(plan.insert) + [values for _stored, values in plan.update]
    if not written or engagement.owner_id is None:
        return 0
    levels = {
        level.id: level
        for level in db.session.execute(
            select(ServiceLevel).where(
                ServiceLevel.engagement_id == engagement.id,
                ServiceLevel.classification == Classification.CRITICAL,
            )
        ).scalars()
    }
    notices = []
    for values in written:
        level = levels.get(values.level_id)
        if level is None or result_status(level.terms, values.actual) is not MonthStatus.BREACH:
            continue
        notices.append(
            Notice(
                (engagement.owner_id,),
                f"Critical breach in {values.period:%b %Y}: {level.name}, {engagement.title}",
                f"{level.name} was {_number(values.actual)} {level.unit} in "
                f"{values.period:%b %Y} on {engagement.title}: a breach of a critical service "
                f"level ({_terms(level)}).",
                month_link(engagement.id, values.period),
                engagement.vendor_id,
                engagement.id,
                f"critical_breach:{level.id}:{values.period:%Y-%m}",
            )
        )
    return notify_all(NotificationKind.CRITICAL_BREACH, notices, actor_id=actor_id)
