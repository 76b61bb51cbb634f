"""Every page and API writer keeps the BPO rollups equal to the rules: the provider's month
form, the client's file import, the API, a waived credit dispute, a level's new target and the
engagement's new window; after each request `check_all` finds no difference, and no stored
vendor scorecard outlived the change."""

import io
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.factories_bpo import portal_world
from tests.factories_reporting import stored_scorecards_agree
from tests.functional.test_provider_bpo_pages import _month_form, _month_url
from vendor_tracker.engagements.bpo import rollups
from vendor_tracker.engagements.bpo.models import CreditDispute, ServiceLevel
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup
from vendor_tracker.engagements.bpo.sla import shift_month
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db


@pytest.fixture
def world(app):
    with app.app_context():
        return portal_world(PASSWORD)


def _clean(app):
    with app.app_context():
        assert rollups.check_all(db.session) == []
        assert stored_scorecards_agree() == []


def _row(app, world, month):
    with app.app_context():
        row = db.session.get(BpoMonthlyRollup, (world["engagement"], month))
        return None if row is None else (row.reported, row.breaches, row.payable, row.waived)


def test_each_writer_keeps_the_rollups_current(app, client, auth, world, api):
    breach, last = world["breach_month"], world["last_month"]
    _clean(app)
    # 10,000.00 payable: the breach of the critical level, no earn-back.
    assert _row(app, world, breach) == (2, 1, Decimal("10000.00"), Decimal("0.00"))

    auth.login("provider")  # the provider's month form: the critical level now breaches
    answer = client.post(_month_url(world), data=_month_form(client, world, actual_sl="60"))
    assert answer.status_code == 302
    assert _row(app, world, last) == (2, 1, Decimal("10000.00"), Decimal("0.00"))
    _clean(app)
    raise_url = f"/bpo/engagements/{world['engagement']}/credits/{breach:%Y-%m}/disputes"
    data = {"service_level_id": world["sl"], "category": "other", "reason": "Outage"}
    assert client.post(raise_url, data=data).status_code == 302
    auth.logout()

    auth.login("manager")  # the client waives the disputed credit
    with app.app_context():
        dispute_id = db.session.query(CreditDispute).one().id
    prefix = f"resolve-{dispute_id}"
    resolved = client.post(
        f"/bpo/credit-disputes/{dispute_id}/resolve",
        data={f"{prefix}-decision": "waived", f"{prefix}-note": "Agreed"},
    )
    assert resolved.status_code == 302
    assert _row(app, world, breach) == (2, 1, Decimal("0.00"), Decimal("10000.00"))
    _clean(app)
    older = shift_month(last, -4)  # a late result by file: the month had none
    text = f"service_level,period,actual\r\n{world['sl']},{older:%Y-%m},99\r\n"
    imported = client.post(
        f"/bpo/engagements/{world['engagement']}/import",
        data={"file": (io.BytesIO(text.encode()), "late.csv")},
        content_type="multipart/form-data",
    )
    assert imported.status_code == 302
    assert _row(app, world, older) == (1, 0, Decimal("0.00"), Decimal("0.00"))
    _clean(app)

    url = f"/api/v1/engagements/{world['engagement']}/measurements?replace=true"
    body = {"service_level_id": world["sl"], "period": f"{last:%Y-%m}", "actual": "95"}
    assert api.post(url, json=body, role="manager").status_code == 201
    assert _row(app, world, last) == (2, 0, Decimal("0.00"), Decimal("0.00"))
    _clean(app)

    with app.app_context():  # a new target through the service-level API: 98 % breaches 95
        level = db.session.get(ServiceLevel, world["sl"])
        level_body = {"target": "98", "minimum": "97", "version": level.version}
    level_url = f"/api/v1/engagements/{world['engagement']}/service-levels/{world['sl']}"
    assert api.patch(level_url, json=level_body, role="manager").status_code == 200
    assert _row(app, world, last) == (2, 1, Decimal("10000.00"), Decimal("0.00"))
    _clean(app)

    with app.app_context():  # the engagement ends before last month: that month drops out
        engagement = db.session.get(Engagement, world["engagement"])
        version = engagement.version
    patched = api.patch(
        f"/api/v1/engagements/{world['engagement']}",
        json={"end_date": f"{breach:%Y-%m}-28", "version": version},
        role="manager",
    )
    assert patched.status_code == 200, patched.get_json()
    assert _row(app, world, last) is None
    _clean(app)
