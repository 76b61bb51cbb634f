"""The monthly entry page: every service level of one month at once."""

from datetime import date

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from vendor_tracker.engagements.bpo import services
from vendor_tracker.engagements.bpo.forms import MonthForm
from vendor_tracker.engagements.bpo.sla import (
    Source,
    first_of_month,
    months_between,
    parse_period,
    shift_month,
)
from vendor_tracker.extensions import db


def _version(text) -> int | None:
    return int(text) if str(text or "").isdigit() else None


def month_page(engagement_id: int, period: str, save: bool):
    """Show (or, for managers, save) the results of every service level for `period`."""
    engagement = services.bpo_engagement_or_404(engagement_id)
    month = parse_period(period)
    if month is None:
        abort(404, description="Months are written YYYY-MM.")
    today = date.today()
    levels = services.service_levels_of(engagement_id)
    stored = services.measurements_of(engagement_id, month)
    window_problem = services.period_problem(engagement, month, today)
    form = MonthForm()
    if not save:
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
    elif (
        window_problem is None
        and form.validate_on_submit()
        and _save(engagement, month, levels, stored, form)
    ):
        return redirect(url_for("bpo.month", engagement_id=engagement_id, period=period))
    by_id = {lv.id: lv for lv in levels}
    rows = [(row, by_id.get(_version(row.level_id.data))) for row in form.rows]
    start = first_of_month(engagement.start_date)
    end = first_of_month(min(today, engagement.end_date or today))
    return render_template(
        "bpo/month_form.html",
        engagement=engagement,
        month=month,
        form=form,
        rows=[(row, level) for row, level in rows if level is not None],
        stored=stored,
        window_problem=window_problem,
        previous=shift_month(month, -1) if shift_month(month, -1) >= start else None,
        following=shift_month(month, 1) if shift_month(month, 1) <= end else None,
        months=list(reversed(months_between(start, end))) if start <= end else [],
        engagement_url=services.engagement_url(engagement_id),
    )


def _save(engagement, month, levels, stored, form) -> bool:
    """Validate every row, then write them all (audited through the ORM) or none."""
    by_id = {lv.id: lv for lv in levels}
    planned = []
    failed = False
    for row in form.rows:
        level = by_id.get(_version(row.level_id.data))
        if level is None:
            continue
        existing = stored.get(level.id)
        actual_text = (row.actual.data or "").strip()
        if existing is not None and _version(row.version.data) != existing.version:
            row.actual.errors = [
                *row.actual.errors,
                f"Someone changed this result meanwhile (now {existing.actual.normalize():f}); "
                "reload the month.",
            ]
            failed = True
            continue
        if not actual_text:
            if existing is not None:
                planned.append(("delete", level, existing, None))
            elif (row.volume.data or "").strip() or (row.note.data or "").strip():
                row.actual.errors = [*row.actual.errors, "Give the result with its volume or note."]
                failed = True
            continue
        problems, values = services.entry_problems(
            level, actual_text, (row.volume.data or "").strip(), row.note.data
        )
        for name, message in problems.items():
            getattr(row, name).errors = [*getattr(row, name).errors, message]
        if problems:
            failed = True
            continue
        planned.append(("save", level, existing, values))
    if failed:
        flash("Nothing was saved: correct the results marked below.", "error")
        return False
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deleted": 0}
    for action, level, existing, values in planned:
        if action == "delete":
            db.session.delete(existing)
            counts["deleted"] += 1
            continue
        outcome = services.save_result(
            engagement, level, month, values, existing, current_user.id, Source.FORM
        )
        counts[outcome] += 1
    db.session.commit()
    flash(
        f"{month:%b %Y} saved: {counts['created']} new, {counts['updated']} changed, "
        f"{counts['deleted']} cleared, {counts['unchanged']} unchanged.",
        "success",
    )
    return True
