"""The searchable audit log (admins only), on its own `audit` blueprint (/admin/audit).

The page lives with the other admin pages in auth: the audit package records and reads events
for every package, auth included, so it sits below auth and may not import its decorators.
"""

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import or_, select

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.auth.decorators import admin_required
from vendor_tracker.extensions import db

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@admin_required
def log():
    query = (request.args.get("q") or "").strip()
    action = (request.args.get("action") or "").strip()
    stmt = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if query:
        like = f"%{query}%"
        stmt = stmt.where(
            or_(
                AuditEvent.actor.ilike(like),
                AuditEvent.summary.ilike(like),
                AuditEvent.record_type.ilike(like),
                AuditEvent.record_id == query,
            )
        )
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    page = db.paginate(stmt, per_page=current_app.config["ITEMS_PER_PAGE"], error_out=False)
    actions = db.session.execute(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    return render_template(
        "audit/log.html", page=page, q=query, action=action, actions=actions.scalars().all()
    )
