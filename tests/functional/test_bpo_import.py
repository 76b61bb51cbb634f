"""CSV import of monthly results: all or nothing, conflicts, idempotence, BOM, size limit."""

import io
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db

THIS_MONTH = first_of_month(date.today())
M1, M2, M3 = (shift_month(THIS_MONTH, -n) for n in (1, 2, 3))


def _setup(app):
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -6), end=shift_month(THIS_MONTH, 12)
        )
        sl = make_level(engagement, classification="critical", allocation="100")
        aht = make_level(engagement, name="AHT", unit="s", direction="lower", target="360")
        db.session.commit()
        return engagement.id, sl.id, aht.id


def _upload(client, engagement_id, text, replace=False, bom=False):
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    form = {"file": (io.BytesIO(data), "results.csv")}
    if replace:
        form["replace_existing"] = "y"
    return client.post(
        f"/bpo/engagements/{engagement_id}/import", data=form, content_type="multipart/form-data"
    )


def _count(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Measurement)).scalar_one()


def test_good_file_with_bom_imports_by_name_and_id(app, client, auth):
    engagement_id, sl_id, aht_id = _setup(app)
    auth.login("manager")
    text = (
        "service_level,period,actual,volume,note\r\n"
        f"Service level,{M2:%Y-%m},81.5,42000,\r\n"
        f"service level ,{M1:%Y-%m},72,41000,storm\r\n"
        f"{aht_id},{M1:%Y-%m},355,,\r\n"
    )
    answer = _upload(client, engagement_id, text, bom=True)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    with app.app_context():
        rows = db.session.execute(
            select(
                Measurement.service_level_id,
                Measurement.period,
                Measurement.actual,
                Measurement.volume,
                Measurement.note,
                Measurement.source,
            ).order_by(Measurement.service_level_id, Measurement.period)
        ).all()
        assert [(r[0], r[1], r[2], r[3], r[4], r[5].value) for r in rows] == [
            (sl_id, M2, Decimal("81.5"), 42000, "", "import"),
            (sl_id, M1, Decimal("72"), 41000, "storm", "import"),
            (aht_id, M1, Decimal("355"), None, "", "import"),
        ]
        # One summarising audit event under the engagement, not one per row.
        events = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == "import"))
            .scalars()
            .all()
        )
        assert len(events) == 1
        assert events[0].parent_id == str(engagement_id)
        assert events[0].changes["created"] == [None, 3]


def test_a_bad_row_in_the_middle_writes_nothing_and_names_line_column_reason(app, client, auth):
    engagement_id, _sl, _aht = _setup(app)
    auth.login("manager")
    text = (
        "service_level,period,actual,volume,note\n"
        f"Service level,{M3:%Y-%m},81,,\n"
        f"Service level,{M2:%Y-%m},101,,\n"  # line 3: not a percentage
        f"Nope,2025-13,abc,-4,\n"  # line 4: four problems
        f"AHT,{M1:%Y-%m},340,,\n"
    )
    answer = _upload(client, engagement_id, text)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Nothing was imported" in html
    assert "<td>3</td><td>actual</td><td>A percentage must lie between 0 and 100.</td>" in html
    assert "<td>4</td><td>service_level</td>" in html
    assert "<td>4</td><td>period</td>" in html
    assert "<td>4</td><td>volume</td>" in html
    assert _count(app) == 0


def test_same_file_twice_never_duplicates(app, client, auth):
    engagement_id, _sl, _aht = _setup(app)
    auth.login("manager")
    text = f"service_level,period,actual\nService level,{M2:%Y-%m},81\nAHT,{M2:%Y-%m},300\n"
    assert _upload(client, engagement_id, text).status_code == 302
    assert _upload(client, engagement_id, text).status_code == 302  # unchanged rows
    assert _count(app) == 2
    assert _upload(client, engagement_id, text, replace=True).status_code == 302
    assert _count(app) == 2


def test_conflict_unless_replace_existing(app, client, auth):
    engagement_id, sl_id, _aht = _setup(app)
    with app.app_context():
        make_result(db.session.get(ServiceLevel, sl_id), M1, "70")
        db.session.commit()
    auth.login("manager")
    text = f"service_level,period,actual\nService level,{M1:%Y-%m},85\nAHT,{M1:%Y-%m},300\n"
    answer = _upload(client, engagement_id, text)
    assert "replace existing" in answer.get_data(as_text=True)
    assert _count(app) == 1
    assert _upload(client, engagement_id, text, replace=True).status_code == 302
    with app.app_context():
        stored = db.session.execute(
            select(Measurement).where(Measurement.service_level_id == sl_id)
        ).scalar_one()
        assert stored.actual == Decimal("85")
        assert stored.version == 2
    assert _count(app) == 2


def test_duplicate_rows_months_outside_window_and_missing_columns(app, client, auth):
    engagement_id, _sl, _aht = _setup(app)
    auth.login("manager")
    early = shift_month(THIS_MONTH, -9)
    future = shift_month(THIS_MONTH, 1)
    text = (
        "service_level,period,actual\n"
        f"AHT,{M1:%Y-%m},300\n"
        f"AHT,{M1:%Y-%m},301\n"
        f"AHT,{early:%Y-%m},300\n"
        f"AHT,{future:%Y-%m},300\n"
    )
    html = _upload(client, engagement_id, text).get_data(as_text=True)
    assert "Line 2 already gives" in html
    assert "The engagement starts in" in html
    assert "Results can be given up to" in html
    html = _upload(client, engagement_id, "name,month\nAHT,2026-01\n").get_data(as_text=True)
    assert "Missing column" in html
    html = _upload(client, engagement_id, "").get_data(as_text=True)
    assert "empty" in html
    assert _count(app) == 0


def test_not_utf8_and_too_large(app, client, auth):
    engagement_id, _sl, _aht = _setup(app)
    auth.login("manager")
    form = {
        "file": (
            io.BytesIO("service_level,period,actual\nAHT,2026-01,é\n".encode("latin-1")),
            "x.csv",
        )
    }
    answer = client.post(
        f"/bpo/engagements/{engagement_id}/import", data=form, content_type="multipart/form-data"
    )
    assert "not UTF-8" in answer.get_data(as_text=True)
    app.config["IMPORT_MAX_BYTES"] = 100
    big = "service_level,period,actual\n" + f"AHT,{M1:%Y-%m},300\n" * 20
    html = _upload(client, engagement_id, big).get_data(as_text=True)
    assert "larger than" in html
    assert _count(app) == 0


def test_import_page_has_progress_indicator_and_viewer_is_refused(app, client, auth):
    engagement_id, _sl, _aht = _setup(app)
    auth.login("manager")
    html = client.get(f"/bpo/engagements/{engagement_id}/import").get_data(as_text=True)
    assert "data-progress" in html and 'class="progress d-none' in html
    auth.logout()
    auth.login("viewer")
    assert _upload(client, engagement_id, "service_level,period,actual\n").status_code == 403
