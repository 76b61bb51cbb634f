"""The KPO API with a provider's bearer token: versions of their own vendor's deliverables,
the client's reviews (read, never written), and the action items assigned to their company."""

from datetime import date, timedelta

import pytest

from tests import factories_kpo as fk
from tests.conftest import PASSWORD
from tests.factories import make_vendor
from vendor_tracker.extensions import db

TODAY = date.today()
PROVIDER = "kpo.api.provider@example.com"
SCORES = {"Accuracy": 5, "Depth of insight": 4, "Completeness": 4, "Clarity": 4, "Actionability": 3}


@pytest.fixture
def setup(app):
    with app.app_context():
        vendor_a = make_vendor("Insight Partners")
        mine = fk.make_kpo_engagement(vendor=vendor_a, title="Market research")
        theirs = fk.make_kpo_engagement(title="Their research")
        revise = fk.make_deliverable_with_rounds(
            mine, 1, decision="changes_requested", start=TODAY - timedelta(days=10)
        )
        accepted = fk.make_deliverable_with_rounds(
            mine, 1, start=TODAY - timedelta(days=20), title="Done"
        )
        other = fk.make_deliverable_with_rounds(
            theirs, 1, decision="changes_requested", start=TODAY - timedelta(days=10)
        )
        items = fk.make_touchpoint(
            mine, items=[("Ours to do", "PM", TODAY, False), ("Client only", "Us", None, False)]
        ).action_items
        items[0].for_provider = True
        other_item = fk.make_touchpoint(theirs, items=[("B's", "B", None, False)]).action_items[0]
        other_item.for_provider = True
        fk.make_provider_user(vendor_a.id, PROVIDER, name="Priya Nair")
        db.session.commit()
        return {
            "engagement": mine.id,
            "other_engagement": theirs.id,
            "revise": revise.id,
            "accepted": accepted.id,
            "other": other.id,
            "mine_item": items[0].id,
            "client_item": items[1].id,
            "other_item": other_item.id,
        }


@pytest.fixture
def provider(client, setup):
    answer = client.post("/api/v1/auth/tokens", json={"email": PROVIDER, "password": PASSWORD})
    assert answer.status_code == 201, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def _submit(client, headers, deliverable_id, day=TODAY):
    body = {"submitted_on": day.isoformat(), "summary": "v2", "effort_hours": 7.25}
    return client.post(
        f"/api/v1/deliverables/{deliverable_id}/submissions", json=body, headers=headers
    )


def test_provider_submits_and_sees_the_review(client, api, provider, setup):
    answer = _submit(client, provider, setup["revise"])
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["version"] == 2 and body["effort_hours"] == 7.2  # 7.25 stored to 0.1 h, half-even
    assert body["submitted_by"] == "Priya Nair" and body["submitted_by_provider"] is True
    detail = client.get(f"/api/v1/deliverables/{setup['revise']}", headers=provider).get_json()
    assert detail["allowed"]["record_review"] is False
    assert (
        detail["allowed"]["record_review_refused_because"] == "Only the client reviews a version."
    )
    review = api.post(
        f"/api/v1/submissions/{body['id']}/review",
        json={"reviewed_on": TODAY.isoformat(), "decision": "accepted", "scores": SCORES},
        role="manager",
    )
    assert review.status_code == 201, review.get_json()
    detail = client.get(f"/api/v1/deliverables/{setup['revise']}", headers=provider).get_json()
    last = detail["rounds"][-1]
    # (5*30 + 4*25 + 4*20 + 4*15 + 3*10) / 100 = 4.2 -> (4.2 - 1) / 4 * 100 = 80.0
    assert last["review"]["decision"] == "accepted" and last["review"]["quality_score"] == 80.0
    assert {s["criterion"]: s["score"] for s in last["review"]["scores"]} == SCORES
    assert detail["rounds"][0]["review"]["feedback"] == "Please revise."


def test_provider_refusals_and_scope(client, provider, setup):
    assert _submit(client, provider, setup["revise"]).status_code == 201
    again = _submit(client, provider, setup["revise"])
    assert again.status_code == 409
    assert "still in review" in again.get_json()["error"]["message"]
    after = _submit(client, provider, setup["accepted"])
    assert after.status_code == 409 and "accepted" in after.get_json()["error"]["message"]
    assert _submit(client, provider, setup["other"]).status_code == 404
    assert client.get(f"/api/v1/deliverables/{setup['other']}", headers=provider).status_code == 404


def test_provider_may_not_review(client, provider, setup):
    submission = _submit(client, provider, setup["revise"]).get_json()["id"]
    answer = client.post(
        f"/api/v1/submissions/{submission}/review",
        json={"reviewed_on": TODAY.isoformat(), "decision": "accepted", "scores": SCORES},
        headers=provider,
    )
    assert answer.status_code == 403


def test_manager_submission_records_the_manager(api, setup):
    body = {"submitted_on": TODAY.isoformat()}
    answer = api.post(
        f"/api/v1/deliverables/{setup['revise']}/submissions", json=body, role="manager"
    )
    assert answer.status_code == 201
    assert answer.get_json()["submitted_by"] == "Manager"
    assert answer.get_json()["submitted_by_provider"] is False


def test_action_items_read_and_close(client, api, provider, setup):
    url = f"/api/v1/engagements/{setup['engagement']}/action-items"
    mine = client.get(url, headers=provider).get_json()["items"]
    assert [i["text"] for i in mine] == ["Ours to do"] and mine[0]["for_provider"] is True
    everything = api.get(url, role="viewer").get_json()["items"]
    assert [i["text"] for i in everything] == ["Ours to do", "Client only"]
    other = f"/api/v1/engagements/{setup['other_engagement']}/action-items"
    assert client.get(other, headers=provider).status_code == 404
    for item in ("client_item", "other_item"):
        closed = client.post(f"/api/v1/action-items/{setup[item]}/done", headers=provider)
        assert closed.status_code == 404
    closed = client.post(f"/api/v1/action-items/{setup['mine_item']}/done", headers=provider)
    assert closed.status_code == 200
    assert closed.get_json()["done"] is True and closed.get_json()["done_on"] == TODAY.isoformat()
    assert client.get(url, headers=provider).get_json()["items"] == []
    done = client.get(url + "?state=done", headers=provider).get_json()["items"]
    assert [i["id"] for i in done] == [setup["mine_item"]]
    assert client.get(url + "?state=x", headers=provider).status_code == 422
    # Client managers close any item; viewers none.
    assert (
        api.post(f"/api/v1/action-items/{setup['client_item']}/done", role="viewer").status_code
        == 403
    )
    assert (
        api.post(f"/api/v1/action-items/{setup['client_item']}/done", role="manager").status_code
        == 200
    )
