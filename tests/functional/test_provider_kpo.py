"""KPO pages as a provider's user: submitting versions, seeing reviews, the due list, and the
action items assigned to their company. Client-only steps answer 403, other vendors' rows 404."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories_kpo as fk
from tests.conftest import PASSWORD
from tests.factories import make_vendor
from vendor_tracker.engagements.kpo.models import ActionItem, Submission
from vendor_tracker.extensions import db

TODAY = date.today()
PROVIDER = "kpo.provider@example.com"


@pytest.fixture
def setup(app):
    """Vendor A (the provider's) and vendor B, each with a KPO engagement: on A a deliverable
    whose last round asked for changes, one accepted, one awaiting its first version; on B one
    whose last round asked for changes too. Action items for A's company, for the client's
    team, and for B's company."""
    with app.app_context():
        vendor_a = make_vendor("Insight Partners")
        vendor_b = make_vendor("Other Research")
        mine = fk.make_kpo_engagement(vendor=vendor_a, title="Market research")
        theirs = fk.make_kpo_engagement(vendor=vendor_b, title="Their research")
        revise = fk.make_deliverable_with_rounds(
            mine,
            1,
            decision="changes_requested",
            start=TODAY - timedelta(days=10),
            title="Sizing brief",
            due_on=TODAY - timedelta(days=3),
        )
        accepted = fk.make_deliverable_with_rounds(
            mine, 1, start=TODAY - timedelta(days=20), title="Done report"
        )
        fresh = fk.make_deliverable(mine, title="Fresh dataset", due_on=TODAY + timedelta(days=5))
        other = fk.make_deliverable_with_rounds(
            theirs, 1, decision="changes_requested", start=TODAY - timedelta(days=10)
        )
        items = fk.make_touchpoint(
            mine,
            items=[
                ("Send transcripts", "Their PM", TODAY, False),
                ("Book room", "Us", None, False),
            ],
        ).action_items
        items[0].for_provider = True
        other_item = fk.make_touchpoint(theirs, items=[("B's task", "B PM", None, False)])
        other_item.action_items[0].for_provider = True
        fk.make_provider_user(vendor_a.id, PROVIDER, name="Priya Nair")
        db.session.commit()
        return {
            "vendor_a": vendor_a.id,
            "engagement": mine.id,
            "revise": revise.id,
            "accepted": accepted.id,
            "fresh": fresh.id,
            "other": other.id,
            "mine_item": items[0].id,
            "client_item": items[1].id,
            "other_item": other_item.action_items[0].id,
        }


def _login(client, email=PROVIDER):
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302


def _submit(client, deliverable_id, day=TODAY, hours="6.5"):
    data = {"submitted_on": day.isoformat(), "summary": "Reworked", "effort_hours": hours}
    return client.post(f"/kpo/deliverables/{deliverable_id}/submissions", data=data)


def _versions(app, deliverable_id):
    with app.app_context():
        return db.session.execute(
            select(Submission.version, Submission.submitted_by_id, Submission.effort_hours)
            .where(Submission.deliverable_id == deliverable_id)
            .order_by(Submission.version)
        ).all()


def test_provider_submits_after_changes_requested(client, app, setup):
    _login(client)
    page = client.get(f"/kpo/deliverables/{setup['revise']}").get_data(as_text=True)
    assert "Submit version 2" in page and "Record the review" not in page
    assert "Please revise." in page  # the feedback of round 1
    answer = _submit(client, setup["revise"])
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/kpo/deliverables/{setup['revise']}"
    rows = _versions(app, setup["revise"])
    with app.app_context():
        from vendor_tracker.auth.services import user_by_email

        provider_id = user_by_email(PROVIDER).id
    assert [(v, by) for v, by, _h in rows] == [(1, None), (2, provider_id)]
    assert str(rows[1][2]) == "6.5"
    page = client.get(f"/kpo/deliverables/{setup['revise']}").get_data(as_text=True)
    assert "submitted by Priya Nair (Insight Partners)" in page
    assert "Submit version 3" not in page  # version 2 is in the client's review now


def test_provider_may_submit_a_first_version(client, app, setup):
    _login(client)
    assert _submit(client, setup["fresh"]).status_code == 302
    assert [v for v, _by, _h in _versions(app, setup["fresh"])] == [1]


def test_provider_refused_while_in_review_and_after_acceptance(client, app, setup):
    _login(client)
    assert _submit(client, setup["revise"]).status_code == 302  # version 2, now in review
    answer = _submit(client, setup["revise"])
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Version 2 is still in review; record its review first." in page
    assert len(_versions(app, setup["revise"])) == 2
    answer = _submit(client, setup["accepted"])
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Version 1 was accepted; nothing follows an acceptance." in page
    assert len(_versions(app, setup["accepted"])) == 1


def test_provider_field_errors_show_next_to_the_field(client, app, setup):
    _login(client)
    answer = _submit(client, setup["revise"], day=TODAY + timedelta(days=1))
    assert answer.status_code == 200
    assert "A version cannot be submitted in the future." in answer.get_data(as_text=True)
    assert len(_versions(app, setup["revise"])) == 1


def test_provider_may_not_review(client, app, setup):
    _login(client)
    _submit(client, setup["revise"])
    with app.app_context():
        latest = db.session.execute(
            select(func.max(Submission.id)).where(Submission.deliverable_id == setup["revise"])
        ).scalar_one()
    answer = client.post(
        f"/kpo/submissions/{latest}/review",
        data={"reviewed_on": TODAY.isoformat(), "decision": "accepted"},
    )
    assert answer.status_code == 403


def test_other_vendors_deliverable_answers_404(client, app, setup):
    _login(client)
    assert client.get(f"/kpo/deliverables/{setup['other']}").status_code == 404
    assert _submit(client, setup["other"]).status_code == 404
    assert len(_versions(app, setup["other"])) == 1
    assert client.get("/kpo/deliverables/999999").status_code == 404


def test_provider_page_hides_the_audit_trail_and_client_emails(client, app, setup):
    _login(client)
    page = client.get(f"/kpo/deliverables/{setup['revise']}").get_data(as_text=True)
    assert "History" not in page and "You deliver for Insight Partners" in page
    assert "@example.com" not in page.replace(PROVIDER, "")


def test_client_manager_still_submits_and_is_named(client, auth, app, setup):
    auth.login("manager")
    assert _submit(client, setup["revise"]).status_code == 302
    page = client.get(f"/kpo/deliverables/{setup['revise']}").get_data(as_text=True)
    assert "submitted by Manager (client)" in page


def test_due_list_for_the_provider(app, setup):
    from vendor_tracker.engagements.kpo import services

    with app.app_context():
        due = services.provider_due_deliverables(setup["vendor_a"], TODAY)
    # Sizing brief: changes requested, due 3 days ago; Fresh dataset: due in 5 days. The
    # accepted report is closed, and B's deliverable belongs to another vendor.
    assert [
        (d.title, d.status, d.overdue, d.days_left, d.provider_to_act, d.next_version) for d in due
    ] == [
        ("Sizing brief", "changes_requested", True, -3, True, 2),
        ("Fresh dataset", "not_submitted", False, 5, True, 1),
    ]
    with app.app_context():
        later = services.provider_due_deliverables(setup["vendor_a"], TODAY - timedelta(days=20))
    assert later == []  # 20 days earlier nothing was due within 14 days


def test_engagement_section_shows_the_provider_due_list_and_their_items(app, setup):
    from flask import render_template
    from flask_login import login_user

    from vendor_tracker.auth.services import user_by_email
    from vendor_tracker.engagements.kpo.routes.sections import kpo_engagement_section
    from vendor_tracker.engagements.models import Engagement

    with app.test_request_context(f"/engagements/{setup['engagement']}"):
        login_user(user_by_email(PROVIDER))
        engagement = db.session.get(Engagement, setup["engagement"])
        section = kpo_engagement_section(engagement)
        html = render_template(section.template, section=section, engagement=engagement)
    assert "Due in the next 14 days or overdue" in html
    assert "3 days overdue" in html and "your move: version 2" in html
    assert "Send transcripts" in html and "Book room" not in html
    assert "Open action items for Insight Partners" in html


def test_action_items_provider_sees_and_closes_only_theirs(client, app, setup):
    _login(client)
    url = f"/kpo/engagements/{setup['engagement']}/action-items"
    page = client.get(url).get_data(as_text=True)
    assert "Send transcripts" in page and "Book room" not in page and "Notes" not in page
    # The collaboration log itself (touchpoint notes) is internal.
    log = client.get(f"/kpo/engagements/{setup['engagement']}/collaboration")
    assert log.status_code in (302, 403)
    if log.status_code == 302:
        assert log.headers["Location"].endswith(url)
    for item in ("client_item", "other_item"):
        answer = client.post(f"/kpo/action-items/{setup[item]}/done", data={"done": "1"})
        assert answer.status_code == 404
    reopen = client.post(f"/kpo/action-items/{setup['mine_item']}/done", data={"done": "0"})
    assert reopen.status_code == 403
    answer = client.post(f"/kpo/action-items/{setup['mine_item']}/done", data={"done": "1"})
    assert answer.status_code == 302 and answer.headers["Location"] == url
    with app.app_context():
        done = dict(db.session.execute(select(ActionItem.id, ActionItem.done)).all())
    assert done == {
        setup["mine_item"]: True,
        setup["client_item"]: False,
        setup["other_item"]: False,
    }
    assert client.get(f"/kpo/engagements/{setup['engagement'] + 1}/action-items").status_code == 404


def test_manager_assigns_an_action_item_to_the_provider(client, auth, app, setup):
    auth.login("manager")
    with app.app_context():
        touchpoint_id = db.session.get(ActionItem, setup["client_item"]).touchpoint_id
    answer = client.post(
        f"/kpo/touchpoints/{touchpoint_id}/action-items",
        data={"text": "Share the draft deck", "owner": "Their lead", "for_provider": "y"},
    )
    assert answer.status_code == 302
    answer = client.post(
        f"/kpo/engagements/{setup['engagement']}/touchpoints/new",
        data={
            "held_on": TODAY.isoformat(),
            "type": "working_session",
            "items-0-text": "Send the interview list",
            "items-0-for_provider": "y",
            "items-1-text": "Internal follow-up",
        },
    )
    assert answer.status_code == 302
    with app.app_context():
        assigned = dict(
            db.session.execute(
                select(ActionItem.text, ActionItem.for_provider).where(
                    ActionItem.engagement_id == setup["engagement"]
                )
            ).all()
        )
    assert assigned == {
        "Send transcripts": True,
        "Book room": False,
        "Share the draft deck": True,
        "Send the interview list": True,
        "Internal follow-up": False,
    }
    log = client.get(f"/kpo/engagements/{setup['engagement']}/collaboration").get_data(as_text=True)
    assert "for Insight Partners" in log
