"""Who hears about each KPO event: a version a provider's user submits goes to the engagement's
owner and the deliverable's lead reviewer, a review to the provider's users of that vendor only
(decision and feedback, never the quality score); nobody about their own action."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories_kpo as fk
from tests.factories import make_vendor
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import Notification

TODAY = date.today()
PROVIDER = "kpo.provider@example.com"
SCORES = {"Accuracy": 5, "Depth of insight": 4, "Completeness": 4, "Clarity": 4, "Actionability": 3}


@pytest.fixture
def setup(app):
    """Vendor A's engagement (owner: the manager) with a deliverable waiting for version 2
    (lead reviewer: the viewer); two provider users of A, one of vendor B."""
    with app.app_context():
        manager, viewer = user_by_email("manager@example.com"), user_by_email("viewer@example.com")
        vendor_a, vendor_b = make_vendor("Insight Partners"), make_vendor("Other Research")
        mine = fk.make_kpo_engagement(vendor=vendor_a, title="Market research", owner=manager)
        revise = fk.make_deliverable_with_rounds(
            mine,
            1,
            decision="changes_requested",
            start=TODAY - timedelta(days=10),
            lead_reviewer_id=viewer.id,
        )
        pat = fk.make_provider_user(vendor_a.id, PROVIDER, name="Pat")
        sam = fk.make_provider_user(vendor_a.id, "sam@a.example", name="Sam")
        other = fk.make_provider_user(vendor_b.id, "kim@b.example", name="Kim")
        db.session.commit()
        return {
            "revise": revise.id,
            "manager": manager.id,
            "viewer": viewer.id,
            "admin": user_by_email("admin@example.com").id,
            "pat": pat.id,
            "sam": sam.id,
            "other": other.id,
        }


def _received(app):
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Notification.user_id, Notification.kind, Notification.link).order_by(
                    Notification.id
                )
            )
        ]


def _bodies(app, kind):
    with app.app_context():
        return list(
            db.session.execute(select(Notification.body).where(Notification.kind == kind)).scalars()
        )


def _submit(api, setup, role=PROVIDER):
    body = {"submitted_on": TODAY.isoformat(), "summary": "Added the pricing chapter."}
    return api.post(f"/api/v1/deliverables/{setup['revise']}/submissions", json=body, role=role)


def test_a_providers_version_tells_the_owner_and_the_lead_reviewer(app, api, setup):
    assert _submit(api, setup).status_code == 201
    link = f"/kpo/deliverables/{setup['revise']}"
    assert sorted(_received(app)) == sorted(
        [
            (setup["manager"], "version_submitted", link),
            (setup["viewer"], "version_submitted", link),
        ]
    )
    (body, _same) = _bodies(app, "version_submitted")
    assert body.startswith("Insight Partners submitted version 2 of Sector report")
    assert body.endswith("Summary: Added the pricing chapter.")


def test_a_version_the_client_keys_in_tells_nobody(app, api, setup):
    assert _submit(api, setup, role="manager").status_code == 201
    assert _received(app) == []


def test_a_review_tells_the_vendors_provider_users_without_the_score(app, api, setup):
    submission = _submit(api, setup).get_json()["id"]
    answer = api.post(
        f"/api/v1/submissions/{submission}/review",
        json={
            "reviewed_on": TODAY.isoformat(),
            "decision": "changes_requested",
            "feedback": "Cite the sources.",
            "scores": SCORES,
        },
        role="manager",
    )
    assert answer.status_code == 201, answer.get_json()
    told = [(user, kind) for user, kind, _link in _received(app)[2:]]
    assert sorted(told) == sorted(
        [(setup["pat"], "version_reviewed"), (setup["sam"], "version_reviewed")]
    )
    assert setup["other"] not in {user for user, _kind, _link in _received(app)}
    for body in _bodies(app, "version_reviewed"):
        assert "Changes requested" in body and body.endswith("Feedback: Cite the sources.")
        assert "80" not in body and "score" not in body.lower()
