"""Many new monthly results in one statement: COPY on PostgreSQL, one executemany elsewhere.

A file import writes tens of thousands of results at once (`writes.apply_plan(bulk=True)`),
after the planner has checked every row; SQLAlchemy's per-row work would cost more than the
checks. The rows go to the driver in its own types, on the session's connection, inside the
request's transaction: a later failure (or a lost race) rolls them back with everything else.
"""

from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter

from sqlalchemy import Column, Connection, MetaData, Table, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.types import NullType

from vendor_tracker.engagements.bpo.models import Measurement
from vendor_tracker.engagements.bpo.results import ResultValues
from vendor_tracker.engagements.bpo.sla import Source
from vendor_tracker.extensions import db

COLUMNS = (
    "service_level_id",
    "engagement_id",
    "period",
    "actual",
    "volume",
    "note",
    "source",
    "recorded_by_id",
    "recorded_at",
    "version",
)
# The same table with untyped columns: SQLite's values are converted once per distinct value
# with the real column types' converters, so SQLAlchemy does no per-row work.
_untyped_table = Table(
    Measurement.__tablename__, MetaData(), *(Column(name, NullType()) for name in COLUMNS)
)
COPY_STATEMENT = f"COPY {Measurement.__tablename__} ({', '.join(COLUMNS)}) FROM STDIN"  # noqa: S608 - constants


def insert_results(
    engagement_id: int,
    values: Sequence[ResultValues],
    source: Source,
    user_id: int | None,
    now: datetime,
) -> None:
    """Insert `values` (new results of one engagement, version 1) in one statement.

    A result stored meanwhile for the same level and month raises SQLAlchemy's
    `IntegrityError`, as an ORM insert would."""
    if not values:
        return
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, engagement_id, values, source, user_id, now)
    else:
        _executemany(connection, engagement_id, values, source, user_id, now)


def _copy(connection: Connection, engagement_id, values, source, user_id, now) -> None:
    """psycopg's COPY FROM STDIN on the session's own connection (so in its transaction)."""
    driver = connection.connection.driver_connection
    constant = (source.value, user_id, now, 1)
    try:
        with driver.cursor() as cursor, cursor.copy(COPY_STATEMENT) as copy:
            write_row = copy.write_row
            for level_id, month, actual, volume, note in values:
                write_row((level_id, engagement_id, month, actual, volume, note, *constant))
    except connection.dialect.loaded_dbapi.Error as error:
        # As SQLAlchemy reports a failed statement: IntegrityError for a duplicate, and so on.
        raise DBAPIError.instance(
            COPY_STATEMENT, None, error, connection.dialect.loaded_dbapi.Error
        ) from error


def _executemany(connection: Connection, engagement_id, values, source, user_id, now) -> None:
    """One executemany straight on the driver, with values converted as the model types would."""
    dialect = connection.dialect
    columns = Measurement.__table__.c

    def converter(name):
        process = columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        return process or (lambda value: value)

    to_period, to_actual = converter("period"), converter("actual")
    periods = {month: to_period(month) for month in {row.period for row in values}}
    eid, src, at = engagement_id, converter("source")(source), converter("recorded_at")(now)
    rows = [
        (level_id, eid, periods[month], to_actual(actual), volume, note, src, user_id, at, 1)
        for level_id, month, actual, volume, note in values
    ]
    compiled = insert(_untyped_table).compile(dialect=dialect)
    if compiled.positional and tuple(compiled.positiontup) != COLUMNS:
        rows = list(map(itemgetter(*(COLUMNS.index(n) for n in compiled.positiontup)), rows))
    elif not compiled.positional:
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    connection.exec_driver_sql(str(compiled), rows)
