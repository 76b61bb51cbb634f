"""KPO pages through the test client: section, deliverable page, rule refusals, rubric, roles."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests import factories_kpo as fk
from tests.factories import make_engagement
from vendor_tracker.engagements.kpo.models import Review, Submission
from vendor_tracker.extensions import db

TODAY = date.today()


@pytest.fixture
def kpo(app):
    """A KPO engagement with one deliverable awaiting its first version."""
    with app.app_context():
        engagement = fk.make_kpo_engagement(title="Equity research")
        deliverable = fk.make_deliverable(
            engagement, title="Valuation model", due_on=TODAY + timedelta(days=10)
        )
        db.session.commit()
        return {"engagement": engagement.id, "deliverable": deliverable.id}


def _section(answer) -> str:
    """The KPO section of the engagement page (the page also shows the audit history)."""
    html = answer.get_data(as_text=True)
    start = html.index('<section class="kpo-section')
    return html[start : html.index("</section>", start)]


def _count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def _scores(value=4):
    return {f"score_{i}": str(value) for i in range(5)}


def _submit(client, deliverable_id, day=TODAY, **extra):
    data = {"submitted_on": day.isoformat(), "summary": "First cut", "effort_hours": "12.5"}
    data.update(extra)
    return client.post(f"/kpo/deliverables/{deliverable_id}/submissions", data=data)


def _latest_submission(app, deliverable_id):
    with app.app_context():
        return (
            db.session.execute(
                select(Submission.id)
                .where(Submission.deliverable_id == deliverable_id)
                .order_by(Submission.version.desc())
            )
            .scalars()
            .first()
        )


def _review(client, submission_id, decision="accepted", day=TODAY, feedback="", scores=None):
    data = {"reviewed_on": day.isoformat(), "decision": decision, "feedback": feedback}
    data.update(_scores() if scores is None else scores)
    return client.post(f"/kpo/submissions/{submission_id}/review", data=data)


def test_engagement_page_is_deliverables_first(client, auth, kpo):
    auth.login("viewer")
    page = client.get(f"/engagements/{kpo['engagement']}")
    assert page.status_code == 200
    html = _section(page)
    assert "Valuation model" in html and "Not submitted" in html
    assert "Review-cycle analytics" in html
    # Nothing accepted yet: the rates read "no data", never 0 % or 100 %.
    assert "no data" in html and "0.0 %" not in html and "100.0 %" not in html
    assert "Add deliverable" not in html  # viewers read only


def test_section_filters_by_status(client, auth, app, kpo):
    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, kpo["engagement"])
        fk.make_deliverable_with_rounds(engagement, 1, title="Accepted brief")
        db.session.commit()
    auth.login("viewer")
    url = f"/engagements/{kpo['engagement']}"
    accepted = _section(client.get(url + "?d_status=accepted"))
    assert "Accepted brief" in accepted and "Valuation model" not in accepted
    nothing = _section(client.get(url + "?d_status=rejected"))
    assert "No deliverable matches these filters." in nothing
    garbage = client.get(url + "?d_status=%00&d_sort=drop&d_page=x")
    assert garbage.status_code == 200


def test_engagement_page_query_count_does_not_grow(client, auth, app, kpo, query_counter):
    auth.login("viewer")
    url = f"/engagements/{kpo['engagement']}"
    client.get(url)
    with query_counter() as few:
        client.get(url)
    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, kpo["engagement"])
        for n in range(12):
            fk.make_deliverable_with_rounds(engagement, 1 + n % 4, title=f"Brief {n}")
        fk.make_touchpoint(engagement, items=[("Send data", "Ana", TODAY, False)] * 3)
        db.session.commit()
    with query_counter() as many:
        client.get(url)
    assert len(many) == len(few)


def test_deliverable_page_query_count_does_not_grow(client, auth, app, kpo, query_counter):
    auth.login("manager")
    url = f"/kpo/deliverables/{kpo['deliverable']}"
    _submit(client, kpo["deliverable"], TODAY - timedelta(days=9))
    _review(
        client,
        _latest_submission(app, kpo["deliverable"]),
        "changes_requested",
        TODAY - timedelta(days=8),
        "More depth",
    )
    with query_counter() as few:
        assert client.get(url).status_code == 200
    _submit(client, kpo["deliverable"], TODAY - timedelta(days=5))
    _review(
        client,
        _latest_submission(app, kpo["deliverable"]),
        "changes_requested",
        TODAY - timedelta(days=4),
        "Still thin",
    )
    _submit(client, kpo["deliverable"], TODAY - timedelta(days=2))
    with query_counter() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_full_round_trip_and_rule_refusals(client, auth, app, kpo):
    auth.login("manager")
    d_id = kpo["deliverable"]
    page = client.get(f"/kpo/deliverables/{d_id}").get_data(as_text=True)
    assert "Submit version 1" in page and "Record the review" not in page

    assert _submit(client, d_id, TODAY - timedelta(days=3)).status_code == 302
    page = client.get(f"/kpo/deliverables/{d_id}").get_data(as_text=True)
    assert "Record the review of version 1" in page and "Submit version 2" not in page

    # A second version while the first is in review is refused.
    refused = _submit(client, d_id, TODAY, summary="too early")
    assert refused.status_code == 302
    assert _count(app, Submission) == 1

    first = _latest_submission(app, d_id)
    # Feedback is required unless accepted; the error sits next to the field.
    missing = _review(client, first, "changes_requested", TODAY - timedelta(days=2))
    assert missing.status_code == 200
    assert "feedback is required unless accepted" in missing.get_data(as_text=True)
    # A review dated before its submission is refused next to the date.
    early = _review(client, first, "accepted", TODAY - timedelta(days=4))
    assert "cannot be before the submission" in early.get_data(as_text=True)
    # Scores are required for each criterion.
    unscored = _review(client, first, "accepted", TODAY, scores={})
    assert unscored.status_code == 200 and "Score 1 to 5." in unscored.get_data(as_text=True)
    assert _count(app, Review) == 0

    assert (
        _review(
            client, first, "changes_requested", TODAY - timedelta(days=2), "Add peers"
        ).status_code
        == 302
    )
    # A second review of the same submission is refused.
    again = _review(client, first, "accepted", TODAY)
    assert again.status_code == 302 and _count(app, Review) == 1

    # The next version cannot predate the review it answers.
    before = _submit(client, d_id, TODAY - timedelta(days=3))
    assert "cannot be submitted before that" in before.get_data(as_text=True)
    assert _submit(client, d_id, TODAY - timedelta(days=1)).status_code == 302
    second = _latest_submission(app, d_id)
    assert _review(client, second, "accepted", TODAY, scores=_scores(5)).status_code == 302

    page = client.get(f"/kpo/deliverables/{d_id}").get_data(as_text=True)
    assert "Accepted" in page and "100.0 / 100" in page
    assert "nothing follows an acceptance" in page
    assert "Submit version 3" not in page and "Record the review" not in page
    # Nothing follows acceptance, even when posted directly.
    assert _submit(client, d_id, TODAY).status_code == 302
    assert _count(app, Submission) == 2
    with app.app_context():
        versions = (
            db.session.execute(select(Submission.version).where(Submission.deliverable_id == d_id))
            .scalars()
            .all()
        )
    assert sorted(versions) == [1, 2]


def test_rubric_change_does_not_rewrite_past_scores(client, auth, app, kpo):
    auth.login("manager")
    d_id = kpo["deliverable"]
    _submit(client, d_id, TODAY - timedelta(days=5))
    marks = {"score_0": "5", "score_1": "1", "score_2": "3", "score_3": "3", "score_4": "3"}
    _review(
        client,
        _latest_submission(app, d_id),
        "changes_requested",
        TODAY - timedelta(days=4),
        "Depth",
        scores=marks,
    )
    with app.app_context():
        first_quality = db.session.execute(select(Review.quality_score)).scalar_one()
    assert float(first_quality) == 52.5  # (150 + 25 + 60 + 45 + 30) / 100 = 3.1

    rubric = {
        "criteria-0-name": "Accuracy",
        "criteria-0-weight": "10",
        "criteria-1-name": "Depth of insight",
        "criteria-1-weight": "45",
        "criteria-2-name": "Completeness",
        "criteria-2-weight": "20",
        "criteria-3-name": "Clarity",
        "criteria-3-weight": "15",
        "criteria-4-name": "Actionability",
        "criteria-4-weight": "10",
    }
    answer = client.post(f"/kpo/engagements/{kpo['engagement']}/rubric", data=rubric)
    assert answer.status_code == 302

    _submit(client, d_id, TODAY - timedelta(days=3))
    _review(client, _latest_submission(app, d_id), "accepted", TODAY, scores=marks)
    with app.app_context():
        qualities = (
            db.session.execute(select(Review.quality_score).order_by(Review.id)).scalars().all()
        )
        weights = db.session.execute(
            select(func.min(Review.id), func.count()).select_from(Review)
        ).one()
    assert [float(q) for q in qualities] == [52.5, 32.5]  # 2.3 with the new weights
    assert weights[1] == 2
    page = client.get(f"/kpo/deliverables/{d_id}").get_data(as_text=True)
    assert "52.5 / 100" in page  # the old round still shows its old score


def test_rubric_validation_shows_errors_next_to_fields(client, auth, kpo):
    auth.login("manager")
    answer = client.post(
        f"/kpo/engagements/{kpo['engagement']}/rubric",
        data={
            "criteria-0-name": "Accuracy",
            "criteria-0-weight": "30",
            "criteria-1-name": "accuracy",
            "criteria-1-weight": "500",
        },
    )
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert "appears twice" in html
    assert "Number must be between 0 and 100." in html


def test_viewer_cannot_write_and_bpo_engagements_have_no_kpo_pages(client, auth, app, kpo):
    auth.login("viewer")
    assert _submit(client, kpo["deliverable"]).status_code == 403
    assert client.get(f"/kpo/engagements/{kpo['engagement']}/deliverables/new").status_code == 403
    assert client.get(f"/kpo/engagements/{kpo['engagement']}/rubric").status_code == 200
    with app.app_context():
        bpo = make_engagement(kind="BPO")
        db.session.commit()
        bpo_id = bpo.id
    assert client.get(f"/kpo/engagements/{bpo_id}/rubric").status_code == 404
    assert client.get(f"/kpo/engagements/{bpo_id}/collaboration").status_code == 404


def test_create_edit_and_delete_deliverable(client, auth, app, kpo):
    auth.login("manager")
    url = f"/kpo/engagements/{kpo['engagement']}/deliverables/new"
    bad = client.post(url, data={"title": "", "type": "report", "due_on": "soon"})
    assert bad.status_code == 200
    assert "This field is required." in bad.get_data(as_text=True)
    good = client.post(
        url,
        data={
            "title": "Peer set",
            "type": "dataset",
            "due_on": "2026-12-01",
            "lead_reviewer_id": "",
        },
    )
    assert good.status_code == 302
    new_id = int(good.headers["Location"].rsplit("/", 1)[1])
    edit = client.post(
        f"/kpo/deliverables/{new_id}/edit",
        data={"title": "Peer set v2", "type": "dataset", "due_on": "2026-12-05", "version": "1"},
    )
    assert edit.status_code == 302
    stale = client.post(
        f"/kpo/deliverables/{new_id}/edit",
        data={"title": "Lost update", "type": "dataset", "due_on": "2026-12-05", "version": "1"},
    )
    assert "changed by someone else" in stale.get_data(as_text=True)
    assert client.post(f"/kpo/deliverables/{new_id}/delete").status_code == 302
    assert client.get(f"/kpo/deliverables/{new_id}").status_code == 404


def test_collaboration_log_touchpoint_items_and_mark_done(client, auth, app, kpo):
    auth.login("manager")
    e_id = kpo["engagement"]
    answer = client.post(
        f"/kpo/engagements/{e_id}/touchpoints/new",
        data={
            "held_on": (TODAY - timedelta(days=7)).isoformat(),
            "type": "steering_meeting",
            "attendees": "Ana, Raj",
            "notes": "Agreed scope",
            "items-0-text": "Send peer list",
            "items-0-owner": "Raj",
            "items-0-due_on": (TODAY - timedelta(days=1)).isoformat(),
            "items-1-text": "Book review call",
            "items-1-due_on": (TODAY + timedelta(days=3)).isoformat(),
        },
    )
    assert answer.status_code == 302
    page = client.get(f"/kpo/engagements/{e_id}/collaboration").get_data(as_text=True)
    assert "Steering meeting" in page and "Send peer list" in page
    assert page.count("Overdue</span>") == 2  # once in open items, once under the touchpoint
    from vendor_tracker.engagements.kpo.models import ActionItem

    with app.app_context():
        item_id = db.session.execute(
            select(ActionItem.id).where(ActionItem.text == "Send peer list")
        ).scalar_one()
    assert client.post(f"/kpo/action-items/{item_id}/done", data={"done": "1"}).status_code == 302
    page = client.get(f"/kpo/engagements/{e_id}/collaboration").get_data(as_text=True)
    assert "Overdue</span>" not in page and "done " in page
    missing_date = client.post(f"/kpo/engagements/{e_id}/touchpoints/new", data={"type": "qa"})
    assert "Give a date" in missing_date.get_data(as_text=True)


def test_csv_export_uses_the_same_figures(client, auth, app, kpo):
    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, kpo["engagement"])
        fk.make_deliverable_with_rounds(engagement, 2, title="=cmd|' /C calc'!A0")
        db.session.commit()
    auth.login("viewer")
    answer = client.get(f"/kpo/engagements/{kpo['engagement']}/deliverables.csv")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    lines = answer.get_data(as_text=True).splitlines()
    assert lines[0].startswith("id,title,type,due_on,status")
    row = next(line for line in lines if "calc" in line)
    assert "'=cmd" in row  # formula neutralised
    assert ",accepted,no,2,2,no," in row  # status, overdue, rounds, to acceptance, first pass


def test_charts_are_svg_and_say_no_data_when_empty(client, auth, app, kpo):
    auth.login("viewer")
    e_id = kpo["engagement"]
    section = _section(client.get(f"/engagements/{e_id}"))
    assert "/charts/rounds.svg" not in section  # nothing accepted yet: text instead of a chart
    assert "No accepted deliverable yet" in section
    empty = client.get(f"/kpo/engagements/{e_id}/charts/rounds.svg")
    assert empty.mimetype == "image/svg+xml" and b"no data" in empty.data
    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, e_id)
        fk.make_deliverable_with_rounds(engagement, 2, title="Two rounds")
        db.session.commit()
    section = _section(client.get(f"/engagements/{e_id}"))
    for name in ("rounds", "quality", "days"):
        assert f"/kpo/engagements/{e_id}/charts/{name}.svg" in section
        answer = client.get(f"/kpo/engagements/{e_id}/charts/{name}.svg")
        assert answer.status_code == 200 and answer.data.startswith(b"<svg")
        assert b"kozea.github.io" not in answer.data  # js=[]: nothing loads from pygal's CDN
    assert client.get(f"/kpo/engagements/{e_id}/charts/other.svg").status_code == 404


def test_mark_done_never_redirects_off_site(client, auth, app, kpo):
    with app.app_context():
        from vendor_tracker.engagements.models import Engagement

        engagement = db.session.get(Engagement, kpo["engagement"])
        touchpoint = fk.make_touchpoint(engagement, items=[("Call", "Ana", None, False)])
        db.session.commit()
        item_id = touchpoint.action_items[0].id
    auth.login("manager")
    for target in ("//evil.example", "/\\evil.example", "https://evil.example"):
        answer = client.post(f"/kpo/action-items/{item_id}/done", data={"next": target})
        assert answer.headers["Location"] == f"/kpo/engagements/{kpo['engagement']}/collaboration"
