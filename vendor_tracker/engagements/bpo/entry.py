"""The monthly entry page: every service level of one month at once.

The page parses its rows into the one results planner (`results.plan_results`) and shows the
plan's problems next to their fields. An empty input keeps what is stored; a stored result is
removed only by its "clear" box; a save that changes or clears more than one stored result is
shown as a summary to confirm first.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import reports, services, writes
from vendor_tracker.engagements.bpo.forms import DisputeMonthForm, MonthForm, VerifyMonthForm
from vendor_tracker.engagements.bpo.reporting_rules import ReportState
from vendor_tracker.engagements.bpo.results import IncomingRow, Intent, ResultPlan
from vendor_tracker.engagements.bpo.sla import parse_period, shift_month
from vendor_tracker.extensions import db


def may_write() -> bool:
    """Client managers and admins write results; so do the provider's users, for their vendor."""
    return current_user.can("manager") or current_user.is_provider


def _number(text) -> int | None:
    return int(text) if str(text or "").isdecimal() else None


def _fill(form: MonthForm, levels, stored) -> None:
    """Rows for every level, holding what is stored."""
    for level in levels:
        m = stored.get(level.id)
        form.rows.append_entry(
            {
                "level_id": level.id,
                "actual": f"{m.actual.normalize():f}" if m else "",
                "volume": "" if m is None or m.volume is None else m.volume,
                "note": m.note if m else "",
                "version": m.version if m else "",
            }
        )


def _incoming(form: MonthForm, month: date, known: set[int]) -> list[IncomingRow]:
    """The submitted rows as the planner reads them (rows of unknown levels are ignored)."""
    rows = []
    for index, row in enumerate(form.rows):
        level_id = _number(row.level_id.data)
        if level_id not in known:
            continue
        rows.append(
            IncomingRow(
                index,
                level_id,
                month,
                row.actual.data,
                row.volume.data,
                row.note.data,
                _number(row.version.data),
                bool(row.clear.data),
            )
        )
    return rows


def month_page(engagement_id: int, period: str, save: bool, dispute_form=None):
    """Show (or, for managers and the provider, save) the results of every service level for
    `period`, with the month's report: its state, its trail and the client's decision forms."""
    engagement = services.bpo_engagement_or_404(engagement_id)  # scoped to the vendor
    month = parse_period(period)
    if month is None:
        abort(404, description="Months are written YYYY-MM.")
    today = date.today()
    window = writes.window_of(engagement, today)
    levels = services.service_levels_of(engagement_id)
    stored = services.measurements_of(engagement_id, month)
    window_problem = window.problem(month)
    form = MonthForm()
    pending = None
    if not save:
        _fill(form, levels, stored)
    elif window_problem is None and form.validate_on_submit():
        plan = writes.plan_writes(
            engagement,
            _incoming(form, month, {lv.id for lv in levels}),
            Intent.REPLACE,
            today,
            months=[month],
            row_word="Row",
            blank_keeps=True,
            check_versions=True,
        )
        if not plan.ok:
            _show_problems(form, plan)
        elif plan.stored_affected > 1 and form.confirm.data != plan.fingerprint():
            pending = plan
        elif _save(engagement, month, plan):
            return redirect(url_for("bpo.month", engagement_id=engagement_id, period=period))
    by_id = {lv.id: lv for lv in levels}
    rows = [(row, by_id.get(_number(row.level_id.data))) for row in form.rows]
    months = window.months()
    previous, following = shift_month(month, -1), shift_month(month, 1)
    report = reports.report_of(engagement_id, month)
    return render_template(
        "bpo/month_form.html",
        engagement=engagement,
        month=month,
        form=form,
        rows=[(row, level) for row, level in rows if level is not None],
        levels_by_id=by_id,
        stored=stored,
        window_problem=window_problem,
        can_write=may_write() and window_problem is None,
        report=report,
        reasons=_reasons_by_level(report),
        **_decision_forms(report, levels, dispute_form),
        pending=pending,
        previous=previous if previous >= window.start else None,
        following=following if following <= window.last else None,
        months=months,
        engagement_url=services.engagement_url(engagement_id),
    )


def _reasons_by_level(report) -> dict[int, str]:
    """The client's reasons of a disputed month, by service level id."""
    if report is None or report.state != ReportState.DISPUTED:
        return {}
    return {int(level): reason for level, reason in (report.reasons or {}).items()}


def dispute_month_form(levels, formdata=None) -> DisputeMonthForm:
    """The dispute form of a month: one reason box per service level."""
    if formdata is not None:
        return DisputeMonthForm(prefix="dispute")
    form = DisputeMonthForm(prefix="dispute", formdata=None)
    for level in levels:
        form.rows.append_entry({"level_id": level.id, "reason": ""})
    return form


def _decision_forms(report, levels, posted=None) -> dict:
    """Verify and dispute forms for a client manager on a submitted month, else none."""
    none = {"verify_form": None, "dispute_form": None}
    if report is None or report.state != ReportState.SUBMITTED:
        return none
    if current_user.is_provider or not current_user.can("manager"):
        return none
    return {
        "verify_form": VerifyMonthForm(prefix="verify", formdata=None),
        "dispute_form": posted or dispute_month_form(levels),
    }


def _show_problems(form: MonthForm, plan: ResultPlan) -> None:
    for problem in plan.problems:
        row = form.rows[problem.ref]
        field = getattr(row, problem.field, None) or row.actual
        field.errors = [*field.errors, problem.reason]
    flash("Nothing was saved: correct the results marked below.", "error")


def _save(engagement, month: date, plan: ResultPlan) -> bool:
    """Apply the plan in one transaction; say what changed."""
    try:
        done = writes.apply_plan(
            engagement, plan, writes.source_for(current_user), current_user.id, current_user.email
        )
    except Refusal as lost_race:
        flash(str(lost_race), "error")
        return False
    db.session.commit()
    message = (
        f"{month:%b %Y} saved: {done.created} new, {done.updated} changed, "
        f"{done.cleared} cleared, {done.unchanged} unchanged."
    )
    if plan.kept_blank:
        message += (
            f" {plan.kept_blank} left empty kept {'its' if plan.kept_blank == 1 else 'their'} "
            "stored result (tick “clear” to remove one)."
        )
    flash(message, "success")
    return True
