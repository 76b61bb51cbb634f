"""Who hears about each BPO event: the provider's submissions and credit disputes go to the
engagement's owner, the client's decisions to the provider's users of that vendor only, a
critical breach to the owner once per service level and month; nobody about their own action."""

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import PASSWORD
from tests.factories_bpo import portal_world
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import Notification


@pytest.fixture
def world(app):
    """portal_world (provider@ acts for vendor A) with the manager owning A's engagement, a
    second provider user of A, and provider-b@ acting for vendor B (owner of B's: the admin)."""
    with app.app_context():
        found = portal_world(PASSWORD)
        from vendor_tracker.engagements.models import Engagement

        manager = user_by_email("manager@example.com")
        admin = user_by_email("admin@example.com")
        mine = db.session.get(Engagement, found["engagement"])
        mine.owner_id = manager.id
        theirs = db.session.get(Engagement, found["other"])
        theirs.owner_id = admin.id
        second = factories.make_provider(PASSWORD, mine.vendor, "second@a.example", "Sam Second")
        other = factories.make_provider(PASSWORD, theirs.vendor, "provider-b@example.com", "B")
        db.session.commit()
        return found | {
            "manager": manager.id,
            "admin": admin.id,
            "second": second.id,
            "provider_b": other.id,
        }


def _received(app):
    """[(user id, kind, link)] of every notification, in the order written."""
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Notification.user_id, Notification.kind, Notification.link).order_by(
                    Notification.id
                )
            )
        ]


def _base(world, key="engagement"):
    return f"/api/v1/engagements/{world[key]}"


def _submit(api, world, actual="88", month_key="last_month", replace=True):
    item = {"service_level_id": world["sl"], "period": f"{world[month_key]:%Y-%m}"}
    url = _base(world) + "/measurements" + ("?replace=true" if replace else "")
    return api.post(url, json={**item, "actual": actual}, role="provider")


def test_a_providers_submission_tells_the_owner_only(app, api, world):
    assert _submit(api, world).status_code == 201
    link = f"/bpo/engagements/{world['engagement']}/results/{world['last_month']:%Y-%m}"
    assert _received(app) == [(world["manager"], "report_submitted", link)]
    # A correction of a month still waiting for the client is not a new submission.
    assert _submit(api, world, actual="89").status_code in (200, 201)
    assert len(_received(app)) == 1
    with app.app_context():
        body = db.session.execute(select(Notification.body)).scalar_one()
    assert "Vendor A submitted the service-level results of" in body


def test_a_clients_write_tells_nobody_of_a_submission(app, api, world):
    item = {"service_level_id": world["sl"], "period": f"{world['last_month']:%Y-%m}"}
    answer = api.post(
        _base(world) + "/measurements?replace=true", json={**item, "actual": "90"}, role="admin"
    )
    assert answer.status_code in (200, 201)
    assert _received(app) == []


def test_verifying_and_disputing_tell_the_vendors_provider_users(app, api, world):
    _submit(api, world)
    period = f"{world['last_month']:%Y-%m}"
    answer = api.post(_base(world) + f"/reports/{period}/verify", role="manager")
    assert answer.status_code == 200
    link = f"/bpo/engagements/{world['engagement']}/results/{period}"
    told = _received(app)[1:]
    assert sorted(told) == sorted(
        [(world["provider"], "month_verified", link), (world["second"], "month_verified", link)]
    )
    # Submitted again (after verification) and disputed this time.
    _submit(api, world, actual="87")
    body = {"reason": "Wrong export", "service_level_ids": [world["sl"]]}
    answer = api.post(_base(world) + f"/reports/{period}/dispute", json=body, role="admin")
    assert answer.status_code == 200, answer.get_json()
    kinds = [(user, kind) for user, kind, _link in _received(app)]
    assert sorted(kinds[3:]) == sorted(
        [
            (world["manager"], "report_submitted"),
            (world["provider"], "month_disputed"),
            (world["second"], "month_disputed"),
        ]
    )
    assert world["provider_b"] not in {user for user, _kind in kinds}
    with app.app_context():
        disputed = db.session.execute(
            select(Notification.body).where(Notification.kind == "month_disputed")
        ).scalars()
        assert all("Answer rate: Wrong export" in text for text in disputed)


def test_a_credit_dispute_goes_to_the_owner_and_its_resolution_to_the_providers(app, api, world):
    answer = api.post(
        _base(world) + f"/credits/{world['breach_month']:%Y-%m}/disputes",
        json={"service_level_id": world["sl"], "category": "client_caused", "reason": "CRM down"},
        role="provider",
    )
    assert answer.status_code == 201
    credits = f"/bpo/engagements/{world['engagement']}/credits"
    assert _received(app) == [(world["manager"], "dispute_opened", credits)]
    url = f"/api/v1/credit-disputes/{answer.get_json()['id']}/resolve"
    assert api.post(url, json={"decision": "waived", "note": "Outage confirmed"}).status_code == 200
    assert sorted(_received(app)[1:]) == sorted(
        [
            (world["provider"], "dispute_resolved", credits),
            (world["second"], "dispute_resolved", credits),
        ]
    )
    with app.app_context():
        text = (
            db.session.execute(
                select(Notification.body).where(Notification.kind == "dispute_resolved")
            )
            .scalars()
            .first()
        )
    assert "waived: the credit is not payable. Note: Outage confirmed" in text
    assert "10000" not in text and "10,000" not in text  # no client-internal amount


def test_a_critical_breach_tells_the_owner_once_per_level_and_month(app, api, world):
    # 70 % against a minimum of 75 %: a breach of the critical level, written by the provider.
    assert _submit(api, world, actual="70").status_code == 201
    breach = [(u, k) for u, k, _l in _received(app) if k == "critical_breach"]
    assert breach == [(world["manager"], "critical_breach")]
    # Changed to another breaching value: the same event, not told twice.
    _submit(api, world, actual="71")
    assert len([k for _u, k, _l in _received(app) if k == "critical_breach"]) == 1
    with app.app_context():
        body = db.session.execute(
            select(Notification.body).where(Notification.kind == "critical_breach")
        ).scalar_one()
    assert body.startswith("Answer rate was 70 % in ")
    assert "(target 80 %, minimum 75 %, higher is better)" in body


def test_a_met_or_key_level_result_is_no_breach_and_the_writer_owner_hears_nothing(app, api, world):
    _submit(api, world, actual="76")  # a warning (misses 80, meets 75): no breach
    item = {"service_level_id": world["aht"], "period": f"{world['last_month']:%Y-%m}"}
    api.post(
        _base(world) + "/measurements?replace=true", json={**item, "actual": "900"}, role="provider"
    )
    assert "critical_breach" not in {k for _u, k, _l in _received(app)}
    # The owner keys in a breach themselves: nobody is told of their own write.
    item = {"service_level_id": world["sl"], "period": f"{world['breach_month']:%Y-%m}"}
    api.post(
        _base(world) + "/measurements?replace=true", json={**item, "actual": "60"}, role="manager"
    )
    assert "critical_breach" not in {k for _u, k, _l in _received(app)}


def test_nothing_is_kept_when_the_write_is_refused(app, api, world):
    bad = _submit(api, world, actual="101")
    assert bad.status_code == 422
    assert _received(app) == []
