"""Pages of the provider registry: list, detail, create, edit, delete, and the vendor's records."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import for_providers, manager_required
from vendor_tracker.core.forms import run_action, save_form
from vendor_tracker.core.hooks import sections_for_vendor
from vendor_tracker.core.paging import page_number, per_page
from vendor_tracker.vendors import attachments, services  # noqa: F401 - certificates carry files
from vendor_tracker.vendors.forms import CHILD_FORMS, VendorForm
from vendor_tracker.vendors.invites import contacts_with_users
from vendor_tracker.vendors.rules import CERT_WARNING_DAYS, Model, VendorStatus, expiry_wording

bp = Blueprint("vendors", __name__, url_prefix="/vendors")

CHILD_KINDS = "any(centers, contacts, certifications)"


LINE_ALIASES = {"service_line_ids": "service_lines"}


@bp.route("")
def index():
    filters = services.VendorFilters.from_args(request.args)
    pagination, engagement_counts, columns = services.list_vendors(
        filters, page_number(), per_page()
    )
    return render_template(
        "vendors/index.html",
        page=pagination,
        filters=filters,
        engagement_counts=engagement_counts,
        columns=columns,
        lines_by_model=services.service_lines_by_model(),
        countries=services.country_choices(),
        statuses=list(VendorStatus),
        models=list(Model),
        models_of=services.vendor_models,
        filtered=any(
            [filters.q, filters.model, filters.service_line_id, filters.status, filters.country]
        ),
    )


@bp.route("/<int:vendor_id>")
@for_providers
def detail(vendor_id: int):
    vendor = services.load_vendor(vendor_id)
    today = date.today()
    return render_template(
        "vendors/detail.html",
        vendor=vendor,
        contacts_with_users=contacts_with_users(vendor),
        models=services.vendor_models(vendor),
        grouped_lines=services.grouped_lines(vendor),
        certificates=services.certificates_with_state(vendor, today),
        sections=sections_for_vendor(vendor),
        history=history_for("vendors", vendor.id),
        warning_days=CERT_WARNING_DAYS,
        expiry_wording=expiry_wording,
        today=today,
    )


@bp.route("/new", methods=["GET", "POST"])
@manager_required
def create():
    form = VendorForm(service_lines_grouped=services.service_lines_by_model())
    if form.validate_on_submit():
        vendor = save_form(
            form, lambda: services.save_vendor(None, form.to_data()), aliases=LINE_ALIASES
        )
        if vendor is not None:
            flash(f"Vendor {vendor.name} added.", "success")
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    return render_template("vendors/form.html", form=form, vendor=None)


@bp.route("/<int:vendor_id>/edit", methods=["GET", "POST"])
@manager_required
def edit(vendor_id: int):
    vendor = services.load_vendor(vendor_id)
    grouped = services.service_lines_by_model()
    if request.method == "GET":
        form = VendorForm(obj=vendor, service_lines_grouped=grouped)
        form.service_lines.data = [line.id for line in vendor.service_lines]
        form.status.data = vendor.status.value
        form.version.data = vendor.version
    else:
        form = VendorForm(service_lines_grouped=grouped)
    if form.validate_on_submit():
        saved = save_form(
            form,
            lambda: services.save_vendor(vendor, form.to_data()),
            record=vendor,
            aliases=LINE_ALIASES,
        )
        if saved is not None:
            flash(f"Vendor {vendor.name} saved.", "success")
            return redirect(url_for("vendors.detail", vendor_id=vendor.id))
    return render_template("vendors/form.html", form=form, vendor=vendor)


@bp.route("/<int:vendor_id>/delete", methods=["POST"])
@manager_required
def delete(vendor_id: int):
    vendor = services.load_vendor(vendor_id)
    name = vendor.name
    if not run_action(lambda: services.delete_vendor(vendor)):
        return redirect(url_for("vendors.detail", vendor_id=vendor_id))
    flash(f"Vendor {name} deleted.", "success")
    return redirect(url_for("vendors.index"))


# --- delivery centers, contacts, certificates ------------------------------------------------


def _child_form(kind: str, obj=None):
    form_cls, _label = CHILD_FORMS[kind]
    return form_cls(obj=obj) if request.method == "GET" else form_cls()


def _save_child_page(vendor_id: int, kind: str, child_id: int | None):
    vendor = services.load_vendor(vendor_id)
    child = services.load_child(vendor, kind, child_id) if child_id else None
    form = _child_form(kind, child)
    label = CHILD_FORMS[kind][1]
    if form.validate_on_submit():
        saved = save_form(
            form,
            lambda: services.save_child(vendor, kind, child, form.to_data()),
            aliases=LINE_ALIASES,
        )
        if saved is not None:
            flash(f"{label.capitalize()} {'saved' if child else 'added'}.", "success")
            return redirect(url_for("vendors.detail", vendor_id=vendor.id) + f"#{kind}")
    return render_template(
        "vendors/child_form.html", form=form, vendor=vendor, kind=kind, label=label, child=child
    )


@bp.route(f"/<int:vendor_id>/<{CHILD_KINDS}:kind>/new", methods=["GET", "POST"])
@manager_required
def child_create(vendor_id: int, kind: str):
    return _save_child_page(vendor_id, kind, None)


@bp.route(f"/<int:vendor_id>/<{CHILD_KINDS}:kind>/<int:child_id>/edit", methods=["GET", "POST"])
@manager_required
def child_edit(vendor_id: int, kind: str, child_id: int):
    return _save_child_page(vendor_id, kind, child_id)


@bp.route(f"/<int:vendor_id>/<{CHILD_KINDS}:kind>/<int:child_id>/delete", methods=["POST"])
@manager_required
def child_delete(vendor_id: int, kind: str, child_id: int):
    vendor = services.load_vendor(vendor_id)
    child = services.load_child(vendor, kind, child_id)
    if run_action(lambda: services.delete_child(child)):
        flash(f"{CHILD_FORMS[kind][1].capitalize()} {child} removed.", "success")
    return redirect(url_for("vendors.detail", vendor_id=vendor.id) + f"#{kind}")
