"""The provider portal's doors: a manager invites a vendor's contact, the invitee accepts the
one-time link, and every page says which company a provider's user acts for."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_user
from sqlalchemy.exc import IntegrityError

from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.auth.scope import acting_vendor_id
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.core.hooks import vendor_names, vendor_names_provider
from vendor_tracker.extensions import db
from vendor_tracker.vendors import invites, services
from vendor_tracker.vendors.forms import AcceptInviteForm, PortalInviteForm

bp = Blueprint("portal", __name__)

CLOSED = {
    invites.InviteState.USED: "This invitation has already been used. Sign in with the password "
    "chosen then, or ask the client's manager for a new invitation.",
    invites.InviteState.EXPIRED: f"This invitation has expired (links last {invites.INVITE_DAYS} "
    "days). Ask the client's manager for a new one.",
}


@vendor_names_provider
def _vendor_names(vendor_ids: list[int] | None) -> dict[int, str]:
    return invites.vendor_names_of(vendor_ids)


@bp.app_context_processor
def acting_vendor() -> dict:
    """`acting_vendor_name`: the company a provider's user acts for (None for client staff)."""
    vendor_id = acting_vendor_id()
    if vendor_id is None:
        return {"acting_vendor_name": None, "acting_vendor_id": None}
    name = vendor_names([vendor_id]).get(vendor_id, "no vendor")
    return {"acting_vendor_name": name, "acting_vendor_id": vendor_id}


@bp.route("/vendors/<int:vendor_id>/contacts/<int:contact_id>/invite", methods=["POST"])
@manager_required
def invite_contact(vendor_id: int, contact_id: int):
    """Create a one-time invitation for a contact and show its link once."""
    vendor = services.load_vendor(vendor_id)
    contact = next((c for c in vendor.contacts if c.id == contact_id), None)
    if contact is None:
        abort(404, description="This vendor has no such contact.")
    form = PortalInviteForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired: reload the vendor's page and try again.")
    problem = invites.invite_problem(contact)
    if problem:
        flash(problem, "danger")
        return redirect(url_for("vendors.detail", vendor_id=vendor.id) + "#contacts")
    token = invites.create_invite(contact, current_user)
    db.session.commit()
    link = url_for("portal.accept_invite", token=token, _external=True)
    return render_template(
        "vendors/invite_link.html",
        vendor=vendor,
        contact=contact,
        link=link,
        days=invites.INVITE_DAYS,
    )


def _closed(message: str, status: int):
    return render_template("vendors/invite_closed.html", message=message), status


@bp.route("/portal/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    """The invitee sets a password; the provider user is created and signed in."""
    invite = invites.invite_for_token(token)
    if invite is None:
        return _closed("This invitation link is not known: check that it was copied whole.", 404)
    state = invites.invite_state(invite)
    if state is not invites.InviteState.OPEN:
        return _closed(CLOSED[state], 410)
    if user_by_email(invite.email):
        return _closed(f"{invite.email} already has a user: sign in with it.", 410)
    if current_user.is_authenticated:
        return _closed(
            f"You are signed in as {current_user.email}. Sign out first, then open the link again.",
            409,
        )
    form = AcceptInviteForm()
    if form.validate_on_submit():
        try:
            user = invites.accept_invite(invite, form.password.data)
            db.session.commit()
        except IntegrityError:  # accepted at the same moment in another tab
            db.session.rollback()
            return _closed(CLOSED[invites.InviteState.USED], 410)
        login_user(user)
        flash(f"Welcome, {user.display_name}: you act for {invite.vendor.name}.", "success")
        return redirect(url_for("core.dashboard"))
    return render_template("vendors/invite_accept.html", form=form, invite=invite)
