"""The KPO API: deliverables CRUD, versions and reviews with 409 refusals, review statistics."""

from datetime import date, timedelta

import pytest

from tests import factories_kpo as fk
from tests.factories import make_engagement
from vendor_tracker.extensions import db

TODAY = date.today()
SCORES = {
    "Accuracy": 4,
    "Depth of insight": 3,
    "Completeness": 5,
    "Clarity": 4,
    "Actionability": 2,
}  # (120 + 75 + 100 + 60 + 20) / 100 = 3.75 -> 68.75


@pytest.fixture
def engagement_id(app):
    with app.app_context():
        engagement = fk.make_kpo_engagement(title="Market research")
        db.session.commit()
        return engagement.id


def _create(api, engagement_id, **over):
    body = {"title": "Market sizing", "type": "research_brief", "due_on": "2026-03-31"}
    body.update(over)
    return api.post(f"/api/v1/engagements/{engagement_id}/deliverables", json=body, role="manager")


def _submit(api, deliverable_id, day, **over):
    body = {"submitted_on": day.isoformat(), "summary": "v", "effort_hours": "10.0"}
    body.update(over)
    return api.post(f"/api/v1/deliverables/{deliverable_id}/submissions", json=body, role="manager")


def _review(api, submission_id, day, decision="accepted", feedback="", scores=None):
    body = {
        "reviewed_on": day.isoformat(),
        "decision": decision,
        "feedback": feedback,
        "scores": SCORES if scores is None else scores,
    }
    return api.post(f"/api/v1/submissions/{submission_id}/review", json=body, role="manager")


def test_deliverable_crud(api, engagement_id):
    created = _create(api, engagement_id)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["figures"]["status"] == "not_submitted" and body["rounds"] == []
    assert body["allowed"]["submit_version"] is True
    d_id = body["id"]

    listed = api.get(f"/api/v1/engagements/{engagement_id}/deliverables", role="viewer")
    assert listed.status_code == 200
    assert listed.get_json()["total"] == 1
    assert listed.get_json()["items"][0]["title"] == "Market sizing"

    url = f"/api/v1/engagements/{engagement_id}/deliverables/{d_id}"
    changed = api.patch(url, json={"title": "Market sizing EMEA", "version": 1}, role="manager")
    assert changed.status_code == 200 and changed.get_json()["title"] == "Market sizing EMEA"
    stale = api.patch(url, json={"title": "Old", "version": 1}, role="manager")
    assert stale.status_code == 409
    assert api.delete(url, role="manager").status_code == 204
    assert api.get(f"/api/v1/deliverables/{d_id}").status_code == 404


def test_validation_names_the_fields(api, engagement_id):
    answer = _create(api, engagement_id, title="", type="poem", due_on="soon")
    assert answer.status_code == 422
    assert {"title", "type", "due_on"} <= set(answer.get_json()["error"]["fields"])
    reviewer = _create(api, engagement_id, lead_reviewer_id=999999)
    assert reviewer.status_code == 422
    assert "lead_reviewer_id" in reviewer.get_json()["error"]["fields"]


def test_rounds_with_every_refusal(api, engagement_id):
    d_id = _create(api, engagement_id).get_json()["id"]
    first = _submit(api, d_id, TODAY - timedelta(days=6))
    assert first.status_code == 201 and first.get_json()["version"] == 1
    # A new version while the first is in review: 409.
    in_review = _submit(api, d_id, TODAY - timedelta(days=5))
    assert in_review.status_code == 409
    assert "still in review" in in_review.get_json()["error"]["message"]

    s1 = first.get_json()["id"]
    no_feedback = _review(api, s1, TODAY - timedelta(days=4), "changes_requested")
    assert no_feedback.status_code == 422
    assert "feedback" in no_feedback.get_json()["error"]["fields"]
    missing_score = _review(api, s1, TODAY - timedelta(days=4), scores={"Accuracy": 4})
    assert missing_score.status_code == 422
    assert "score:Clarity" in missing_score.get_json()["error"]["fields"]
    out_of_range = _review(api, s1, TODAY - timedelta(days=4), scores={**SCORES, "Clarity": 6})
    assert "score:Clarity" in out_of_range.get_json()["error"]["fields"]
    before = _review(api, s1, TODAY - timedelta(days=7))
    assert "reviewed_on" in before.get_json()["error"]["fields"]

    reviewed = _review(api, s1, TODAY - timedelta(days=4), "changes_requested", "Add sources")
    assert reviewed.status_code == 201
    assert reviewed.get_json()["quality_score"] == 68.75
    assert reviewed.get_json()["scores"][0] == {"criterion": "Accuracy", "weight": 30, "score": 4}
    # A second review of the same submission: 409.
    second_review = _review(api, s1, TODAY - timedelta(days=3))
    assert second_review.status_code == 409
    assert "already has a review" in second_review.get_json()["error"]["message"]

    v2 = _submit(api, d_id, TODAY - timedelta(days=2))
    assert v2.status_code == 201 and v2.get_json()["version"] == 2
    assert _review(api, v2.get_json()["id"], TODAY).status_code == 201
    # A version after acceptance: 409.
    after = _submit(api, d_id, TODAY)
    assert after.status_code == 409 and "accepted" in after.get_json()["error"]["message"]

    detail = api.get(f"/api/v1/deliverables/{d_id}", role="viewer").get_json()
    assert [r["version"] for r in detail["rounds"]] == [1, 2]
    figures = detail["figures"]
    assert figures["status"] == "accepted" and figures["rounds_to_acceptance"] == 2
    assert figures["first_pass"] is False
    assert figures["review_days"] == [2, 2] and figures["rework_days"] == [2]
    assert figures["effort_hours"] == 20.0 and figures["rework_share"] == 50.0
    assert detail["allowed"]["submit_version"] is False
    assert detail["allowed"]["record_review"] is False


def test_review_stats_with_no_data_and_with_data(api, app, engagement_id):
    empty = api.get(f"/api/v1/engagements/{engagement_id}/review-stats", role="viewer")
    assert empty.status_code == 200
    body = empty.get_json()
    assert body["deliverables"] == 0
    for key in ("first_pass_rate", "mean_rounds_to_acceptance", "mean_final_quality"):
        assert body[key] is None

    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, engagement_id)
        fk.make_deliverable_with_rounds(engagement, 1, title="A")  # quality 60
        fk.make_deliverable_with_rounds(engagement, 3, title="B")  # qualities 60, 70, 80
        fk.make_deliverable(engagement, title="C", due_on=TODAY - timedelta(days=1))
        db.session.commit()
    body = api.get(f"/api/v1/engagements/{engagement_id}/review-stats").get_json()
    assert body["deliverables"] == 3 and body["accepted"] == 2 and body["overdue"] == 1
    assert body["first_pass_rate"] == 50.0
    assert body["mean_rounds_to_acceptance"] == 2.0
    assert body["mean_final_quality"] == 70.0  # (60 + 80) / 2
    assert body["mean_review_days"] == 2.0 and body["mean_rework_days"] == 3.0
    assert body["rounds_distribution"] == {"1": 1, "3": 1}
    assert body["by_status"]["not_submitted"] == 1


def test_rubric_api_and_roles(api, app, engagement_id):
    rubric = api.get(f"/api/v1/engagements/{engagement_id}/rubric", role="viewer").get_json()
    assert [c["weight"] for c in rubric["criteria"]] == [30, 25, 20, 15, 10]
    new = {"criteria": [{"name": "Accuracy", "weight": 60}, {"name": "Insight", "weight": 40}]}
    url = f"/api/v1/engagements/{engagement_id}/rubric"
    assert api.client_put(url, new, "viewer").status_code == 403
    saved = api.client_put(url, new, "manager")
    assert saved.status_code == 200 and len(saved.get_json()["criteria"]) == 2
    dup = {"criteria": [{"name": "A", "weight": 1}, {"name": "a", "weight": 1}]}
    assert api.client_put(url, dup, "manager").status_code == 422
    assert _create(api, engagement_id) is not None
    viewer = api.post(
        f"/api/v1/engagements/{engagement_id}/deliverables",
        json={"title": "x", "type": "report", "due_on": "2026-01-01"},
        role="viewer",
    )
    assert viewer.status_code == 403


def test_bpo_engagements_have_no_deliverables(api, app):
    with app.app_context():
        bpo = make_engagement(kind="BPO")
        db.session.commit()
        bpo_id = bpo.id
    assert api.get(f"/api/v1/engagements/{bpo_id}/deliverables").status_code == 404
    assert api.get(f"/api/v1/engagements/{bpo_id}/review-stats").status_code == 404
    assert _create(api, bpo_id).status_code == 404


@pytest.fixture(autouse=True)
def _put_helper(api):
    """The shared ApiActions has no PUT; add one that uses the same bearer tokens."""
    api.client_put = lambda url, body, role: api._client.put(
        url, json=body, headers=api.headers(role)
    )


def test_a_version_lost_to_a_simultaneous_submission_is_a_409(api, engagement_id, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from vendor_tracker.engagements.kpo import writes

    d_id = _create(api, engagement_id).get_json()["id"]

    def collide(*_args, **_kwargs):
        raise IntegrityError("INSERT INTO kpo_submissions", {}, Exception("UNIQUE constraint"))

    monkeypatch.setattr(writes, "submit_version", collide)
    answer = _submit(api, d_id, TODAY - timedelta(days=1))
    assert answer.status_code == 409
    assert "submitted at the same time" in answer.get_json()["error"]["message"]
