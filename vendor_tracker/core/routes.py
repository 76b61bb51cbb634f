"""The dashboard and the health check."""

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from vendor_tracker.core.dashboard import dashboard_counts
from vendor_tracker.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
def dashboard():
    return render_template("core/dashboard.html", counts=dashboard_counts())


@bp.route("/api/docs")
def api_docs():
    """A readable page generated from the same OpenAPI document the API validates with."""
    from vendor_tracker.extensions import api

    return render_template("core/api_docs.html", spec=api.spec.to_dict())


@bp.route("/health")
def health():
    """200 when the database answers, 503 when it does not; no login needed."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
