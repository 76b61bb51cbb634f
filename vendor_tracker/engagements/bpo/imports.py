"""CSV import of monthly results: validate every row first, then write all in bulk or nothing.

Columns: service_level, period (YYYY-MM), actual, volume, note. Service levels by name or id.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter

from sqlalchemy import Column, MetaData, Table, bindparam, insert, select, update
from sqlalchemy.types import NullType

from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.core.models import utcnow
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import (
    Source,
    first_of_month,
    is_percent_unit,
    parse_period,
    to_decimal,
    value_problem,
)
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

REQUIRED_COLUMNS = ("service_level", "period", "actual")
OPTIONAL_COLUMNS = ("volume", "note")
MAX_REPORTED_ERRORS = 200
NOTE_MAX = 2000


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str


@dataclass
class ImportPlan:
    """Validated rows split into new and replacing ones, or the errors that stop the import."""

    new: list[dict] = field(default_factory=list)
    replace: list[dict] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_total: int = 0
    periods: set = field(default_factory=set)

    def fail(self, line: int, column: str, reason: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, column, reason))

    @property
    def ok(self) -> bool:
        return self.error_total == 0

    @property
    def rows(self) -> int:
        return len(self.new) + len(self.replace) + self.unchanged


@dataclass(frozen=True)
class Level:
    id: int
    name: str
    unit: str

    percent: bool = False


ZERO, HUNDRED, LARGE = Decimal(0), Decimal(100), Decimal("1e10")


def _decode(data: bytes, plan: ImportPlan) -> str | None:
    try:
        return data.decode("utf-8-sig")  # the BOM spreadsheet programs write is optional
    except UnicodeDecodeError as problem:
        plan.fail(1, "file", f"The file is not UTF-8 text (byte {problem.start}).")
        return None


def plan_import(
    data: bytes,
    levels: list[Level],
    existing: dict[tuple[int, date], tuple[int, Decimal, int | None, str]],
    first_month: date,
    last_month: date,
    replace_existing: bool,
) -> ImportPlan:
    """Validate a CSV against the engagement's levels, its window and the results it already has.

    `existing` maps (level id, month) to (measurement id, actual, volume, note). A row equal to
    the stored result is unchanged (importing a file twice changes nothing); a different one is a
    conflict unless `replace_existing`.
    """
    plan = ImportPlan()
    text = _decode(data, plan)
    if text is None:
        return plan
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as problem:
        plan.fail(1, "file", f"This is not a readable CSV file: {problem}.")
        return plan
    if not header or not any(cell.strip() for cell in header):
        plan.fail(1, "file", "The file is empty; the first line names the columns.")
        return plan
    names = [cell.strip().lower() for cell in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        plan.fail(
            1,
            ", ".join(missing),
            "Missing column; the header needs "
            + ", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
            + ".",
        )
        return plan
    col = {name: names.index(name) for name in REQUIRED_COLUMNS + OPTIONAL_COLUMNS if name in names}
    width = len(names)
    by_name = {level.name.strip().lower(): level for level in levels}
    by_id = {str(level.id): level for level in levels}
    seen: dict[tuple[int, date], int] = {}
    months: dict[str, date | None] = {}
    i_level, i_period, i_actual = col["service_level"], col["period"], col["actual"]
    i_volume, i_note = col.get("volume"), col.get("note")
    line = 1
    try:
        for row in reader:
            line = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) < width:
                row = row + [""] * (width - len(row))
            errors_before = plan.error_total
            raw_level = row[i_level].strip()
            level = by_name.get(raw_level.lower()) or by_id.get(raw_level)
            if level is None:
                plan.fail(
                    line,
                    "service_level",
                    f"No service level named or numbered “{raw_level[:60]}” on this engagement.",
                )
            raw_period = row[i_period].strip()
            # A file holds few distinct months: parse each once.
            month = months.get(raw_period, False)
            if month is False:
                month = months[raw_period] = parse_period(raw_period)
            if month is None:
                plan.fail(line, "period", f"“{raw_period[:20]}” is not a month as YYYY-MM.")
            elif month < first_month:
                plan.fail(line, "period", f"The engagement starts in {first_month:%b %Y}.")
            elif month > last_month:
                plan.fail(line, "period", f"Results can be given up to {last_month:%b %Y}.")
            actual = to_decimal(row[i_actual])
            if actual is None:
                plan.fail(line, "actual", "Give the result as a number (a dot for decimals).")
            elif level is not None and not (
                # The common case checked inline; value_problem words every other one.
                (level.percent and ZERO <= actual <= HUNDRED)
                or (not level.percent and ZERO <= actual < LARGE)
            ):
                plan.fail(line, "actual", value_problem(level.unit, actual) or "Not valid.")
            volume = None
            raw_volume = row[i_volume].strip() if i_volume is not None else ""
            if raw_volume:
                number = to_decimal(raw_volume)
                if number is None or number < 0 or number != number.to_integral_value():
                    plan.fail(line, "volume", "The volume is a whole number, 0 or more.")
                elif number > 2_000_000_000:
                    plan.fail(line, "volume", "This volume is too large.")
                else:
                    volume = int(number)
            note = row[i_note].strip() if i_note is not None else ""
            if len(note) > NOTE_MAX:
                plan.fail(line, "note", f"Use at most {NOTE_MAX} characters.")
            if plan.error_total != errors_before:
                continue
            key = (level.id, month)
            if key in seen:
                plan.fail(
                    line,
                    "period",
                    f"Line {seen[key]} already gives this service level for this month.",
                )
                continue
            seen[key] = line
            stored = existing.get(key)
            values = {
                "service_level_id": level.id,
                "period": month,
                "actual": actual,
                "volume": volume,
                "note": note,
            }
            if stored is None:
                plan.new.append(values)
            elif (stored[1], stored[2], stored[3]) == (actual, volume, note):
                plan.unchanged += 1
            elif replace_existing:
                values["measurement_id"] = stored[0]
                plan.replace.append(values)
            else:
                plan.fail(
                    line,
                    "period",
                    f"{level.name} already has a result for "
                    f"{month:%b %Y} ({stored[1].normalize():f}); tick “replace existing” "
                    "to overwrite it.",
                )
                continue
            plan.periods.add(month)
    except csv.Error as problem:
        plan.fail(line + 1, "file", f"This line cannot be read as CSV: {problem}.")
    if plan.ok and plan.rows == 0:
        plan.fail(2, "file", "The file holds no results below its header.")
    return plan


_BULK_COLUMNS = (
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
# The same table with untyped columns: values are converted once per distinct value below with
# the real column types' converters, so SQLAlchemy does no per-row work on 50,000 rows.
_bulk_table = Table(
    Measurement.__tablename__,
    MetaData(),
    *(Column(name, NullType()) for name in _BULK_COLUMNS),
)


def bulk_insert(engagement_id: int, rows: list[dict], user_id: int | None, now) -> None:
    """Insert validated rows in one executemany, converting values as the model types would.

    The row dicts are completed in place with the engagement, source and recording details.
    """
    dialect = db.session.get_bind().dialect
    columns = Measurement.__table__.c

    def converter(name):
        process = columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        return process or (lambda value: value)

    to_period, to_actual = converter("period"), converter("actual")
    periods: dict = {}
    constant = {
        "engagement_id": engagement_id,
        "source": converter("source")(Source.IMPORT),
        "recorded_by_id": user_id,
        "recorded_at": converter("recorded_at")(now),
        "version": 1,
    }
    compiled = insert(_bulk_table).compile(dialect=dialect)
    order = compiled.positiontup if compiled.positional else _BULK_COLUMNS
    for row in rows:
        month = row["period"]
        if month not in periods:
            periods[month] = to_period(month)
        row["period"] = periods[month]
        row["actual"] = to_actual(row["actual"])
        row.update(constant)
    params = list(map(itemgetter(*order), rows)) if compiled.positional else rows
    # One executemany straight on the driver: the values are already in its types.
    db.session.connection().exec_driver_sql(str(compiled), params)


def existing_results(engagement_id: int) -> dict[tuple[int, date], tuple]:
    """Every stored result of the engagement, keyed for `plan_import`."""
    rows = db.session.execute(
        select(
            Measurement.service_level_id,
            Measurement.period,
            Measurement.id,
            Measurement.actual,
            Measurement.volume,
            Measurement.note,
        ).where(Measurement.engagement_id == engagement_id)
    )
    return {
        (lv, period): (mid, actual, volume, note or "")
        for lv, period, mid, actual, volume, note in rows
    }


def import_results(
    engagement: Engagement,
    data: bytes,
    replace_existing: bool,
    user_id: int | None,
    actor: str,
    today: date,
    filename: str = "",
) -> ImportPlan:
    """Validate then write: one bulk insert, one bulk update, one summarising audit event."""
    levels = [
        Level(lv_id, name, unit, is_percent_unit(unit))
        for lv_id, name, unit in db.session.execute(
            select(ServiceLevel.id, ServiceLevel.name, ServiceLevel.unit).where(
                ServiceLevel.engagement_id == engagement.id
            )
        )
    ]
    last = first_of_month(today)
    if engagement.end_date:
        last = min(last, first_of_month(engagement.end_date))
    plan = plan_import(
        data,
        levels,
        existing_results(engagement.id),
        first_of_month(engagement.start_date),
        last,
        replace_existing,
    )
    if not plan.ok:
        return plan
    now = utcnow()
    table = Measurement.__table__
    if plan.new:
        bulk_insert(engagement.id, plan.new, user_id, now)
    if plan.replace:
        params = [
            {
                "b_id": row["measurement_id"],
                "b_actual": row["actual"],
                "b_volume": row["volume"],
                "b_note": row["note"],
            }
            for row in plan.replace
        ]
        db.session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                actual=bindparam("b_actual"),
                volume=bindparam("b_volume"),
                note=bindparam("b_note"),
                source=Source.IMPORT.value,
                recorded_by_id=user_id,
                recorded_at=now,
                version=table.c.version + 1,
            ),
            params,
        )
    periods = sorted(plan.periods)
    db.session.add(
        AuditEvent(
            user_id=user_id,
            actor=actor,
            action="import",
            record_type="bpo_measurements",
            parent_type="engagements",
            parent_id=str(engagement.id),
            summary=f"import of {plan.rows} monthly results"
            + (f" from {filename}" if filename else ""),
            changes={
                "created": [None, len(plan.new)],
                "replaced": [None, len(plan.replace)],
                "unchanged": [None, plan.unchanged],
                "months": [None, f"{periods[0]:%Y-%m} to {periods[-1]:%Y-%m}" if periods else ""],
            },
        )
    )
    db.session.flush()
    return plan
