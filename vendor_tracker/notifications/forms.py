"""Forms of the notifications pages: marking read, and each kind's email choice."""

from flask_wtf import FlaskForm
from wtforms import BooleanField

from vendor_tracker.notifications.models import NotificationKind

# What each kind tells, as the settings page lists it.
KIND_LABELS = {
    NotificationKind.REPORT_SUBMITTED: "A provider submitted a month's service-level results",
    NotificationKind.VERSION_SUBMITTED: "A provider submitted a version of a deliverable",
    NotificationKind.MONTH_VERIFIED: "The client verified a month's results",
    NotificationKind.MONTH_DISPUTED: "The client disputed a month's results",
    NotificationKind.VERSION_REVIEWED: "The client reviewed a version of a deliverable",
    NotificationKind.DISPUTE_OPENED: "A service credit was disputed",
    NotificationKind.DISPUTE_RESOLVED: "A credit dispute was upheld or waived",
    NotificationKind.ACTION_ITEM_DUE: "An action item became due",
    NotificationKind.CERTIFICATE_EXPIRING: "A provider's certificate expires within 60 or 30 days",
    NotificationKind.ENGAGEMENT_ENDING: "An engagement ends within 90 days",
    NotificationKind.CRITICAL_BREACH: "A critical service level was breached",
    NotificationKind.DIGEST: "A digest of what happened",
}
# The kinds a provider's user can receive (the others are about the client's side of things).
PROVIDER_KINDS = (
    NotificationKind.MONTH_VERIFIED,
    NotificationKind.MONTH_DISPUTED,
    NotificationKind.VERSION_REVIEWED,
    NotificationKind.DISPUTE_RESOLVED,
    NotificationKind.ACTION_ITEM_DUE,
    NotificationKind.CERTIFICATE_EXPIRING,
    NotificationKind.DIGEST,
)


class MarkReadForm(FlaskForm):
    """A button that marks one or every notification read (the CSRF token is its content)."""


def kinds_for(user) -> list[NotificationKind]:
    """The kinds `user` chooses about (a provider's user: the provider's kinds)."""
    if getattr(user, "is_provider", False):
        return list(PROVIDER_KINDS)
    return list(NotificationKind)


def email_choices_form(kinds: list[NotificationKind], current: dict[str, bool]):
    """A form with one "email me" checkbox per kind, filled with the choices in effect (a
    submitted form reads the request's boxes: an unticked box is off)."""

    class EmailChoicesForm(FlaskForm):
        pass

    for kind in kinds:
        setattr(EmailChoicesForm, kind.value, BooleanField(KIND_LABELS[kind]))
    data = {kind.value: current.get(kind.value, True) for kind in kinds}
    return EmailChoicesForm(data=data)
