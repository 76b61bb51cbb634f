"""Monthly exchange rates to the reporting currency: list for every client role, edits by admins."""

from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.audit.services import history_for
from vendor_tracker.auth.decorators import admin_required
from vendor_tracker.core.forms import form_values, run_action, save_form
from vendor_tracker.core.paging import page_number, per_page
from vendor_tracker.extensions import db
from vendor_tracker.reporting import fx_services, services
from vendor_tracker.reporting.forms import ConfirmForm
from vendor_tracker.reporting.fx import months_phrase, to_cents
from vendor_tracker.reporting.fx_forms import ExchangeRateForm
from vendor_tracker.reporting.models import ExchangeRate
from vendor_tracker.reporting.routes.blueprint import bp


@bp.route("/exchange-rates")
def exchange_rates():
    return render_template(
        "reporting/exchange_rates.html",
        page=fx_services.list_rates(page_number(), per_page()),
        reporting_currency=services.scorecard_settings().reporting_currency,
        confirm=ConfirmForm(),
    )


def _save(form: ExchangeRateForm, record: ExchangeRate | None):
    values = form_values(form, fx_services.RATE_FIELDS)
    reporting = services.scorecard_settings().reporting_currency
    return save_form(
        form,
        lambda: fx_services.save_rate(record, values, current_user.id, reporting),
        record=record,
    )


@bp.route("/exchange-rates/new", methods=["GET", "POST"])
@admin_required
def exchange_rate_create():
    form = ExchangeRateForm()
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(f"{saved.currency} rate for {saved.month:%b %Y} added.", "success")
            return redirect(url_for("reporting.exchange_rates"))
    return render_template(
        "reporting/exchange_rate_form.html",
        form=form,
        rate=None,
        reporting_currency=services.scorecard_settings().reporting_currency,
    )


@bp.route("/exchange-rates/<int:rate_id>/edit", methods=["GET", "POST"])
@admin_required
def exchange_rate_edit(rate_id: int):
    record = db.get_or_404(ExchangeRate, rate_id)
    form = ExchangeRateForm(obj=record)
    if not form.is_submitted():
        form.version.data = record.version
        # 1.08 rather than the column's 1.08000000; the same number, so an unchanged save is one.
        form.rate.data = Decimal(f"{record.rate.normalize():f}")
    if form.validate_on_submit():
        saved = _save(form, record)
        if saved is not None:
            flash(f"{saved.currency} rate for {saved.month:%b %Y} saved.", "success")
            return redirect(url_for("reporting.exchange_rates"))
    return render_template(
        "reporting/exchange_rate_form.html",
        form=form,
        rate=record,
        reporting_currency=services.scorecard_settings().reporting_currency,
        history=history_for("exchange_rates", record.id),
    )


@bp.route("/exchange-rates/<int:rate_id>/delete", methods=["POST"])
@admin_required
def exchange_rate_delete(rate_id: int):
    record = db.get_or_404(ExchangeRate, rate_id)
    if not ConfirmForm().validate_on_submit():
        flash("The form expired; try again.", "danger")
        return redirect(url_for("reporting.exchange_rates"))
    label = str(record)
    if run_action(lambda: fx_services.delete_rate(record)):
        flash(f"{label} deleted.", "success")
    return redirect(url_for("reporting.exchange_rates"))


@bp.app_template_filter("months_phrase")
def months_phrase_filter(months) -> str:
    """'Oct 2026' or 'Jan 2026 – Dec 2026 (12 months)': the months of the rates used."""
    return months_phrase(months)


@bp.app_template_filter("round_cents")
def round_cents_filter(amount):
    """A converted amount rounded half-even to cents for display."""
    return to_cents(amount)
