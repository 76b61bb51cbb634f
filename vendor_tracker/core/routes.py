"""The home page (drawn by the package registered through `core.hooks.home_page`), the API
document page and the health check."""

from flask import Blueprint, abort, jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from vendor_tracker.core.hooks import home_page_section
from vendor_tracker.core.security import open_to_providers
from vendor_tracker.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/")
@open_to_providers
def dashboard():
    section = home_page_section()
    if section is None:
        abort(404)
    return render_template(section.template, **section.context)


@bp.route("/api/docs")
@open_to_providers
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
