"""The one JSON error shape of the API, shared by the API and the app-wide error handlers.

It lives in core (not in `api`) because the error handlers and the login check answer API
requests too, and core imports no package above it.
"""

from typing import Any

from flask import jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from vendor_tracker.core.refusals import Refusal

# Only JSON endpoints live under this prefix; /api/docs is an ordinary page for people.
API_PREFIX = "/api/v1/"

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "server_error",
    503: "unavailable",
}


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    fields = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


class ErrorSchema(Schema):
    """{"error": {"code", "message", "fields"}}"""

    error = fields.Nested(ErrorBodySchema, required=True)


class APIError(HTTPException):
    """An HTTP error carrying field messages for the JSON body."""

    def __init__(self, status: int, message: str, fields_: dict[str, Any] | None = None):
        super().__init__(description=message)
        self.code = status
        self.fields = fields_ or {}


def is_api_path(path: str) -> bool:
    """True for the JSON API (bearer tokens, JSON errors), false for pages."""
    return path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/")


def wants_json() -> bool:
    """True for requests to the API (they never get HTML); /api/docs is a page."""
    return is_api_path(request.path)


def error_response(status: int, message: str, field_errors: dict[str, Any] | None = None):
    """Build the JSON error answer."""
    body = {
        "error": {
            "code": ERROR_CODES.get(status, "error"),
            "message": message,
            "fields": field_errors or {},
        }
    }
    response = jsonify(body)
    response.status_code = status
    return response


def problems_to_fields(problems: dict[str, str]) -> dict[str, list[str]]:
    """Field reasons in the API's {"field": ["reason"]} shape."""
    return {name: [reason] for name, reason in problems.items()}


def refusal_response(refused: Refusal):
    """A business-rule refusal as the JSON error: 409 for a conflict with the record's state,
    422 for invalid input, its fields as lists of reasons."""
    status = 409 if refused.conflict else 422
    return error_response(status, refused.message, problems_to_fields(refused.fields))


def flatten_messages(messages: Any) -> dict[str, Any]:
    """Turn webargs' {"json": {...}, "query": {...}} messages into {"field": "reason"}."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    result: dict[str, Any] = {}
    for location, value in messages.items():
        if location in {"json", "query", "form", "files", "headers", "view_args"} and isinstance(
            value, dict
        ):
            result.update(value)
        else:
            result[location] = value
    return result
