"""Error answers: JSON for the API, friendly pages for people."""

from contextlib import suppress

from flask import Flask, current_app, render_template, request
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
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
from vendor_tracker.core.security import add_security_headers
from vendor_tracker.extensions import db

TEMPLATES = {403: "errors/403.html", 404: "errors/404.html", 500: "errors/500.html"}

# The database cannot be reached now (stopped, restarting, refusing connections, a dropped
# connection, no free connection in the pool), as opposed to a statement it refused (integrity,
# data errors stay what they are).
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError)
RETRY_AFTER_SECONDS = 30


def database_unreachable(error: BaseException | None) -> bool:
    """True for the errors that mean "the database is not there", not "it said no"."""
    if isinstance(error, UNAVAILABLE_ERRORS):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _rollback() -> None:
    """Roll back what the request began, if the session can still talk to anything."""
    with suppress(SQLAlchemyError):  # the connection is gone; the pool replaces it on next use
        db.session.rollback()


def database_unavailable(error: Exception):
    """503 without touching the database again: the JSON error with code `unavailable`, or a
    page rendered without the layout (which would load the signed-in user) and without the
    context processors (some read the user too), both with Retry-After and the security headers.
    The pool pings connections before use, so the next request after the database is back
    works without a restart."""
    _rollback()
    cause = getattr(error, "orig", None) or error
    current_app.logger.error("Database unavailable on %s: %s", request.path, cause)
    message = "The database is not available right now. Please try again in a minute."
    if wants_json():
        response = error_response(503, message)
    else:
        page = current_app.jinja_env.get_template("errors/unavailable.html")
        response = current_app.response_class(
            page.render(message=message, retry_after=RETRY_AFTER_SECONDS),
            status=503,
            mimetype="text/html",
        )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Set here too: when the failure is in the session or an after-request hook, Flask may not
    # run every hook on the answer.
    return add_security_headers(response)


def _page(template: str, status: int, headers=None, **context):
    """An error page in the layout, or the 503 answer if the layout cannot load the user."""
    try:
        body = render_template(template, status=status, **context)
    except UNAVAILABLE_ERRORS as error:
        return database_unavailable(error)
    return body, status, headers or []


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
    return _page(template, status, _protocol_headers(error), error=error)


def stale_data(_error: StaleDataError):
    """A concurrent save won the race between our read and our write."""
    db.session.rollback()
    message = "This record was changed by someone else while you were saving. Reload it."
    if wants_json():
        return error_response(409, message)
    return _page("errors/generic.html", 409, error=None, message=message)


def refused(error: Refusal):
    """A business rule refused the write: undo it and say why, once for the whole API.

    Pages show refusals through `core.forms.save_form` or `run_action`; one that reaches here
    gets the error page with its message rather than a server error.
    """
    db.session.rollback()
    if wants_json():
        return refusal_response(error)
    status = 409 if error.conflict else 422
    return _page("errors/generic.html", status, error=None, message=error.message)


def not_found(error: NotFound):
    """A record a service could not find: the 404 page, or the API's 404 in the error shape."""
    return http_error(HttpNotFound(description=error.message))


def out_of_range(_error: Exception):
    """A value the database cannot hold (a huge number, an over-long text) is bad input."""
    db.session.rollback()
    message = "A value in the request does not fit: a number out of range or a text too long."
    if wants_json():
        return error_response(422, message)
    return _page("errors/generic.html", 400, error=None, message=message)


def server_error(error: Exception):
    """Never show a stack trace; log it and apologise (503 when the database is unreachable,
    e.g. while loading the session or rendering another error page)."""
    original = getattr(error, "original_exception", error)
    if database_unreachable(original):
        return database_unavailable(original)
    _rollback()
    if not isinstance(original, HTTPException):
        current_app.logger.exception("Unhandled error on %s", request.path, exc_info=original)
    if wants_json():
        return error_response(500, "Something went wrong on our side; it has been logged.")
    return _page("errors/500.html", 500, error=None)


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
    for unreachable in UNAVAILABLE_ERRORS:
        app.register_error_handler(unreachable, database_unavailable)
