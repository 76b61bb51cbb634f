"""The selection pages through the test client: request, advisor, shortlist, criteria, scores."""

import re
from decimal import Decimal

from sqlalchemy import func, select

from tests.factories import make_certification, make_vendor
from tests.factories_selection import (
    BPO_ANSWERS,
    KPO_ANSWERS,
    add_candidates,
    add_criteria,
    make_request,
    scored_request,
    submit,
    user,
)
from vendor_tracker.extensions import db
from vendor_tracker.selection.models import Score, SourcingRequest


def text(page) -> str:
    """The visible text of a page, whitespace collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page.get_data(as_text=True), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def make(app, builder, *args, **kw):
    with app.app_context():
        result = builder(*args, **kw)
        db.session.commit()
        return result


def test_list_has_an_empty_state_and_a_create_button_for_managers(client, auth):
    auth.login("manager")
    page = client.get("/selection")
    assert page.status_code == 200
    assert "No sourcing requests yet" in text(page)
    assert "New sourcing request" in text(page)


def test_viewers_read_but_cannot_create(client, auth, app):
    rid = make(app, lambda: make_request().id)
    auth.login("viewer")
    assert client.get("/selection").status_code == 200
    assert client.get(f"/selection/{rid}").status_code == 200
    assert "New sourcing request" not in text(client.get("/selection"))
    assert client.get("/selection/new").status_code == 403
    assert client.post("/selection/new", data={"title": "x"}).status_code == 403
    assert client.post(f"/selection/{rid}/advisor", data={}).status_code == 403
    assert client.post(f"/selection/{rid}/candidates", data={"vendor_id": 1}).status_code == 403
    assert client.get(f"/selection/{rid}/award").status_code == 403


def test_list_filters_sorts_and_paginates_with_constant_queries(client, auth, app, query_counter):
    def build(n):
        for i in range(n):
            make_request(title=f"Request {i:02d}", status="evaluating" if i % 2 else "draft")

    make(app, build, 3)
    auth.login("viewer")
    client.get("/selection")
    with query_counter() as few:
        client.get("/selection")
    make(app, build, 30)
    with query_counter() as many:
        page = client.get("/selection?sort=title&dir=asc")
    assert len(many) == len(few)
    assert "page 1 of 2" in text(page)
    assert text(page).index("Request 00") < text(page).index("Request 01")
    filtered = text(client.get("/selection?status=evaluating&sort=title&dir=asc&page=1"))
    assert "Request 01" in filtered and "Request 02" not in filtered
    assert "No sourcing request matches" in text(client.get("/selection?q=zzz"))
    assert client.get("/selection?page=abc&sort=bogus&status=nope").status_code == 200


def test_create_validates_next_to_the_fields(client, auth, app):
    auth.login("manager")
    page = client.post("/selection/new", data={"title": "", "currency": "dollars", "budget": "-5"})
    assert page.status_code == 200
    body = text(page)
    assert "This field is required." in body
    assert "Use a 3-letter ISO code." in body
    assert "Number must be between 0 and 999999999999." in body
    with app.app_context():
        assert db.session.execute(select(func.count(SourcingRequest.id))).scalar_one() == 0


def test_create_then_edit_with_a_stale_version(client, auth, app):
    auth.login("manager")
    with app.app_context():
        from tests.factories import service_line

        line_id = service_line("telemarketing_sales").id
    answer = client.post(
        "/selection/new",
        data={
            "title": "Outbound calling",
            "description": "Call from a script",
            "service_line_id": line_id,
            "budget": "1200.50",
            "currency": "eur",
            "needed_by": "2026-12-31",
        },
    )
    assert answer.status_code == 302 and "/advisor" in answer.headers["Location"]
    with app.app_context():
        record = db.session.execute(select(SourcingRequest)).scalar_one()
        assert (record.currency, record.budget, record.status.value) == (
            "EUR",
            Decimal("1200.50"),
            "draft",
        )
        rid, version = record.id, record.version
    assert "EUR 1,200.50" in text(client.get(f"/selection/{rid}"))
    fields = {"title": "Renamed", "currency": "EUR", "status": "evaluating", "version": version}
    assert client.post(f"/selection/{rid}/edit", data=fields).status_code == 302
    stale = client.post(f"/selection/{rid}/edit", data={**fields, "title": "Again"})
    assert stale.status_code == 409 and "changed by someone else" in text(stale)


def test_advisor_needs_every_answer_then_classifies_bpo(client, auth, app):
    rid = make(app, lambda: make_request().id)
    auth.login("manager")
    partial = client.post(f"/selection/{rid}/advisor", data={"q_checklist": "1"})
    assert partial.status_code == 422
    assert text(partial).count("Answer this question.") == 7
    answers = {f"q_{k}": str(v) for k, v in BPO_ANSWERS.items()}
    assert client.post(f"/selection/{rid}/advisor", data=answers).status_code == 302
    page = text(client.get(f"/selection/{rid}/advisor"))
    assert "score 2.8 on the BPO (0) to KPO (100) scale" in page
    assert "Govern it with service levels" in page
    assert "Answers that pushed towards BPO" in page
    off_scale = client.post(f"/selection/{rid}/advisor", data={**answers, "q_volume": "9"})
    assert off_scale.status_code == 422


def test_override_needs_a_reason_and_keeps_the_advice(client, auth, app):
    rid = make(app, lambda: make_request(answers=KPO_ANSWERS).id)
    auth.login("manager")
    refused = client.post(f"/selection/{rid}/advisor/override", data={"model": "BPO", "reason": ""})
    assert refused.status_code == 422 and "Say why you override the advisor." in text(refused)
    ok = client.post(
        f"/selection/{rid}/advisor/override",
        data={"model": "BPO", "reason": "Vendor will run it on a strict verification script"},
    )
    assert ok.status_code == 302
    page = text(client.get(f"/selection/{rid}"))
    assert "Overridden to BPO." in page and "strict verification script" in page
    assert "The advisor's own result (KPO, 69.4) is kept." in page
    with app.app_context():
        record = db.session.get(SourcingRequest, rid)
        assert (record.advisor_result.value, record.override_model.value, record.model) == (
            "KPO",
            "BPO",
            "BPO",
        )
    assert client.post(f"/selection/{rid}/advisor/override/clear").status_code == 302
    with app.app_context():
        assert db.session.get(SourcingRequest, rid).model == "KPO"


def test_shortlist_suggests_vendors_of_the_line_that_are_not_offboarded(client, auth, app):
    def build():
        record = make_request()
        good = make_vendor("Dial Co", lines=("telemarketing_sales",))
        make_certification(good, "ISO 27001")
        make_vendor("Gone Co", status="offboarded", lines=("telemarketing_sales",))
        make_vendor("Other Co", lines=("market_research",))
        return record.id, good.id

    rid, good_id = make(app, build)
    auth.login("manager")
    page = text(client.get(f"/selection/{rid}/candidates"))
    suggested = page.split("Suggested candidates")[1].split("Add any vendor")[0]
    assert "Dial Co" in suggested and "ISO 27001" in suggested and "no history" in suggested
    assert "Gone Co" not in suggested and "Other Co" not in suggested
    assert (
        client.post(f"/selection/{rid}/candidates", data={"vendor_id": good_id}).status_code == 302
    )
    again = client.post(f"/selection/{rid}/candidates", data={"vendor_id": good_id})
    assert again.status_code == 422 and "already on the shortlist" in text(again)
    bad = client.post(f"/selection/{rid}/candidates", data={"vendor_id": "abc"})
    assert bad.status_code == 422
    with app.app_context():
        cid = db.session.get(SourcingRequest, rid).candidates[0].id
    assert client.get(f"/selection/{rid}/candidates/{cid}/remove").status_code == 405
    assert client.post(f"/selection/{rid}/candidates/{cid}/remove").status_code == 302
    assert client.post(f"/selection/{rid}/candidates/999/remove").status_code == 404


def test_criteria_template_weights_shown_normalized_and_validated(client, auth, app):
    rid = make(app, lambda: make_request().id)
    auth.login("manager")
    assert (
        client.post(f"/selection/{rid}/criteria/template", data={"model": "BPO"}).status_code == 302
    )
    page = text(client.get(f"/selection/{rid}/criteria"))
    assert "Price per transaction or FTE" in page and "25.0 %" in page
    with app.app_context():
        ids = [c.id for c in db.session.get(SourcingRequest, rid).criteria]
    weights = {f"w_{i}": "1" for i in ids}
    weights[f"w_{ids[0]}"] = "0"
    weights[f"w_{ids[1]}"] = "lots"
    refused = client.post(f"/selection/{rid}/criteria", data=weights)
    assert refused.status_code == 422
    assert "Use a number greater than zero." in text(
        refused
    ) and "Not a valid decimal value." in text(refused)
    weights.update({f"w_{ids[0]}": "3", f"w_{ids[1]}": "1"})
    assert client.post(f"/selection/{rid}/criteria", data=weights).status_code == 302
    # 3 + 1 + four 1s = 8: 37.5 % and 12.5 %
    page = text(client.get(f"/selection/{rid}/criteria"))
    assert "37.5 %" in page and "12.5 %" in page
    dup = client.post(
        f"/selection/{rid}/criteria/add",
        data={"name": "price per transaction or fte", "weight": "2"},
    )
    assert dup.status_code == 422 and "already exists" in text(dup)


def test_score_sheet_is_all_or_nothing_with_errors_next_to_the_cells(client, auth, app):
    def build():
        record = make_request(answers=BPO_ANSWERS)
        a, b = add_candidates(record, make_vendor("A Co"), make_vendor("B Co"))
        p, q = add_criteria(record, ("Price", 60), ("Quality", 40))
        return record.id, a.id, b.id, p.id, q.id

    rid, a, b, p, q = make(app, build)
    auth.login("manager")
    two_missing = {f"s_{a}_{p}": "5", f"s_{a}_{q}": "1"}
    assert "2 cells need attention; nothing was saved" in text(
        client.post(f"/selection/{rid}/scores", data=two_missing)
    )
    form = {f"s_{a}_{p}": "5", f"s_{a}_{q}": "1", f"s_{b}_{p}": "1", f"c_{a}_{p}": "cheapest"}
    refused = client.post(f"/selection/{rid}/scores", data=form)
    assert refused.status_code == 422
    body = text(refused)
    assert (
        "1 cell needs attention; nothing was saved" in body and "Give a score from 1 to 5." in body
    )
    assert 'value="5" selected' in refused.get_data(as_text=True)  # the user's input is kept
    with app.app_context():
        assert db.session.execute(select(func.count(Score.id))).scalar_one() == 0
    form[f"s_{b}_{q}"] = "5"
    assert client.post(f"/selection/{rid}/scores", data=form).status_code == 302
    with app.app_context():
        record = db.session.get(SourcingRequest, rid)
        assert record.status.value == "evaluating"
        assert len(record.sheets[0].scores) == 4
    results = text(client.get(f"/selection/{rid}/results"))
    assert "60.0 / 100" in results and "40.0 / 100" in results
    assert "cheapest" in results


def test_results_show_incomplete_ties_flags_and_sensitivity(client, auth, app):
    def build():
        record, (a, b), (price, quality) = scored_request()
        return record.id, a.id, b.id

    rid, a, b = make(app, build)
    auth.login("viewer")
    page = text(client.get(f"/selection/{rid}/results"))
    # medians: A 4.5 / 1.5, B 1.5 / 4.5 -> A 57.5, B 42.5; flip at 50/50
    assert "57.5 / 100" in page and "42.5 / 100" in page
    assert "-10.0 points (to 50.0 %): Beta Calls ties, then leads" in page
    assert "+10.0 points (to 50.0 %)" in page

    def add_late_criterion():
        record = db.session.get(SourcingRequest, rid)
        add_criteria(record, ("Security", 10))

    make(app, add_late_criterion)
    page = text(client.get(f"/selection/{rid}/results"))
    assert "incomplete" in page and "2 scores missing" in page
    assert "0.0 / 100" not in page


def test_equal_totals_show_as_a_tie(client, auth, app):
    def build():
        record = make_request(answers=BPO_ANSWERS)
        a, b = add_candidates(record, make_vendor("A Co"), make_vendor("B Co"))
        p, q = add_criteria(record, ("Price", 1), ("Quality", 1))
        submit(record, user("manager"), {a: {p: 5, q: 1}, b: {p: 1, q: 5}})
        return record.id

    rid = make(app, build)
    auth.login("viewer")
    page = text(client.get(f"/selection/{rid}/results"))
    assert page.count("tie") >= 2 and "Tie at the top: A Co and B Co" in page
    assert "the top is tied" in page


def test_detail_and_results_queries_do_not_grow_with_candidates(client, auth, app, query_counter):
    def build(n, line="telemarketing_sales"):
        record = make_request(answers=BPO_ANSWERS)
        vendors = [make_vendor(lines=(line,)) for _ in range(n)]
        for v in vendors:
            make_certification(v, "ISO 9001")
        cands = add_candidates(record, *vendors)
        crits = add_criteria(record, ("Price", 1), ("Quality", 2))
        submit(record, user("manager"), {c: {k: 3 for k in crits} for c in cands})
        return record.id

    small, large = make(app, build, 2), make(app, build, 8)
    auth.login("manager")
    for path in ("", "/results", "/candidates", "/scores", "/record", "/criteria", "/award"):
        # Warm both: reporting caches per-vendor summaries until the data changes.
        client.get(f"/selection/{small}{path}")
        client.get(f"/selection/{large}{path}")
        with query_counter() as few:
            assert client.get(f"/selection/{small}{path}").status_code == 200
        with query_counter() as many:
            assert client.get(f"/selection/{large}{path}").status_code == 200
        assert len(many) == len(few), path


def test_unknown_request_is_404(client, auth):
    auth.login("viewer")
    assert client.get("/selection/999").status_code == 404
    assert client.get("/selection/999/results").status_code == 404


def test_only_draft_or_cancelled_requests_can_be_deleted(client, auth, app):
    def build():
        draft = make_request(title="Draft one")
        record, _cands, _crits = scored_request()
        return draft.id, record.id

    draft, evaluating = make(app, build)
    auth.login("viewer")
    assert client.post(f"/selection/{draft}/delete").status_code == 403
    auth.logout()
    auth.login("manager")
    assert client.get(f"/selection/{draft}/delete").status_code == 405
    refused = client.post(f"/selection/{evaluating}/delete", follow_redirects=True)
    assert "Only draft or cancelled requests can be deleted" in text(refused)
    assert client.post(f"/selection/{draft}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(SourcingRequest, draft) is None
        assert db.session.get(SourcingRequest, evaluating) is not None
        record = db.session.get(SourcingRequest, evaluating)
        record.status = "cancelled"
        db.session.commit()
    assert client.post(f"/selection/{evaluating}/delete").status_code == 302
    with app.app_context():
        assert db.session.execute(select(func.count(Score.id))).scalar_one() == 0
