"""Small SQL functions the portfolio's sums need, the same on SQLite and PostgreSQL: the month
number of a date (`spend.month_index`) and the larger or smaller of two integers."""

from sqlalchemy import Integer, cast, extract, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class MonthNumber(FunctionElement):
    """`spend.month_index` of a date column (year * 12 + month - 1), as an integer."""

    type = Integer()
    inherit_cache = True


@compiles(MonthNumber)
def _month_number(element, compiler, **kw):
    day = list(element.clauses)[0]
    number = cast(extract("year", day), Integer) * 12 + cast(extract("month", day), Integer) - 1
    return f"({compiler.process(number, **kw)})"


@compiles(MonthNumber, "sqlite")
def _month_number_sqlite(element, compiler, **kw):
    # SQLite keeps a date as 'YYYY-MM-DD' text: cutting it is several times cheaper than strftime.
    day = list(element.clauses)[0]
    year, month = func.substr(day, 1, 4), func.substr(day, 6, 2)
    return f"({compiler.process(cast(year, Integer) * 12 + cast(month, Integer) - 1, **kw)})"


class Greatest(FunctionElement):
    """The larger of two non-null integers (`GREATEST`; SQLite's two-argument `max`)."""

    type = Integer()
    inherit_cache = True


class Least(FunctionElement):
    """The smaller of two non-null integers (`LEAST`; SQLite's two-argument `min`)."""

    type = Integer()
    inherit_cache = True


@compiles(Greatest)
def _greatest(element, compiler, **kw):
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(Least)
def _least(element, compiler, **kw):
    return f"LEAST({compiler.process(element.clauses, **kw)})"


@compiles(Greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@compiles(Least, "sqlite")
def _least_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"
