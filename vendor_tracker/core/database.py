"""Engine settings that depend on the database backend."""

import os
from datetime import UTC

from sqlalchemy import DateTime, event
from sqlalchemy.dialects.sqlite import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class AwareSQLiteDateTime(SQLITE_DATETIME):
    """SQLite keeps no offset; `DateTime(timezone=True)` values were stored as UTC, so hand them
    back as aware UTC datetimes, as PostgreSQL does (the API then sends valid RFC 3339 times and
    comparisons with `utcnow()` work on both backends)."""

    def result_processor(self, dialect, coltype):
        parse = super().result_processor(dialect, coltype)
        if not self.timezone:
            return parse

        def to_aware(value):
            value = parse(value) if parse else value
            if value is not None and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value

        return to_aware


def register_sqlite_pragmas(engine: Engine) -> None:
    """WAL, synchronous=NORMAL, a 5 s busy timeout and enforced foreign keys on SQLite;
    timezone-aware datetimes come back aware."""
    if engine.dialect.name == "sqlite" and not event.contains(
        engine, "connect", _set_sqlite_pragmas
    ):
        event.listen(engine, "connect", _set_sqlite_pragmas)
        # Per engine (instance attribute), set before the first query adapts any type.
        engine.dialect.colspecs = {**engine.dialect.colspecs, DateTime: AwareSQLiteDateTime}


# PostgreSQL's JIT compiler spent ~300 ms of a 366 ms report statement compiling code for one
# run; the app's statements are short, so its connections never use it.
POSTGRES_SESSION_OPTIONS = "-c jit=off"


def listen_on_every_session(listeners: dict) -> None:
    """Listen for these session events ({event name: listener}) on every session, each
    listener once however often this is called."""
    for name, listener in listeners.items():
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def engine_options(database_uri, options: dict | None = None) -> dict:
    """The engine options for `database_uri`: on PostgreSQL, connections start with JIT off
    (libpq `options`, before any `PGOPTIONS` or configured options, which may still override it).
    Other backends get `options` unchanged."""
    options = dict(options or {})
    if not str(database_uri).startswith(("postgresql", "postgres:")):
        return options
    connect_args = dict(options.get("connect_args") or {})
    given = connect_args.get("options") or os.environ.get("PGOPTIONS", "")
    connect_args["options"] = f"{POSTGRES_SESSION_OPTIONS} {given}".strip()
    options["connect_args"] = connect_args
    return options


# Ids are 32-bit INTEGER columns on PostgreSQL; a larger number in a URL cannot name a row.
MAX_DATABASE_ID = 2**31 - 1


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` URL parts limited to what an id column can hold, so a huge one is a 404
    (and the OpenAPI document states the maximum)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_DATABASE_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_id_converter(app) -> None:
    """Make `<int:...>` bounded for every route registered after this call."""
    app.url_map.converters["int"] = DatabaseIdConverter
