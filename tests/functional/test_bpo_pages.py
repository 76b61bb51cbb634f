"""BPO pages through the client: section, service levels, monthly entry, credits, roles."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db

THIS_MONTH = first_of_month(date.today())
LAST_MONTH = shift_month(THIS_MONTH, -1)


def _engagement(app, months_back=14, **kw):
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -months_back), end=shift_month(THIS_MONTH, 24), **kw
        )
        level = make_level(engagement, classification="critical", allocation="50")
        aht = make_level(
            engagement,
            name="Average handle time",
            unit="s",
            direction="lower",
            target="360",
            minimum=None,
        )
        db.session.commit()
        return engagement.id, level.id, aht.id


def test_section_shows_cells_attainment_and_credits(app, client, auth):
    engagement_id, level_id, aht_id = _engagement(app)
    with app.app_context():
        level = db.session.get(ServiceLevel, level_id)
        make_result(level, shift_month(THIS_MONTH, -3), "70")  # breach
        make_result(level, shift_month(THIS_MONTH, -2), "77")  # warning
        make_result(level, LAST_MONTH, "81.5", volume=42000)  # met
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/engagements/{engagement_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Service levels, last 12 months" in html
    assert "cell-breach" in html and "cell-warning" in html and "cell-met" in html
    assert "81.5 %" in html
    assert "cell-not-reported" in html  # earlier months nobody reported
    # 100 000 x 10 % x 50 % = 5 000.00; followed by a warning: final, so payable.
    assert "USD 5,000.00" in html
    # The lower-is-better key level without results reads "no data", never 0 %.
    assert "no data" in html
    # The BPO block comes first and links its charts as server-rendered SVG.
    assert f"/bpo/engagements/{engagement_id}/charts/level-{level_id}.svg" in html
    chart = client.get(f"/bpo/engagements/{engagement_id}/charts/level-{level_id}.svg")
    assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
    assert b"<script" not in chart.data and b"Target" in chart.data


def test_section_without_levels_offers_to_define_them(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement()
        db.session.commit()
        engagement_id = engagement.id
    auth.login("viewer")
    html = client.get(f"/engagements/{engagement_id}").get_data(as_text=True)
    assert "No service levels yet" in html


def test_kpo_engagement_has_no_service_levels(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement(kind="KPO")
        db.session.commit()
        engagement_id = engagement.id
    auth.login("manager")
    assert client.get(f"/bpo/engagements/{engagement_id}/service-levels").status_code == 404


def test_manager_creates_service_level_with_errors_next_to_fields(app, client, auth):
    engagement_id, _level_id, _aht = _engagement(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/service-levels/new"
    answer = client.post(
        url,
        data={
            "name": "CSAT",
            "metric_code": "customer_satisfaction",
            "unit": "",
            "direction": "higher",
            "target": "85",
            "minimum": "90",
            "classification": "critical",
            "allocation_pct": "460",
        },
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "cannot be above the target" in html
    assert "may not exceed 500" in html  # 50 % already allocated + 460 %
    answer = client.post(
        url,
        data={
            "name": "CSAT",
            "metric_code": "customer_satisfaction",
            "unit": "",
            "direction": "higher",
            "target": "85",
            "minimum": "80",
            "classification": "critical",
            "allocation_pct": "200",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        level = db.session.execute(
            select(ServiceLevel).where(ServiceLevel.name == "CSAT")
        ).scalar_one()
        assert level.unit == "%"  # taken from the library
        assert level.allocation_pct == Decimal("200")


def test_viewer_cannot_write(app, client, auth):
    engagement_id, level_id, _aht = _engagement(app)
    auth.login("viewer")
    period = f"{LAST_MONTH:%Y-%m}"
    assert client.get(f"/bpo/engagements/{engagement_id}/results/{period}").status_code == 200
    assert client.post(f"/bpo/engagements/{engagement_id}/results/{period}").status_code == 403
    assert client.post(f"/bpo/service-levels/{level_id}/delete").status_code == 403
    assert client.get(f"/bpo/engagements/{engagement_id}/service-levels/new").status_code == 403


def test_monthly_form_saves_all_levels_and_is_audited(app, client, auth):
    engagement_id, level_id, aht_id = _engagement(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    page = client.get(url)
    assert page.status_code == 200
    form = {
        "rows-0-level_id": str(level_id),
        "rows-0-actual": "101",  # not a percentage
        "rows-0-volume": "-3",
        "rows-1-level_id": str(aht_id),
        "rows-1-actual": "350",
    }
    answer = client.post(url, data=form)
    html = answer.get_data(as_text=True)
    assert "between 0 and 100" in html and "whole number" in html
    with app.app_context():
        assert db.session.execute(select(Measurement)).first() is None  # all or nothing
    form.update({"rows-0-actual": "82.5", "rows-0-volume": "41000"})
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        rows = db.session.execute(select(Measurement).order_by(Measurement.id)).scalars().all()
        assert [(r.actual, r.volume) for r in rows] == [(Decimal("82.5"), 41000), (350, None)]
        versions = {r.service_level_id: r.version for r in rows}
    # Edit one value with the version read: audited as an update under the engagement.
    form.update(
        {
            "rows-0-actual": "79",
            "rows-0-version": str(versions[level_id]),
            "rows-1-version": str(versions[aht_id]),
        }
    )
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        events = (
            db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.record_type == "bpo_measurements",
                    AuditEvent.parent_id == str(engagement_id),
                )
            )
            .scalars()
            .all()
        )
        assert [e.action for e in events].count("create") == 2
        update = next(e for e in events if e.action == "update")
        assert update.changes["actual"] == ["82.5000", "79"]
    # A stale version is refused, not overwritten.
    form["rows-0-actual"] = "60"
    answer = client.post(url, data=form)
    assert "Someone changed this result" in answer.get_data(as_text=True)


def test_month_outside_the_window_or_malformed(app, client, auth):
    engagement_id, level_id, _aht = _engagement(app, months_back=2)
    auth.login("manager")
    early = shift_month(THIS_MONTH, -5)
    answer = client.post(
        f"/bpo/engagements/{engagement_id}/results/{early:%Y-%m}",
        data={"rows-0-level_id": str(level_id), "rows-0-actual": "90"},
    )
    assert answer.status_code == 200
    assert "The engagement starts in" in answer.get_data(as_text=True)
    assert client.get(f"/bpo/engagements/{engagement_id}/results/2026-13").status_code == 404
    assert client.get(f"/bpo/engagements/{engagement_id}/results/garbage").status_code == 404


def test_credits_ledger_and_csv_export_escape_formulas(app, client, auth):
    engagement_id, level_id, _aht = _engagement(app)
    with app.app_context():
        level = db.session.get(ServiceLevel, level_id)
        level.name = "=HYPERLINK(evil)"
        make_result(level, shift_month(THIS_MONTH, -4), "60")
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/bpo/engagements/{engagement_id}/credits")
    assert page.status_code == 200
    assert "USD 5,000.00" in page.get_data(as_text=True)
    export = client.get(f"/bpo/engagements/{engagement_id}/credits.csv")
    assert export.status_code == 200 and export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert "'=HYPERLINK(evil) (final)" in text
    assert "\n=" not in text and ",=" not in text
    assert text.splitlines()[-1].startswith("total,1,")


def test_delete_level_removes_its_results(app, client, auth):
    engagement_id, level_id, _aht = _engagement(app)
    with app.app_context():
        make_result(db.session.get(ServiceLevel, level_id), LAST_MONTH, "90")
        db.session.commit()
    auth.login("manager")
    assert client.get(f"/bpo/service-levels/{level_id}/delete").status_code == 405
    assert client.post(f"/bpo/service-levels/{level_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(ServiceLevel, level_id) is None
        assert db.session.execute(select(Measurement)).first() is None


def test_suggested_levels_from_the_library(app, client, auth):
    with app.app_context():
        engagement = factories.make_engagement(status="planned")
        db.session.commit()
        engagement_id = engagement.id
    auth.login("manager")
    answer = client.post(
        f"/bpo/engagements/{engagement_id}/service-levels/suggest",
        data={"codes": ["service_level", "abandonment_rate"]},
    )
    assert answer.status_code == 302
    with app.app_context():
        levels = db.session.execute(select(ServiceLevel)).scalars().all()
        assert sorted((lv.metric_code, lv.target, lv.minimum) for lv in levels) == [
            ("abandonment_rate", Decimal("5"), Decimal("8")),
            ("service_level", Decimal("80"), Decimal("75")),
        ]
        assert all(lv.classification.value == "key" for lv in levels)


def test_engagement_page_query_count_does_not_grow(app, client, auth, query_counter):
    small_id, small_level, _ = _engagement(app, months_back=2)
    big_id, big_level, big_aht = _engagement(app, months_back=30)
    with app.app_context():
        big = db.session.get(ServiceLevel, big_level)
        engagement = big.engagement
        extra = [
            make_level(engagement, name=f"Level {n}", classification="critical", allocation="10")
            for n in range(8)
        ]
        for back in range(1, 13):
            for level in [big, *extra]:
                make_result(level, shift_month(THIS_MONTH, -back), "70" if back % 3 else "90")
        db.session.commit()
    auth.login("viewer")
    client.get(f"/engagements/{small_id}")
    with query_counter() as small:
        assert client.get(f"/engagements/{small_id}").status_code == 200
    with query_counter() as large:
        assert client.get(f"/engagements/{big_id}").status_code == 200
    assert len(large) == len(small)
