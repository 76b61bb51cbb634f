"""The collaboration log: touchpoints and their action items.

The log itself (touchpoint notes) is the client's; a provider's users get their own view of the
action items assigned to their company, and may mark those done.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from vendor_tracker.auth.decorators import (
    for_providers,
    manager_or_provider_required,
    manager_required,
    refuse,
)
from vendor_tracker.auth.scope import in_scope
from vendor_tracker.core.paging import page_number
from vendor_tracker.engagements.kpo import collaboration as collaboration_log
from vendor_tracker.engagements.kpo.forms import ConfirmForm, NewActionItemForm, TouchpointForm
from vendor_tracker.engagements.kpo.models import Touchpoint
from vendor_tracker.engagements.kpo.routes.blueprint import bp, kpo_engagement_or_404
from vendor_tracker.extensions import db


@bp.route("/engagements/<int:engagement_id>/collaboration")
def collaboration(engagement_id: int):
    if current_user.is_provider:  # the notes are internal: a provider gets its own view
        return redirect(url_for("kpo.action_items", engagement_id=engagement_id))
    engagement = kpo_engagement_or_404(engagement_id)
    page = collaboration_log.touchpoints_page(engagement.id, min(page_number(), 100_000))
    return render_template(
        "kpo/collaboration.html",
        engagement=engagement,
        page=page,
        open_items=collaboration_log.open_action_items(engagement.id, limit=100),
        item_form=NewActionItemForm(formdata=None),
        confirm=ConfirmForm(),
        today=date.today(),
    )


@bp.route("/engagements/<int:engagement_id>/action-items")
@for_providers
def action_items(engagement_id: int):
    """The action items assigned to the provider's company (no touchpoint notes)."""
    engagement = kpo_engagement_or_404(engagement_id)
    if not in_scope(engagement.vendor_id):
        abort(404, description="No KPO engagement with that id.")
    return render_template(
        "kpo/provider_action_items.html",
        engagement=engagement,
        items=collaboration_log.action_items_for_reader(engagement.id, "all"),
        confirm=ConfirmForm(),
        today=date.today(),
    )


@bp.route("/engagements/<int:engagement_id>/touchpoints/new", methods=["GET", "POST"])
@manager_required
def new_touchpoint(engagement_id: int):
    engagement = kpo_engagement_or_404(engagement_id)
    form = TouchpointForm()
    if request.method == "GET":
        form.held_on.data = date.today()
    if form.validate_on_submit():
        collaboration_log.add_touchpoint(engagement, form.values(), form.item_values())
        db.session.commit()
        flash("Touchpoint logged.", "success")
        return redirect(url_for("kpo.collaboration", engagement_id=engagement.id))
    return render_template("kpo/touchpoint_form.html", form=form, engagement=engagement)


@bp.route("/touchpoints/<int:kpo_touchpoint_id>/action-items", methods=["POST"])
@manager_required
def add_action_item(kpo_touchpoint_id: int):
    touchpoint = db.get_or_404(Touchpoint, kpo_touchpoint_id)
    form = NewActionItemForm()
    if form.validate_on_submit():
        collaboration_log.add_action_item(touchpoint, form.values())
        db.session.commit()
        flash("Action item added.", "success")
    else:
        problems = "; ".join(f"{form[k].label.text}: {' '.join(v)}" for k, v in form.errors.items())
        flash(f"Action item not added. {problems}", "warning")
    return redirect(url_for("kpo.collaboration", engagement_id=touchpoint.engagement_id))


@bp.route("/action-items/<int:kpo_action_item_id>/done", methods=["POST"])
@manager_or_provider_required
def toggle_action_item(kpo_action_item_id: int):
    """Mark an action item done (or open again: client managers only). A provider's user
    closes only the items assigned to their company; any other answers 404."""
    item = collaboration_log.visible_action_item(kpo_action_item_id)
    if item is None:
        abort(404, description="No action item with that id.")
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    done = request.form.get("done", "1") != "0"
    if not done and current_user.is_provider:
        refuse("only the client reopens an action item")
    collaboration_log.set_action_item_done(item, done, date.today())
    db.session.commit()
    flash("Action item marked done." if done else "Action item reopened.", "success")
    target = request.form.get("next", "")
    # Only same-site paths: never redirect to a URL taken from the form as is.
    same_site = target.startswith("/") and not target.startswith("//")
    if not same_site or "\\" in target or not target.isprintable():
        view = "kpo.action_items" if current_user.is_provider else "kpo.collaboration"
        target = url_for(view, engagement_id=item.engagement_id)
    return redirect(target)


@bp.route("/touchpoints/<int:kpo_touchpoint_id>/delete", methods=["POST"])
@manager_required
def delete_touchpoint(kpo_touchpoint_id: int):
    touchpoint = db.get_or_404(Touchpoint, kpo_touchpoint_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    engagement_id = touchpoint.engagement_id
    collaboration_log.delete_touchpoint(touchpoint)
    db.session.commit()
    flash("Touchpoint deleted with its action items.", "success")
    return redirect(url_for("kpo.collaboration", engagement_id=engagement_id))
