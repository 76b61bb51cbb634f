"""Invitations to the provider portal: a manager invites a vendor's contact, who sets a password
through a one-time link and becomes a provider user of that vendor.

The raw token lives only in the link shown once to the inviter; the database keeps its SHA-256
digest, so a copy of the database opens no invitation.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select, update

from vendor_tracker.audit.services import record_security_event
from vendor_tracker.auth.models import User
from vendor_tracker.auth.rules import Role
from vendor_tracker.auth.services import create_user, normalize_email, user_by_email
from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Contact, PortalInvite, Vendor

INVITE_DAYS = 7
TOKEN_MAX_LENGTH = 100  # longer strings are no token of ours (token_urlsafe(32) is 43 long)


class InviteState(StrEnum):
    """What a link can still do."""

    OPEN = "open"
    USED = "used"
    EXPIRED = "expired"


def token_digest(raw_token: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def contacts_with_users(vendor: Vendor) -> set[int]:
    """Ids of the vendor's contacts whose e-mail already belongs to a user (one query)."""
    emails = {normalize_email(c.email): c.id for c in vendor.contacts if c.email}
    if not emails:
        return set()
    taken = db.session.execute(
        select(func.lower(User.email)).where(func.lower(User.email).in_(list(emails)))
    ).scalars()
    return {emails[email] for email in taken}


def invite_problem(contact: Contact) -> str | None:
    """Why this contact cannot be invited, or None."""
    if not contact.email:
        return f"{contact.name} has no e-mail address: add one before inviting them."
    if user_by_email(contact.email):
        return f"{contact.email} already has a user; an admin can change it under Admin → Users."
    return None


def create_invite(contact: Contact, inviter: User, now: datetime | None = None) -> str:
    """Add an invitation for `contact` and return its raw token (shown once); earlier open
    invitations of the same address end. The caller commits."""
    now = now or utcnow()
    email = normalize_email(contact.email)
    db.session.execute(
        update(PortalInvite)
        .where(
            PortalInvite.email == email,
            PortalInvite.used_at.is_(None),
            PortalInvite.expires_at > now,
        )
        .values(expires_at=now)
    )
    raw = secrets.token_urlsafe(32)
    db.session.add(
        PortalInvite(
            vendor_id=contact.vendor_id,
            contact_id=contact.id,
            email=email,
            name=contact.name,
            token_digest=token_digest(raw),
            created_by_id=inviter.id,
            created_at=now,
            expires_at=now + timedelta(days=INVITE_DAYS),
        )
    )
    record_security_event(
        "portal_invite",
        inviter.email,
        f"invited {email} to the portal for vendor {contact.vendor_id}",
        inviter.id,
    )
    return raw


def invite_for_token(raw_token: str) -> PortalInvite | None:
    """The invitation a link names, or None for a token that names none."""
    if not raw_token or len(raw_token) > TOKEN_MAX_LENGTH:
        return None
    return db.session.execute(
        select(PortalInvite).where(PortalInvite.token_digest == token_digest(raw_token))
    ).scalar_one_or_none()


def _aware(moment: datetime) -> datetime:
    # SQLite hands timestamps back without their zone; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def invite_state(invite: PortalInvite, now: datetime | None = None) -> InviteState:
    """Open until used or past its expiry time."""
    if invite.used_at is not None:
        return InviteState.USED
    if _aware(invite.expires_at) <= (now or utcnow()):
        return InviteState.EXPIRED
    return InviteState.OPEN


def accept_invite(invite: PortalInvite, password: str, now: datetime | None = None) -> User:
    """Create the provider user the invitation offers and spend it; the caller commits.

    The caller checks the state first and the password against `auth.rules`.
    """
    now = now or utcnow()
    user = create_user(invite.email, password, Role.PROVIDER, invite.name, invite.vendor_id)
    invite.used_at = now
    db.session.flush()
    record_security_event(
        "portal_invite_accepted",
        user.email,
        f"accepted the portal invitation for vendor {invite.vendor_id}",
        user.id,
    )
    return user


def vendor_names_of(vendor_ids: list[int] | None) -> dict[int, str]:
    """{vendor_id: name} of these vendors (every vendor with None)."""
    stmt = select(Vendor.id, Vendor.name)
    if vendor_ids is not None:
        if not vendor_ids:
            return {}
        stmt = stmt.where(Vendor.id.in_(vendor_ids))
    return dict(db.session.execute(stmt).tuples().all())
