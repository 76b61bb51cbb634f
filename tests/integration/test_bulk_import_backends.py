"""The file import's bulk write on each backend: COPY on PostgreSQL, one executemany on SQLite.

Both must store exactly what the planner planned (text with commas, quotes, tabs, line breaks and
backslashes, blank volumes, the writer and version 1), record the same one import event, replace
in place, and refuse as a conflict (writing nothing) when a result was stored between planning
and writing. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import count_queries
from tests.factories_bpo import make_level, make_result
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.engagements.bpo import bulk_insert, writes
from vendor_tracker.engagements.bpo.imports import import_results, parse_csv
from vendor_tracker.engagements.bpo.models import Measurement
from vendor_tracker.engagements.bpo.results import Intent
from vendor_tracker.engagements.bpo.sla import Source, first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)
M1, M2, M3 = (shift_month(THIS_MONTH, -n) for n in (1, 2, 3))
# Every character COPY's text format escapes, and text no single-byte encoding holds.
AWKWARD_NOTE = 'a, "quoted"\tnote\\N with \\ a backslash\r\nand a second line: ünï 日本 ✓'


def _engagement():
    engagement = factories.make_engagement(
        start=shift_month(THIS_MONTH, -6), end=shift_month(THIS_MONTH, 12)
    )
    sl = make_level(engagement, classification="critical", allocation="100")
    aht = make_level(engagement, name="AHT", unit="s", direction="lower", target="360")
    db.session.commit()
    return engagement, sl, aht


def _csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["service_level", "period", "actual", "volume", "note"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _stored(engagement_id):
    return [
        tuple(row)
        for row in db.session.execute(
            select(
                Measurement.service_level_id,
                Measurement.period,
                Measurement.actual,
                Measurement.volume,
                Measurement.note,
                Measurement.source,
                Measurement.recorded_by_id,
                Measurement.version,
            )
            .where(Measurement.engagement_id == engagement_id)
            .order_by(Measurement.service_level_id, Measurement.period)
        )
    ]


def _import(engagement, data, replace=False):
    user = user_by_email("manager@example.com")
    plan = import_results(
        engagement, data, replace, user.id, user.email, TODAY, filename="october.csv"
    )
    assert plan.ok, plan.problems
    db.session.commit()
    return plan, user.id


def test_new_rows_are_stored_exactly_with_one_import_event(app):
    with app.app_context():
        engagement, sl, aht = _engagement()
        before = datetime.now(UTC)
        data = _csv(
            [
                ["Service level", f"{M3:%Y-%m}", "81.25", "42000", ""],
                ["Service level", f"{M2:%Y-%m}", "0", "0", AWKWARD_NOTE],
                ["AHT", f"{M2:%Y-%m}", "355.1234", "", "  padded  "],
                [str(aht.id), f"{M1:%Y-%m}", "9999999999.9999", "2000000000", ""],
            ]
        )
        plan, user_id = _import(engagement, data)
        assert len(plan.insert) == 4
        imported = Source.IMPORT
        assert _stored(engagement.id) == [
            (sl.id, M3, Decimal("81.25"), 42000, "", imported, user_id, 1),
            (sl.id, M2, Decimal("0"), 0, AWKWARD_NOTE, imported, user_id, 1),
            (aht.id, M2, Decimal("355.1234"), None, "padded", imported, user_id, 1),
            (aht.id, M1, Decimal("9999999999.9999"), 2000000000, "", imported, user_id, 1),
        ]
        times = db.session.execute(select(Measurement.recorded_at)).scalars().all()
        assert len(set(times)) == 1  # one timestamp for the whole file, in UTC
        assert before - timedelta(seconds=1) <= times[0] <= datetime.now(UTC)
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "import")
        ).scalar_one()
        assert (event.actor, event.record_type, event.parent_id) == (
            "manager@example.com",
            "bpo_measurements",
            str(engagement.id),
        )
        assert event.summary == "import of 4 monthly results from october.csv"
        assert event.changes == {
            "created": [None, 4],
            "replaced": [None, 0],
            "unchanged": [None, 0],
            "months": [None, f"{M3:%Y-%m} to {M1:%Y-%m}"],
        }
        # The ORM reads the rows written past it like any other, ids included.
        loaded = db.session.execute(select(Measurement).order_by(Measurement.id)).scalars().all()
        assert [m.note for m in loaded][1] == AWKWARD_NOTE
        assert len({m.id for m in loaded}) == 4


def test_replacing_updates_in_place_and_adds_only_the_new_month(app):
    with app.app_context():
        engagement, sl, _aht = _engagement()
        kept = make_result(sl, M3, "80", volume=100, note="as sent")
        changed = make_result(sl, M2, "70", volume=100)
        db.session.commit()
        kept_id, changed_id = kept.id, changed.id
        data = _csv(
            [
                ["Service level", f"{M3:%Y-%m}", "80", "100", "as sent"],
                ["Service level", f"{M2:%Y-%m}", "75.5", "120", "corrected"],
                ["Service level", f"{M1:%Y-%m}", "90", "", ""],
            ]
        )
        plan, user_id = _import(engagement, data, replace=True)
        assert (len(plan.insert), len(plan.update), plan.unchanged) == (1, 1, 1)
        rows = {
            m.period: m
            for m in db.session.execute(select(Measurement)).scalars()  # fresh after commit
        }
        assert (rows[M3].id, rows[M3].version, rows[M3].source) == (kept_id, 1, Source.FORM)
        assert (rows[M2].id, rows[M2].version, rows[M2].actual, rows[M2].note) == (
            changed_id,
            2,
            Decimal("75.5"),
            "corrected",
        )
        assert (rows[M1].version, rows[M1].volume, rows[M1].source) == (1, None, Source.IMPORT)
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "import")
        ).scalar_one()
        assert event.changes["created"] == [None, 1]
        assert event.changes["replaced"] == [None, 1]
        assert event.changes["unchanged"] == [None, 1]


def test_a_result_stored_after_planning_refuses_the_whole_file(app):
    with app.app_context():
        engagement, sl, _aht = _engagement()
        rows = [
            ["AHT", f"{M2:%Y-%m}", "300", "", ""],
            ["Service level", f"{M1:%Y-%m}", "85", "", ""],
        ]
        incoming, _problems = parse_csv(_csv(rows))
        plan = writes.plan_writes(engagement, incoming, Intent.ADD, TODAY)
        assert len(plan.insert) == 2
        # Another writer stores the month between planning and writing.
        make_result(sl, M1, "60")
        db.session.commit()
        engagement = db.session.get(Engagement, engagement.id)
        with pytest.raises(Refusal) as refused:
            writes.apply_plan(engagement, plan, Source.IMPORT, None, "x", bulk=True)
        assert refused.value.conflict
        db.session.commit()  # nothing of the file is left to commit
        assert _stored(engagement.id) == [
            (sl.id, M1, Decimal("60"), None, "", Source.FORM, None, 1),
        ]
        count = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "import")
        assert db.session.execute(count).scalar_one() == 0


def test_rows_written_in_bulk_roll_back_with_the_request(app):
    with app.app_context():
        engagement, _sl, _aht = _engagement()
        user = user_by_email("manager@example.com")
        data = _csv([["Service level", f"{M1:%Y-%m}", "85", "", ""]])
        plan = import_results(engagement, data, False, user.id, user.email, TODAY)
        assert plan.ok and len(_stored(engagement.id)) == 1  # visible inside the transaction
        db.session.rollback()
        assert _stored(engagement.id) == []


def test_postgresql_writes_new_rows_with_copy_and_sqlite_with_one_executemany(app, monkeypatch):
    copies = []
    original_copy = bulk_insert._copy
    monkeypatch.setattr(
        bulk_insert, "_copy", lambda *args: copies.append(len(args[2])) or original_copy(*args)
    )
    with app.app_context():
        engagement, _sl, _aht = _engagement()
        months = [shift_month(THIS_MONTH, -n) for n in range(1, 7)]
        data = _csv(
            [
                [level, f"{m:%Y-%m}", "50", "", ""]
                for level in ("Service level", "AHT")
                for m in months
            ]
        )
        backend = db.engine.dialect.name
        with count_queries(app) as statements:
            _import(engagement, data)
        inserts = [
            s for s in statements if s.lstrip().upper().startswith("INSERT INTO BPO_MEASUREMENTS")
        ]
        if backend == "postgresql":
            assert (copies, inserts) == ([12], [])
        else:
            assert (copies, len(inserts)) == ([], 1)
        assert len(_stored(engagement.id)) == 12
