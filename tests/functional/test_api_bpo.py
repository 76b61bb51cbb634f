"""The BPO API: service levels, measurements (one or a list, all or nothing), compliance."""

from datetime import date

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

THIS_MONTH = first_of_month(date.today())
M1, M2, M3, M4 = (shift_month(THIS_MONTH, -n) for n in (1, 2, 3, 4))


def _engagement(app, **kw):
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -8), end=shift_month(THIS_MONTH, 12), **kw
        )
        db.session.commit()
        return engagement.id


def test_service_level_crud_and_roles(app, api):
    engagement_id = _engagement(app)
    url = f"/api/v1/engagements/{engagement_id}/service-levels"
    body = {
        "name": "Service level",
        "metric_code": "service_level",
        "direction": "higher",
        "target": "80",
        "minimum": "75",
        "classification": "critical",
        "allocation_pct": "150",
    }
    assert api.post(url, json=body, role="viewer").status_code == 403
    created = api.post(url, json=body, role="manager")
    assert created.status_code == 201, created.get_json()
    level = created.get_json()
    assert level["unit"] == "%" and level["target"] == "80"
    bad = api.post(url, json={**body, "name": "Other", "allocation_pct": "351"}, role="manager")
    assert bad.status_code == 422
    assert "allocation_pct" in bad.get_json()["error"]["fields"]
    bad = api.post(url, json={**body, "name": "X", "minimum": "90"}, role="manager")
    assert "minimum" in bad.get_json()["error"]["fields"]
    assert api.post(url, json={"name": "Y"}, role="manager").status_code == 422
    listing = api.get(url, role="viewer")
    assert [lv["name"] for lv in listing.get_json()] == ["Service level"]
    item = f"{url}/{level['id']}"
    stale = api.patch(item, json={"target": "82", "version": 99}, role="manager")
    assert stale.status_code == 409
    patched = api.patch(item, json={"target": "82", "version": level["version"]}, role="manager")
    assert patched.status_code == 200 and patched.get_json()["target"] == "82"
    assert api.delete(item, role="viewer").status_code == 403
    assert api.delete(item, role="manager").status_code == 204
    assert api.get(item).status_code == 404


def test_viewer_is_refused_before_the_body_is_validated(app, api):
    """A viewer learns it may not write (403), not what a valid body looks like (422)."""
    engagement_id = _engagement(app)
    with app.app_context():
        level_id = make_level(db.session.get(Engagement, engagement_id)).id
        db.session.commit()
    base = f"/api/v1/engagements/{engagement_id}"
    assert api.post(f"{base}/service-levels", json={}, role="viewer").status_code == 403
    patch = api.patch(f"{base}/service-levels/{level_id}", json={"target": "x"}, role="viewer")
    assert patch.status_code == 403
    answer = api.post(f"{base}/measurements?replace=maybe", json=[], role="viewer")
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"
    assert api.post(f"{base}/service-levels", json={}, role="manager").status_code == 422


def test_kpo_or_missing_engagement_is_404(app, api):
    kpo_id = _engagement(app, kind="KPO")
    assert api.get(f"/api/v1/engagements/{kpo_id}/service-levels").status_code == 404
    answer = api.get("/api/v1/engagements/999999/compliance")
    assert answer.status_code == 404 and "error" in answer.get_json()


def _levels(app, engagement_id):
    with app.app_context():
        engagement = db.session.get(Engagement, engagement_id)
        sl = make_level(engagement, classification="critical", allocation="100")
        aht = make_level(
            engagement, name="AHT", unit="s", direction="lower", target="360", minimum=None
        )
        db.session.commit()
        return sl.id, aht.id


def _count(app):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Measurement)).scalar_one()


def test_post_one_or_a_list_all_or_nothing(app, api):
    engagement_id = _engagement(app)
    sl, aht = _levels(app, engagement_id)
    url = f"/api/v1/engagements/{engagement_id}/measurements"
    one = api.post(
        url, json={"service_level_id": sl, "period": f"{M1:%Y-%m}", "actual": 81.5}, role="manager"
    )
    assert one.status_code == 201, one.get_json()
    assert one.get_json()["created"] == 1
    items = [
        {"service_level_id": aht, "period": f"{M1:%Y-%m}", "actual": "350", "volume": 10},
        {"service_level_id": sl, "period": "2026-1", "actual": "80"},
        {"service_level_id": aht, "period": f"{M2:%Y-%m}", "actual": -1},
        {"service_level_id": 424242, "period": f"{M2:%Y-%m}", "actual": 1},
        "not an object",
    ]
    answer = api.post(url, json=items, role="manager")
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    assert set(fields) == {"1", "2", "3", "4"}
    assert "period" in fields["1"] and "actual" in fields["2"]
    assert "service_level_id" in fields["3"]
    assert _count(app) == 1
    good = api.post(url, json=items[:1], role="manager")
    assert good.status_code == 201 and good.get_json()["items"][0]["volume"] == 10
    assert _count(app) == 2


def test_post_conflict_unless_replace_and_same_values_are_idempotent(app, api):
    engagement_id = _engagement(app)
    sl, _aht = _levels(app, engagement_id)
    url = f"/api/v1/engagements/{engagement_id}/measurements"
    body = {"service_level_id": sl, "period": f"{M1:%Y-%m}", "actual": "81"}
    assert api.post(url, json=body, role="manager").status_code == 201
    again = api.post(url, json=body, role="manager")
    assert again.status_code == 201 and again.get_json()["unchanged"] == 1
    changed = api.post(url, json={**body, "actual": "70"}, role="manager")
    assert changed.status_code == 409 and "period" in changed.get_json()["error"]["fields"]
    replaced = api.post(url + "?replace=true", json={**body, "actual": "70"}, role="manager")
    assert replaced.status_code == 201 and replaced.get_json()["updated"] == 1
    assert _count(app) == 1
    listing = api.get(url + f"?from={M1:%Y-%m}&to={M1:%Y-%m}", role="viewer").get_json()
    assert listing["total"] == 1 and listing["items"][0]["actual"] == "70"
    assert listing["items"][0]["source"] == "api"
    assert api.get(url + "?from=nonsense").status_code == 422
    for bad in ("[]", "null", "3"):
        answer = api.post(url, role="manager", data=bad, content_type="application/json")
        assert answer.status_code == 422


def test_compliance_statuses_attainment_and_credits(app, api):
    engagement_id = _engagement(app)
    sl, aht = _levels(app, engagement_id)
    with app.app_context():
        level = db.session.get(ServiceLevel, sl)
        make_result(level, M4, "70")  # breach -> credit 100 000 x 10 % x 100 % = 10 000
        make_result(level, M3, "85")
        make_result(level, M2, "90")  # M1 missing: not reported -> earn-back final
        make_result(db.session.get(ServiceLevel, aht), M2, "400")  # key breach, no credit
        db.session.commit()
    answer = api.get(
        f"/api/v1/engagements/{engagement_id}/compliance?from={M4:%Y-%m}&to={M1:%Y-%m}",
        role="viewer",
    )
    assert answer.status_code == 200, answer.get_json()
    data = answer.get_json()
    levels = {lv["name"]: lv for lv in data["levels"]}
    assert [m["status"] for m in levels["Service level"]["months"]] == [
        "breach",
        "met",
        "met",
        "not_reported",
    ]
    attained = levels["Service level"]["attainment"]
    assert (attained["met"], attained["reported"], attained["expected"]) == (2, 3, 4)
    assert attained["rate"] == pytest.approx(66.6667, abs=1e-3)
    assert attained["coverage"] == 75.0
    assert levels["AHT"]["attainment"]["rate"] == 0.0
    assert data["attainment"]["key"]["reported"] == 1
    months = data["credits"]["months"]
    assert months[0]["period"] == f"{M4:%Y-%m}"
    assert months[0]["breaches"][0]["amount"] == "10000.00"
    assert months[0]["breaches"][0]["earn_back"] == "final"
    assert months[0]["payable"] == "10000.00"
    assert data["credits"]["totals"]["payable"] == "10000.00"
    assert data["credits"]["at_risk_per_month"] == "10000.00"
    bad = api.get(f"/api/v1/engagements/{engagement_id}/compliance?from=2026-05&to=2026-01")
    assert bad.status_code == 422
    malformed = api.get(f"/api/v1/engagements/{engagement_id}/compliance?from=2026-99")
    assert malformed.status_code == 422
