"""The /api/v1 JSON API: token auth, JSON errors, OpenAPI document, blueprint registration."""

from flask import Flask

BEARER_SCHEME = "bearerAuth"
TOKEN_HELP = "A token from POST /api/v1/auth/tokens, sent as `Authorization: Bearer <token>`."  # noqa: S105


def register_api(app: Flask) -> None:
    """Attach the API and every domain's API blueprint."""
    from vendor_tracker.api import auth, bpo, engagements, kpo, reporting, selection, vendors
    from vendor_tracker.extensions import api, csrf

    api.init_app(app)
    # Every operation needs `Authorization: Bearer <token>` unless it says otherwise
    # (API_SPEC_OPTIONS sets the document-wide requirement; the token endpoint opts out).
    api.spec.components.security_scheme(
        BEARER_SCHEME, {"type": "http", "scheme": "bearer", "description": TOKEN_HELP}
    )
    for module in (auth, vendors, engagements, bpo, kpo, selection, reporting):
        # Bearer tokens, never cookies, authenticate the API, so CSRF tokens do not apply.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
