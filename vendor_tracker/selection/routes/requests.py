"""Sourcing requests: the list, a request's page, create, edit, delete, and the sections the
selection adds to engagement and vendor pages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.auth.models import User
from vendor_tracker.core.hooks import Section, engagement_section, vendor_section
from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.core.paging import page_number
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.advisor import (
    management_guidance,
)
from vendor_tracker.selection.forms import (
    ActionForm,
    RequestForm,
)
from vendor_tracker.selection.models import Candidate, SourcingRequest
from vendor_tracker.selection.routes.blueprint import bp
from vendor_tracker.selection.rules import RequestStatus, is_open
from vendor_tracker.vendors.models import ServiceLine


def _request_form(record=None, **kwargs) -> RequestForm:
    users = db.session.execute(
        select(User).where(User.active.is_(True)).order_by(User.name, User.email)
    ).scalars()
    lines = db.session.execute(select(ServiceLine).order_by(ServiceLine.model, ServiceLine.name))
    return RequestForm(list(users), list(lines.scalars()), obj=record, **kwargs)


@bp.route("")
def index():
    status = request.args.get("status") or None
    query = (request.args.get("q") or "").strip()[:100]
    sort = request.args.get("sort", "created")
    sort = sort if sort in services.SORTS else "created"
    direction = "asc" if request.args.get("dir") == "asc" else "desc"
    page = services.list_requests(status, query, sort, direction, page_number())
    return render_template(
        "selection/index.html",
        page=page,
        status=status,
        q=query,
        sort=sort,
        direction=direction,
        statuses=list(RequestStatus),
        counts=services.status_counts(),
    )


@bp.route("/new", methods=["GET", "POST"])
@manager_required
def create():
    form = _request_form(owner_id=current_user.id)
    del form.status
    if form.validate_on_submit():
        record = services.save_request(
            None, {**form.data_for_service(), "status": RequestStatus.DRAFT}
        )
        db.session.commit()
        flash("Sourcing request created. Next: answer the BPO/KPO advisor.", "success")
        return redirect(url_for("selection.advisor", rid=record.id))
    return render_template("selection/form.html", form=form, record=None)


@bp.route("/<int:rid>")
def detail(rid: int):
    record = services.load_request(rid)
    return render_template(
        "selection/detail.html",
        record=record,
        result=services.advisor_result(record),
        evaluation=evaluation.evaluate_request(record),
        history=history_for("sourcing_requests", rid),
        guidance=management_guidance,
        action_form=ActionForm(),
    )


@bp.route("/<int:rid>/edit", methods=["GET", "POST"])
@manager_required
def edit(rid: int):
    record = services.load_request(rid)
    form = _request_form(record)
    if request.method == "GET":
        form.version.data = record.version
        form.status.data = record.status.value
    if not is_open(record.status):
        flash(f"This request is {record.status.value}; it can no longer be changed.", "error")
        return redirect(url_for("selection.detail", rid=rid))
    if form.validate_on_submit():
        try:
            check_version(record, form.version.data)
        except StaleVersionError as stale:
            flash(str(stale), "error")
            return render_template("selection/form.html", form=form, record=record), 409
        services.save_request(record, form.data_for_service())
        db.session.commit()
        flash("Sourcing request saved.", "success")
        return redirect(url_for("selection.detail", rid=rid))
    return render_template("selection/form.html", form=form, record=record)


@bp.route("/<int:rid>/delete", methods=["POST"])
@manager_required
def delete(rid: int):
    record = services.load_request(rid)
    if not ActionForm().validate_on_submit():
        abort(400)
    title = record.title
    if not services.delete_request(record):
        flash(
            "Only draft or cancelled requests can be deleted; cancel it first, or keep it as "
            "the record of an award.",
            "error",
        )
        return redirect(url_for("selection.detail", rid=rid))
    db.session.commit()
    flash(f"Sourcing request “{title}” deleted.", "success")
    return redirect(url_for("selection.index"))


@engagement_section("BPO")
@engagement_section("KPO")
def _engagement_origin(engagement):
    """On an engagement awarded here: the sourcing request and decision record behind it."""
    origin = db.session.execute(
        select(SourcingRequest).where(SourcingRequest.engagement_id == engagement.id)
    ).scalar_one_or_none()
    if origin is None:
        return None
    return Section("selection/_engagement_origin.html", {"request": origin}, order=5)


@vendor_section
def _vendor_sourcing(vendor):
    """On the vendor page: the sourcing requests that shortlisted this vendor."""
    rows = db.session.execute(
        select(SourcingRequest)
        .join(Candidate, Candidate.request_id == SourcingRequest.id)
        .where(Candidate.vendor_id == vendor.id)
        .order_by(SourcingRequest.created_at.desc())
        .limit(10)
    ).scalars()
    requests = list(rows)
    if not requests:
        return None
    return Section("selection/_vendor_sourcing.html", {"requests": requests}, order=80)
