"""The signed-in user's notifications: the list, marking read, and the email choices.

Every signed-in user (a provider's too) reaches these pages; each shows and changes only the
user's own rows. The navbar's bell reads `unread_notifications()` (one query, only when drawn).
"""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import for_providers
from vendor_tracker.core.forms import save_form
from vendor_tracker.core.paging import page_number
from vendor_tracker.extensions import db
from vendor_tracker.notifications import services
from vendor_tracker.notifications.forms import (
    KIND_LABELS,
    MarkReadForm,
    email_choices_form,
    kinds_for,
)
from vendor_tracker.notifications.models import NotificationKind

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
EXPIRED = "The page had expired: nothing was changed. Try again."


@bp.app_context_processor
def bell():
    """`unread_notifications()` for the navbar: the signed-in user's unread count."""

    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return services.unread_count(current_user)

    return {"unread_notifications": unread_notifications}


@bp.route("")
@for_providers
def index():
    page = db.paginate(
        services.notifications_query(current_user),
        page=page_number(),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "notifications/index.html",
        page=page,
        unread=services.unread_count(current_user),
        form=MarkReadForm(),
        kind_labels={kind.value: label for kind, label in KIND_LABELS.items()},
    )


# Writes about the user's own notifications: any signed-in user, a provider's too.
@bp.route("/<int:notification_id>/read", methods=["POST"])
@for_providers
def mark_read(notification_id: int):
    form = MarkReadForm()
    if form.validate_on_submit():
        if not services.mark_read(current_user, notification_id):
            abort(404)
        db.session.commit()
    else:
        flash(EXPIRED, "danger")
    return redirect(url_for("notifications.index", page=page_number()))


@bp.route("/read-all", methods=["POST"])
@for_providers
def mark_all_read():
    form = MarkReadForm()
    if form.validate_on_submit():
        count = services.mark_all_read(current_user)
        db.session.commit()
        flash(f"{count} notification{'' if count == 1 else 's'} marked read.", "success")
    else:
        flash(EXPIRED, "danger")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@for_providers
def settings():
    kinds = kinds_for(current_user)
    form = email_choices_form(kinds, services.email_choices(current_user.id))
    if form.validate_on_submit():
        choices = {kind.value: form[kind.value].data for kind in kinds}
        changed = save_form(form, lambda: services.save_email_choices(current_user.id, choices))
        if changed is not None:
            flash(_saved_message(changed), "success")
            return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form, kinds=[k.value for k in kinds])


def _saved_message(changed: list[str]) -> str:
    if not changed:
        return "Nothing changed: your email choices are as they were."
    names = ", ".join(KIND_LABELS[NotificationKind(kind)].lower() for kind in changed)
    return f"Email choices saved ({len(changed)} changed: {names})."
