"""Every KPO writer keeps the monthly rollups equal to the rules: random sequences of page forms
and API calls (new deliverables, due date changes, versions, reviews, deletions, rubric changes),
each followed by `check()`."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories_kpo as fk
from tests.factories_reporting import stored_scorecards_agree
from vendor_tracker.engagements.kpo import rollups, services
from vendor_tracker.engagements.kpo.models import Deliverable, Submission
from vendor_tracker.extensions import db

TODAY = date.today()
KEEPER = rollups.KpoRollupKeeper()


@pytest.fixture
def engagement_id(app):
    with app.app_context():
        engagement = fk.make_kpo_engagement(title="Rollup writers")
        db.session.commit()
        return engagement.id


def _state(app):
    """(deliverable id, version, due date, open submission id or None, may submit) of each."""
    with app.app_context():
        found = []
        for d in db.session.execute(select(Deliverable).order_by(Deliverable.id)).scalars():
            last = d.submissions[-1] if d.submissions else None
            waiting = last.id if last is not None and last.review is None else None
            may_submit = last is None or (
                last.review is not None and last.review.decision == "changes_requested"
            )
            since = last.review.reviewed_on if last is not None and last.review else None
            found.append((d.id, d.version, d.due_on, waiting, may_submit, since, last))
        names = [c.name for c in services.rubric_for(d.engagement_id)] if found else []
        return found, names


def _day_after(rng, since):
    start = since or TODAY - timedelta(days=120)
    return start + timedelta(days=rng.randint(0, (TODAY - start).days))


def _step(rng, app, client, api, engagement_id) -> str | None:
    """Make one write; the action done, or None when the chosen one did not apply."""
    found, names = _state(app)
    page = rng.random() < 0.5
    action = rng.choice(["new", "date", "submit", "submit", "review", "review", "drop", "rubric"])
    if not found or action == "new":
        due = (TODAY + timedelta(days=rng.randint(-120, 45))).isoformat()
        body = {"title": f"D{rng.randint(0, 10**6)}", "type": "report", "due_on": due}
        if page:
            answer = client.post(f"/kpo/engagements/{engagement_id}/deliverables/new", data=body)
        else:
            answer = api.post(f"/api/v1/engagements/{engagement_id}/deliverables", json=body)
        assert answer.status_code in (201, 302), answer.get_data(as_text=True)[:300]
        return "new"
    d_id, version, _due, waiting, may_submit, since, last = rng.choice(found)
    if action == "date":
        due = (TODAY + timedelta(days=rng.randint(-120, 45))).isoformat()
        if page:
            body = {"title": "Moved", "type": "report", "due_on": due, "version": str(version)}
            answer = client.post(f"/kpo/deliverables/{d_id}/edit", data=body)
        else:
            answer = api.patch(
                f"/api/v1/engagements/{engagement_id}/deliverables/{d_id}",
                json={"due_on": due, "version": version},
            )
        assert answer.status_code == (302 if page else 200), answer.get_data(as_text=True)[:300]
    elif action == "drop":
        if page:
            assert client.post(f"/kpo/deliverables/{d_id}/delete").status_code == 302
        else:
            url = f"/api/v1/engagements/{engagement_id}/deliverables/{d_id}"
            assert api.delete(url).status_code == 204
    elif action == "submit" and may_submit:
        day = _day_after(rng, since).isoformat()
        if page:
            answer = client.post(
                f"/kpo/deliverables/{d_id}/submissions",
                data={"submitted_on": day, "summary": "v", "effort_hours": "3"},
            )
        else:
            answer = api.post(
                f"/api/v1/deliverables/{d_id}/submissions",
                json={"submitted_on": day, "summary": "v"},
            )
        assert answer.status_code in (201, 302), answer.get_data(as_text=True)[:300]
    elif action == "review" and waiting:
        with app.app_context():
            submitted_on = db.session.get(Submission, waiting).submitted_on
        day = _day_after(rng, submitted_on).isoformat()
        decision = rng.choice(["accepted", "changes_requested", "changes_requested", "rejected"])
        scores = [rng.randint(1, 5) for _ in names]
        if page:
            data = {"reviewed_on": day, "decision": decision, "feedback": "Revise."}
            data |= {f"score_{i}": str(s) for i, s in enumerate(scores)}
            answer = client.post(f"/kpo/submissions/{waiting}/review", data=data)
        else:
            answer = api.post(
                f"/api/v1/submissions/{waiting}/review",
                json={
                    "reviewed_on": day,
                    "decision": decision,
                    "feedback": "Revise.",
                    "scores": dict(zip(names, scores, strict=True)),
                },
            )
        assert answer.status_code in (201, 302), answer.get_data(as_text=True)[:300]
    elif action == "rubric":
        criteria = [{"name": n, "weight": rng.randint(1, 9)} for n in names]
        answer = client.put(
            f"/api/v1/engagements/{engagement_id}/rubric",
            json={"criteria": criteria},
            headers=api.headers("manager"),
        )
        assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    else:
        return None
    return action


def test_page_and_api_writes_keep_the_rollups_equal_to_the_rules(
    app, client, auth, api, engagement_id
):
    auth.login("manager")
    rng = random.Random(11)
    done = Counter()
    for step in range(60):
        done[_step(rng, app, client, api, engagement_id)] += 1
        with app.app_context():
            assert KEEPER.check() == [], f"step {step}"
            assert stored_scorecards_agree() == [], f"step {step}"
    assert min(done[a] for a in ("new", "date", "submit", "review", "drop", "rubric")) >= 2, done
