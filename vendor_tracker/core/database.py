"""Engine settings that depend on the database backend."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def register_sqlite_pragmas(engine: Engine) -> None:
    """WAL, synchronous=NORMAL, a 5 s busy timeout and enforced foreign keys on SQLite."""
    if engine.dialect.name == "sqlite" and not event.contains(
        engine, "connect", _set_sqlite_pragmas
    ):
        event.listen(engine, "connect", _set_sqlite_pragmas)
