"""Pages of quarterly business reviews: list, record, action items, the printable pack."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import manager_required
from vendor_tracker.core.forms import form_values, save_form, select_choices
from vendor_tracker.core.paging import page_number, per_page
from vendor_tracker.extensions import db
from vendor_tracker.reporting import qbr_services as qbrs
from vendor_tracker.reporting.forms import (
    ActionItemForm,
    ConfirmForm,
    QbrForm,
    optional_int,
)
from vendor_tracker.reporting.models import QbrActionItem
from vendor_tracker.reporting.risk_services import vendor_choices
from vendor_tracker.reporting.routes.blueprint import bp
from vendor_tracker.reporting.scorecard import quarter_of

QBR_FIELDS = ("vendor_id", "year", "quarter", "held_on", "attendees", "decisions", "notes")
ACTION_FIELDS = ("description", "owner", "due_on", "status")


def _qbr_or_404(qbr_id: int):
    qbr = qbrs.load_qbr(qbr_id)
    if qbr is None:
        abort(404)
    return qbr


def _qbr_form(qbr=None) -> QbrForm:
    if request.method == "POST":
        form = QbrForm()
    elif qbr is None:
        year, quarter = quarter_of(date.today())
        form = QbrForm(
            vendor_id=optional_int(request.args.get("vendor_id")),
            year=year,
            quarter=quarter,
            held_on=date.today(),
        )
    else:
        form = QbrForm(obj=qbr)
        form.version.data = qbr.version
    form.vendor_id.choices = select_choices([(None, "— choose —"), *vendor_choices()])
    return form


@bp.route("/qbrs")
def qbrs_index():
    filters = qbrs.QbrFilters.from_args(request.args)
    direction = "asc" if request.args.get("dir") == "asc" else "desc"
    page = qbrs.list_qbrs(filters, page_number(), per_page(), direction)
    return render_template(
        "reporting/qbrs.html",
        page=page,
        filters=filters,
        direction=direction,
        vendors=vendor_choices(),
        open_counts=qbrs.open_action_counts([q.id for q in page.items]),
    )


@bp.route("/qbrs/new", methods=["GET", "POST"])
@manager_required
def qbr_create():
    form = _qbr_form()
    if form.validate_on_submit():
        qbr = save_form(form, lambda: qbrs.save_qbr(None, form_values(form, QBR_FIELDS)))
        if qbr is not None:
            flash(f"{qbr} with {qbr.vendor.name} recorded.", "success")
            return redirect(url_for("reporting.qbr_detail", qbr_id=qbr.id))
    return render_template("reporting/qbr_form.html", form=form, qbr=None)


@bp.route("/qbrs/<int:qbr_id>")
def qbr_detail(qbr_id: int):
    qbr = _qbr_or_404(qbr_id)
    return render_template(
        "reporting/qbr_detail.html",
        qbr=qbr,
        breaches=qbrs.qbr_breaches(qbr, date.today()),
        action_form=ActionItemForm(formdata=None),
        confirm=ConfirmForm(),
        today=date.today(),
        history=history_for("qbrs", qbr.id),
    )


@bp.route("/qbrs/<int:qbr_id>/edit", methods=["GET", "POST"])
@manager_required
def qbr_edit(qbr_id: int):
    qbr = _qbr_or_404(qbr_id)
    form = _qbr_form(qbr)
    if form.validate_on_submit():
        saved = save_form(
            form,
            lambda: qbrs.save_qbr(qbr, form_values(form, QBR_FIELDS)),
            record=qbr,
        )
        if saved is not None:
            flash(f"{qbr} saved.", "success")
            return redirect(url_for("reporting.qbr_detail", qbr_id=qbr.id))
    return render_template("reporting/qbr_form.html", form=form, qbr=qbr)


@bp.route("/qbrs/<int:qbr_id>/delete", methods=["POST"])
@manager_required
def qbr_delete(qbr_id: int):
    qbr = _qbr_or_404(qbr_id)
    label = f"{qbr} with {qbr.vendor.name}"
    qbrs.delete_qbr(qbr)
    db.session.commit()
    flash(f"{label} deleted.", "success")
    return redirect(url_for("reporting.qbrs_index"))


@bp.route("/qbrs/<int:qbr_id>/actions", methods=["POST"])
@manager_required
def qbr_action_create(qbr_id: int):
    qbr = _qbr_or_404(qbr_id)
    form = ActionItemForm()
    if form.validate_on_submit():
        item = save_form(
            form, lambda: qbrs.save_action_item(qbr, None, form_values(form, ACTION_FIELDS))
        )
        if item is not None:
            flash("Action item added.", "success")
            return redirect(url_for("reporting.qbr_detail", qbr_id=qbr.id))
    # Show the QBR again with the errors next to the fields.
    return (
        render_template(
            "reporting/qbr_detail.html",
            qbr=qbr,
            breaches=qbrs.qbr_breaches(qbr, date.today()),
            action_form=form,
            confirm=ConfirmForm(),
            today=date.today(),
            history=history_for("qbrs", qbr.id),
        ),
        422,
    )


def _action_or_404(qbr_id: int, item_id: int) -> QbrActionItem:
    item = db.get_or_404(QbrActionItem, item_id)
    if item.qbr_id != qbr_id:
        abort(404)
    return item


@bp.route("/qbrs/<int:qbr_id>/actions/<int:qbr_action_item_id>/edit", methods=["GET", "POST"])
@manager_required
def qbr_action_edit(qbr_id: int, qbr_action_item_id: int):
    item = _action_or_404(qbr_id, qbr_action_item_id)
    if request.method == "GET":
        form = ActionItemForm(obj=item)
        form.status.data = item.status.value
        form.version.data = item.version
    else:
        form = ActionItemForm()
    if form.validate_on_submit():
        saved = save_form(
            form,
            lambda: qbrs.save_action_item(item.qbr, item, form_values(form, ACTION_FIELDS)),
            record=item,
        )
        if saved is not None:
            flash("Action item saved.", "success")
            return redirect(url_for("reporting.qbr_detail", qbr_id=qbr_id))
    return render_template("reporting/qbr_action_form.html", form=form, item=item)


@bp.route("/qbrs/<int:qbr_id>/actions/<int:qbr_action_item_id>/delete", methods=["POST"])
@manager_required
def qbr_action_delete(qbr_id: int, qbr_action_item_id: int):
    item = _action_or_404(qbr_id, qbr_action_item_id)
    db.session.delete(item)
    db.session.commit()
    flash("Action item deleted.", "success")
    return redirect(url_for("reporting.qbr_detail", qbr_id=qbr_id))


@bp.route("/qbrs/<int:qbr_id>/pack")
def qbr_pack(qbr_id: int):
    qbr = _qbr_or_404(qbr_id)
    return render_template(
        "reporting/qbr_pack.html",
        qbr=qbr,
        pack=qbrs.qbr_pack(qbr, date.today()),
        today=date.today(),
    )
