"""What every API module shares: error answers, pagination, the version check.

A service's `core.refusals.Refusal` or `NotFound` needs no handling here: it propagates to the
one handler in `core.errors`, which answers it in the JSON error shape.
"""

from copy import copy
from typing import Any

from flask import abort
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import RAISE, Schema, fields, missing, validate
from webargs.flaskparser import FlaskParser

from vendor_tracker.api.fields import MAX_ID
from vendor_tracker.core.api_errors import (
    APIError,
    ErrorSchema,
    problems_to_fields,  # noqa: F401 - the API modules take it from here
)
from vendor_tracker.core.models import StaleVersionError, check_version
from vendor_tracker.extensions import db


def fail(status: int, message: str, field_errors: dict[str, Any] | None = None):
    """Abort the request with a JSON API error."""
    raise APIError(status, message, field_errors)


def check_id(value: int, what: str) -> int:
    """Ids beyond the database's integer range cannot exist: 404 rather than an overflow."""
    if not 1 <= value <= MAX_ID:
        fail(404, f"{what} not found.")
    return value


ERROR_DESCRIPTIONS = {
    400: "Bad request.",
    401: "Sign in first (Bearer token).",
    403: "Your role may not do this.",
    404: "Not found.",
}


def error_docs(blp: SmorestBlueprint, not_found: str = "Not found."):
    """A `documented(*codes)` decorator for `blp`: the error answers an endpoint can give, in
    the shared error shape, in the OpenAPI document."""
    descriptions = {**ERROR_DESCRIPTIONS, 404: not_found}

    def documented(*codes: int):
        def decorate(view):
            for code in codes:
                view = blp.alt_response(
                    code, schema=ErrorSchema, description=descriptions.get(code)
                )(view)
            return view

        return decorate

    return documented


def require_version(record, payload: dict[str, Any]) -> None:
    """PATCH bodies carry the version they were based on; a stale one is a 409."""
    if "version" not in payload:
        fail(
            422,
            "Send the record's current version.",
            {"version": ["Missing data for required field."]},
        )
    try:
        check_version(record, payload.pop("version"))
    except StaleVersionError as stale:
        fail(409, str(stale), {"version": [f"Current version is {stale.current_version}."]})


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(min=1, max=200))


def page_of(schema_cls: type[Schema], name: str) -> type[Schema]:
    """An envelope schema {items, page, per_page, total, pages} around `schema_cls`."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(schema_cls), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
            "pages": fields.Integer(required=True),
        },
        name=name,
    )


def answer_of(schema_cls: type[Schema], name: str) -> type[Schema]:
    """`schema_cls` as the API answers it, for a schema that also reads request bodies (where
    most fields are optional): the same fields, each one always sent (required)."""
    answered = {}
    for key, field in schema_cls._declared_fields.items():
        if field.load_only:
            continue
        answer = copy(field)
        answer.required, answer.load_default = True, missing
        answered[key] = answer
    return Schema.from_dict(answered, name=name)


def sort_order(sort: str) -> dict[str, Any]:
    """A `sort` argument as filter fields: "-start" -> {"sort": "start", "descending": True}."""
    return {"sort": sort.lstrip("-"), "descending": sort.startswith("-")}


def paginate(stmt, page: int, per_page: int) -> dict[str, Any]:
    """Run a select with Flask-SQLAlchemy's paginator and return the envelope dict."""
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {
        "items": pagination.items,
        "page": pagination.page,
        "per_page": pagination.per_page,
        "total": pagination.total or 0,
        "pages": pagination.pages,
    }


class StrictArgumentsParser(FlaskParser):
    """Unknown query arguments are refused (422 naming them), not silently ignored: a misspelt
    filter would otherwise return every row."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE}


class TrackerBlueprint(SmorestBlueprint):
    """flask-smorest's blueprint with the strict argument parser."""

    ARGUMENTS_PARSER = StrictArgumentsParser()


def Blueprint(name: str, description: str) -> SmorestBlueprint:  # noqa: N802 - a factory
    """A smorest blueprint for one API area."""
    return TrackerBlueprint(name, __name__, description=description)


def not_found(what: str):
    """Abort with a JSON 404 naming what was not found."""
    abort(404, description=f"{what} not found.")
