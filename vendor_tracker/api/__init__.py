"""The /api/v1 JSON API: token auth, JSON errors, OpenAPI document, blueprint registration."""

from decimal import Decimal

from flask import Flask
from marshmallow import fields as ma_fields
from marshmallow import validate as ma_validate

BEARER_SCHEME = "bearerAuth"
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
TOKEN_HELP = "A token from POST /api/v1/auth/tokens, sent as `Authorization: Bearer <token>`."  # noqa: S105


def decimal_properties(_converter, field, ret: dict, **_kwargs) -> dict:
    """Document decimals as they travel: `Decimal(as_string=True)` is answered as a string and
    accepted as a string or a number; range limits become plain JSON numbers."""
    changes: dict = {}
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        # apispec renders limits through the field, so an as_string Decimal gives "100.00".
        if isinstance(ret.get(key), Decimal | str):
            value = Decimal(str(ret[key]))
            changes[key] = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(field, ma_fields.Decimal) and field.as_string:
        # `ret` is the property being built: replace its single type by the two accepted forms.
        ret.pop("type", None)
        ret.pop("format", None)
        changes["anyOf"] = [
            {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN},
            {"type": "number"},
        ]
    return changes


def exclusive_limits(_converter, field, ret: dict, **_kwargs) -> dict:
    """A `Range(min_inclusive=False)` (or max) as OpenAPI 3.0 says it: the limit with
    `exclusiveMinimum: true`, which apispec leaves out."""
    changes: dict = {}
    for validator in field.validators:
        if isinstance(validator, ma_validate.Range):
            if validator.min is not None and not validator.min_inclusive and "minimum" in ret:
                changes["exclusiveMinimum"] = True
            if validator.max is not None and not validator.max_inclusive and "maximum" in ret:
                changes["exclusiveMaximum"] = True
    return changes


def _add_attribute_function_once(func) -> None:
    from vendor_tracker.extensions import api

    converter = api.ma_plugin.converter
    names = {getattr(f, "__name__", None) for f in converter.attribute_functions}
    if func.__name__ not in names:
        converter.add_attribute_function(func)


def register_api(app: Flask) -> None:
    """Attach the API and every domain's API blueprint."""
    from vendor_tracker.api import (
        auth,
        bpo,
        engagements,
        files,
        kpo,
        reference,
        reporting,
        selection,
        vendors,
    )
    from vendor_tracker.api.openapi import ApiDocumentPlugin
    from vendor_tracker.core.api_errors import ErrorSchema
    from vendor_tracker.extensions import api, csrf

    api.ERROR_SCHEMA = ErrorSchema  # every endpoint documents the one error shape
    # The plugin completes every operation: its error answers, month patterns, links.
    api.init_app(app, spec_kwargs={"extra_plugins": [ApiDocumentPlugin(app)]})
    _add_attribute_function_once(decimal_properties)
    _add_attribute_function_once(exclusive_limits)
    # Every operation needs `Authorization: Bearer <token>` unless it says otherwise
    # (API_SPEC_OPTIONS sets the document-wide requirement; the token endpoint opts out).
    api.spec.components.security_scheme(
        BEARER_SCHEME, {"type": "http", "scheme": "bearer", "description": TOKEN_HELP}
    )
    for module in (auth, reference, vendors, engagements, bpo, kpo, selection, reporting, files):
        # Bearer tokens, never cookies, authenticate the API, so CSRF tokens do not apply.
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix="/api/v1")
