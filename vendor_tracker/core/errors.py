"""Error answers: JSON for the API, friendly pages for people."""

from flask import Flask, render_template, request
from sqlalchemy.exc import DataError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.exceptions import NotFound as HttpNotFound

from vendor_tracker.core.api_errors import (
    APIError,
    error_response,
    flatten_messages,
    refusal_response,
    wants_json,
)
from vendor_tracker.core.refusals import NotFound, Refusal
from vendor_tracker.extensions import db

TEMPLATES = {403: "errors/403.html", 404: "errors/404.html", 500: "errors/500.html"}


def _protocol_headers(error: HTTPException) -> list[tuple[str, str]]:
    """Headers the error itself requires (Allow on 405, WWW-Authenticate...), body type aside."""
    return [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def http_error(error: HTTPException):
    """Answer any HTTP error in the form the client expects."""
    status = error.code or 500
    if wants_json():
        field_errors = getattr(error, "fields", None)
        data = getattr(error, "data", None) or {}
        if field_errors is None and "messages" in data:
            field_errors = flatten_messages(data["messages"])
        message = error.description if isinstance(error, APIError) else None
        if status == 422 and not message:
            message = "Some fields are not valid."
        response = error_response(status, message or error.description or error.name, field_errors)
        response.headers.extend(_protocol_headers(error))
        return response
    template = TEMPLATES.get(status, "errors/generic.html")
    body = render_template(template, error=error, status=status)
    return body, status, _protocol_headers(error)


def stale_data(_error: StaleDataError):
    """A concurrent save won the race between our read and our write."""
    db.session.rollback()
    message = "This record was changed by someone else while you were saving. Reload it."
    if wants_json():
        return error_response(409, message)
    return render_template("errors/generic.html", status=409, error=None, message=message), 409


def refused(error: Refusal):
    """A business rule refused the write: undo it and say why, once for the whole API.

    Pages show refusals through `core.forms.save_form` or `run_action`; one that reaches here
    gets the error page with its message rather than a server error.
    """
    db.session.rollback()
    if wants_json():
        return refusal_response(error)
    status = 409 if error.conflict else 422
    page = render_template("errors/generic.html", status=status, error=None, message=error.message)
    return page, status


def not_found(error: NotFound):
    """A record a service could not find: the 404 page, or the API's 404 in the error shape."""
    return http_error(HttpNotFound(description=error.message))


def out_of_range(_error: Exception):
    """A value the database cannot hold (a huge number, an over-long text) is bad input."""
    db.session.rollback()
    message = "A value in the request does not fit: a number out of range or a text too long."
    if wants_json():
        return error_response(422, message)
    return render_template("errors/generic.html", status=400, error=None, message=message), 400


def server_error(error: Exception):
    """Never show a stack trace; log it and apologise."""
    db.session.rollback()
    original = getattr(error, "original_exception", error)
    if not isinstance(original, HTTPException):
        from flask import current_app

        current_app.logger.exception("Unhandled error on %s", request.path, exc_info=original)
    if wants_json():
        return error_response(500, "Something went wrong on our side; it has been logged.")
    return render_template("errors/500.html", status=500, error=None), 500


def register_error_handlers(app: Flask) -> None:
    """Route every error through the handlers above, including flask-smorest's."""
    # Registered after flask-smorest's own handler, so this one answers every HTTP error.
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(StaleDataError, stale_data)
    app.register_error_handler(Refusal, refused)
    app.register_error_handler(NotFound, not_found)
    app.register_error_handler(OverflowError, out_of_range)  # SQLite: int beyond 64 bits
    app.register_error_handler(DataError, out_of_range)  # PostgreSQL: integer out of range
    app.register_error_handler(InternalServerError, server_error)
