"""Pages of the engagements package: list, detail, create, edit, delete."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.core.forms import run_action, save_form
from vendor_tracker.core.hooks import (
    Section,
    sections_for_engagement,
    vendor_counter,
    vendor_section,
)
from vendor_tracker.core.paging import page_number, per_page
from vendor_tracker.engagements import notices, portal, services
from vendor_tracker.engagements.forms import EngagementForm
from vendor_tracker.engagements.rules import EngagementStatus
from vendor_tracker.vendors.rules import Model
from vendor_tracker.vendors.services import service_lines_by_model

bp = Blueprint("engagements", __name__, url_prefix="/engagements")
# The portal's home page registers itself through core.hooks when `portal` is imported, the
# daily scans of certificates and end dates with the notifications when `notices` is.
__all__ = ["bp", "notices", "portal"]


def _form(**kwargs) -> EngagementForm:
    return EngagementForm(
        vendors=services.vendor_choices(),
        owners=services.owner_choices(),
        lines=services.service_line_choices(),
        currencies=services.currency_choices(),
        **kwargs,
    )


@bp.route("")
@for_providers
def index():
    filters = services.EngagementFilters.from_args(request.args)
    page = services.list_engagements(filters, page_number(), per_page())
    return render_template(
        "engagements/index.html",
        page=page,
        filters=filters,
        vendors=services.vendor_choices(),
        lines_by_model=service_lines_by_model(),
        statuses=list(EngagementStatus),
        kinds=list(Model),
        filtered=any([filters.kind, filters.vendor_id, filters.status, filters.service_line_id]),
    )


@bp.route("/<int:engagement_id>")
@for_providers
def detail(engagement_id: int):
    engagement = services.load_engagement(engagement_id)
    return render_template(
        "engagements/detail.html",
        engagement=engagement,
        terms=services.terms(engagement),
        vendor_lists_line=engagement.service_line in engagement.vendor.service_lines,
        sections=sections_for_engagement(engagement),
        history=history_for("engagements", engagement.id),
    )


@bp.route("/new", methods=["GET", "POST"])
@manager_required
def create():
    if request.method == "GET":
        vendor_arg = request.args.get("vendor_id", "")
        kind_arg = request.args.get("kind", "")
        form = _form(
            vendor_id=int(vendor_arg) if vendor_arg.isdecimal() and len(vendor_arg) < 10 else None,
            kind=kind_arg if kind_arg in set(Model) else Model.BPO.value,
            owner_id=current_user.id,
        )
    else:
        form = _form()
    if form.validate_on_submit():
        saved = save_form(form, lambda: services.save_engagement(None, form.to_data()))
        if saved is not None:
            engagement, warnings = saved
            for warning in warnings:
                flash(warning, "warning")
            flash(f"Engagement {engagement.title} created.", "success")
            return redirect(url_for("engagements.detail", engagement_id=engagement.id))
    return render_template("engagements/form.html", form=form, engagement=None)


@bp.route("/<int:engagement_id>/edit", methods=["GET", "POST"])
@manager_required
def edit(engagement_id: int):
    engagement = services.load_engagement(engagement_id)
    if request.method == "GET":
        form = _form(obj=engagement)
        form.version.data = engagement.version
        for name in ("kind", "status", "pricing_model", "delivery_shore"):
            value = getattr(engagement, name)
            getattr(form, name).data = value.value if value is not None else ""
    else:
        # The kind field is shown disabled, so browsers do not send it: it stays as it is.
        form = _form(kind=engagement.kind.value)
    if form.validate_on_submit():
        saved = save_form(
            form,
            lambda: services.save_engagement(engagement, form.to_data()),
            record=engagement,
        )
        if saved is not None:
            engagement, warnings = saved
            for warning in warnings:
                flash(warning, "warning")
            flash(f"Engagement {engagement.title} saved.", "success")
            return redirect(url_for("engagements.detail", engagement_id=engagement.id))
    return render_template("engagements/form.html", form=form, engagement=engagement)


@bp.route("/<int:engagement_id>/delete", methods=["POST"])
@manager_required
def delete(engagement_id: int):
    engagement = services.load_engagement(engagement_id)
    title, vendor_id = engagement.title, engagement.vendor_id
    if not run_action(lambda: services.delete_engagement(engagement)):
        return redirect(url_for("engagements.detail", engagement_id=engagement_id))
    flash(f"Engagement {title} deleted.", "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor_id))


@vendor_section(for_providers=True)
def vendor_engagements_section(vendor) -> Section:
    """The vendor page's engagements card, first among the sections other packages add."""
    engagements = services.engagements_for_vendor(vendor.id)
    return Section("engagements/_vendor_section.html", {"engagements": engagements}, order=0)


@vendor_counter("engagements")
def vendor_engagement_counts(vendor_ids: list[int]) -> dict[int, int]:
    """The vendor list's Engagements column."""
    return services.engagement_counts(vendor_ids)
