"""The vendor tracker: a Flask app for managing BPO and KPO outsourcing."""

import os

from flask import Flask

from vendor_tracker.config import Config


def create_app(config: dict | None = None) -> Flask:
    """Build the app; `config` overrides settings (tests pass their own)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="static",
        instance_path=os.environ.get("VENDOR_TRACKER_INSTANCE")
        or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(Config.from_environment(app.instance_path))
    if config:
        app.config.from_mapping(config)
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    return app


def register_extensions(app: Flask) -> None:
    """Initialise database, migrations, login, CSRF, rate limits, assets, security hooks."""
    from vendor_tracker import models  # noqa: F401 - every table joins the metadata
    from vendor_tracker.audit.services import register_audit_listener
    from vendor_tracker.auth.decorators import provider_gate
    from vendor_tracker.auth.sessions import register_user_loaders
    from vendor_tracker.core.database import engine_options, register_sqlite_pragmas
    from vendor_tracker.core.security import register_security
    from vendor_tracker.engagements.bpo.rollup_events import register_rollup_listeners
    from vendor_tracker.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS")
    )
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    with app.app_context():
        register_sqlite_pragmas(db.engine)
    register_audit_listener()
    register_rollup_listeners()
    register_security(app)
    register_user_loaders()
    app.before_request(provider_gate)


def register_blueprints(app: Flask) -> None:
    """Attach page blueprints, the API and the error pages."""
    from vendor_tracker.api import register_api
    from vendor_tracker.auth.audit_log import bp as audit_bp
    from vendor_tracker.auth.routes import bp as auth_bp
    from vendor_tracker.core.errors import register_error_handlers
    from vendor_tracker.core.routes import bp as core_bp
    from vendor_tracker.core.templating import register_template_helpers
    from vendor_tracker.engagements.bpo.routes import bp as bpo_bp
    from vendor_tracker.engagements.kpo.routes import bp as kpo_bp
    from vendor_tracker.engagements.routes import bp as engagements_bp
    from vendor_tracker.files.routes import bp as files_bp
    from vendor_tracker.notifications.routes import bp as notifications_bp
    from vendor_tracker.reporting.routes import bp as reporting_bp
    from vendor_tracker.selection.routes import bp as selection_bp
    from vendor_tracker.vendors.portal import bp as portal_bp
    from vendor_tracker.vendors.routes import bp as vendors_bp

    for blueprint in (
        core_bp,
        auth_bp,
        audit_bp,
        vendors_bp,
        portal_bp,
        engagements_bp,
        bpo_bp,
        kpo_bp,
        selection_bp,
        reporting_bp,
        files_bp,
        notifications_bp,
    ):
        app.register_blueprint(blueprint)
    register_api(app)
    register_error_handlers(app)
    register_template_helpers(app)


def register_cli(app: Flask) -> None:
    """Add the `seed`, `create-user` and import commands."""
    from vendor_tracker.cli import register_commands

    register_commands(app)
