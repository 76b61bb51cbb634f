"""The /api/v1 JSON API: token auth, JSON errors, OpenAPI document, blueprint registration."""

from flask import Flask


def register_api(app: Flask) -> None:
    """Attach the API and every domain's API blueprint."""
    from vendor_tracker.api import auth, bpo, engagements, kpo, reporting, selection, vendors
    from vendor_tracker.extensions import api, csrf

    api.init_app(app)
    for module in (auth, vendors, engagements, bpo, kpo, selection, reporting):
        # Bearer tokens, never cookies, authenticate the API, so CSRF tokens do not apply.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
