"""/api/v1/sourcing-requests through bearer tokens."""

from sqlalchemy import func, select

from tests.factories import make_vendor, service_line
from tests.factories_selection import BPO_ANSWERS, KPO_ANSWERS, make_request, scored_request
from vendor_tracker.extensions import db
from vendor_tracker.selection.models import Score, SourcingRequest

BASE = "/api/v1/sourcing-requests"


def put(api, url, body, role="admin"):
    """The conftest helper has no PUT; send one with the same bearer token."""
    return api._client.put(url, json=body, headers=api.headers(role))


def build(app, builder):
    with app.app_context():
        result = builder()
        db.session.commit()
        return result


def test_create_list_get_and_patch(api, app):
    with app.app_context():
        line_id = service_line("market_research").id
    created = api.post(
        BASE,
        {
            "title": "Contact research",
            "service_line_id": line_id,
            "budget": 60000.00,
            "currency": "usd",
            "needed_by": "2027-01-31",
        },
        role="manager",
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["currency"], body["budget"], body["model"]) == (
        "draft",
        "USD",
        60000.0,
        None,
    )
    rid = body["id"]
    listed = api.get(f"{BASE}?status=draft", role="viewer").get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == rid
    assert api.get(f"{BASE}?status=awarded", role="viewer").get_json()["total"] == 0
    assert api.get(f"{BASE}/{rid}", role="viewer").get_json()["title"] == "Contact research"
    patched = api.patch(f"{BASE}/{rid}", {"title": "Renamed", "version": body["version"]})
    assert patched.status_code == 200 and patched.get_json()["title"] == "Renamed"
    stale = api.patch(f"{BASE}/{rid}", {"title": "Again", "version": body["version"]})
    assert stale.status_code == 409
    assert api.patch(f"{BASE}/{rid}", {"title": "No version"}).status_code == 422
    too_big = api.patch(f"{BASE}/{rid}", {"budget": 1e20, "version": body["version"] + 1})
    assert too_big.status_code == 422 and "budget" in too_big.get_json()["error"]["fields"]
    assert api.get(f"{BASE}/999").status_code == 404


def test_validation_names_the_fields(api):
    answer = api.post(BASE, {"title": "", "budget": -1, "currency": "dollars", "owner_id": 999})
    assert answer.status_code == 422
    fields = answer.get_json()["error"]["fields"]
    assert {"title", "budget", "currency"} <= set(fields)
    bad_ref = api.post(BASE, {"title": "x", "owner_id": 999, "service_line_id": 999})
    assert bad_ref.status_code == 422
    assert set(bad_ref.get_json()["error"]["fields"]) == {"owner_id", "service_line_id"}
    assert api.post(BASE, {"title": "x"}, role="viewer").status_code == 403
    assert api.get(f"{BASE}?status=bogus").status_code == 422


def test_advisor_answers_result_and_override(api, app):
    rid = build(app, lambda: make_request().id)
    answer = put(api, f"{BASE}/{rid}/advisor", {"answers": {"checklist": 1, "volume": 7}})
    assert answer.status_code == 422
    problems = answer.get_json()["error"]["fields"]["answers"]
    assert (
        problems["volume"].startswith("Pick a whole number")
        and problems["complexity"] == "Answer this question."
    )
    ok = put(api, f"{BASE}/{rid}/advisor", {"answers": KPO_ANSWERS}, role="admin")
    result = ok.get_json()["result"]
    assert (result["advice"], result["score"]) == ("KPO", 69.44)
    assert result["towards_kpo"][0]["question"] == "checklist"
    no_reason = put(
        api, f"{BASE}/{rid}/advisor/override", {"model": "BPO", "reason": "short"}, role="admin"
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.get_json()["error"]["fields"]
    over = put(
        api,
        f"{BASE}/{rid}/advisor/override",
        {"model": "hybrid", "reason": "Split calling and research"},
        role="admin",
    )
    body = over.get_json()
    assert (
        body["result"]["advice"] == "KPO"
        and body["override"]["model"] == "hybrid"
        and body["model"] == "hybrid"
    )
    cleared = api.delete(f"{BASE}/{rid}/advisor/override").get_json()
    assert cleared["override"] is None and cleared["model"] == "KPO"


def test_candidates_criteria_scores_results_and_award(api, app):
    def setup():
        record = make_request(answers=BPO_ANSWERS)
        vendors = [make_vendor(n, lines=("telemarketing_sales",)).id for n in ("Call A", "Call B")]
        gone = make_vendor("Gone", status="offboarded").id
        return record.id, vendors, gone

    rid, (va, vb), gone = build(app, setup)
    listing = api.get(f"{BASE}/{rid}/candidates", role="viewer").get_json()
    assert {s["vendor"] for s in listing["suggested"]} == {"Call A", "Call B"}
    assert listing["suggested"][0]["track_record"]["has_history"] is False
    ca = api.post(f"{BASE}/{rid}/candidates", {"vendor_id": va}).get_json()["candidate_id"]
    cb = api.post(f"{BASE}/{rid}/candidates", {"vendor_id": vb}).get_json()["candidate_id"]
    refused = api.post(f"{BASE}/{rid}/candidates", {"vendor_id": gone})
    assert refused.status_code == 422 and "vendor_id" in refused.get_json()["error"]["fields"]
    crit = api.post(f"{BASE}/{rid}/criteria", {"name": "Price", "weight": 3}).get_json()["criteria"]
    crit = api.post(f"{BASE}/{rid}/criteria", {"name": "Quality", "weight": 1}).get_json()[
        "criteria"
    ]
    price, quality = crit[0]["id"], crit[1]["id"]
    assert [c["weight_pct"] for c in crit] == [75.0, 25.0]
    weights = put(
        api, f"{BASE}/{rid}/criteria/weights", {"weights": {str(price): 0, "999": 1}}, role="admin"
    )
    assert weights.status_code == 422
    assert set(weights.get_json()["error"]["fields"]["weights"]) == {str(price), "999"}
    weights = put(
        api,
        f"{BASE}/{rid}/criteria/weights",
        {"weights": {str(price): 1, str(quality): 1}},
        role="admin",
    )
    assert [c["weight_pct"] for c in weights.get_json()["criteria"]] == [50.0, 50.0]

    def put_sheet(rows, role="manager"):
        return put(api, f"{BASE}/{rid}/scores", {"scores": rows}, role=role)

    incomplete = put_sheet(
        [
            {"candidate_id": ca, "criterion_id": price, "value": 5},
            {"candidate_id": ca, "criterion_id": quality, "value": 6},
        ]
    )
    assert incomplete.status_code == 422
    cells = incomplete.get_json()["error"]["fields"]["scores"]
    assert set(cells) == {f"{ca}:{quality}", f"{cb}:{price}", f"{cb}:{quality}"}
    with app.app_context():
        assert db.session.execute(select(func.count(Score.id))).scalar_one() == 0
    full = [
        {"candidate_id": ca, "criterion_id": price, "value": 5, "comment": "cheap"},
        {"candidate_id": ca, "criterion_id": quality, "value": 2},
        {"candidate_id": cb, "criterion_id": price, "value": 2},
        {"candidate_id": cb, "criterion_id": quality, "value": 4},
    ]
    assert put_sheet(full).status_code == 200
    assert put_sheet(full, role="viewer").status_code == 403
    results = api.get(f"{BASE}/{rid}/results", role="viewer").get_json()
    # A: (100 + 25) / 2 = 62.5; B: (25 + 75) / 2 = 50
    assert [(r["vendor"], r["rank"], r["total"]) for r in results["ranking"]] == [
        ("Call A", 1, 62.5),
        ("Call B", 2, 50.0),
    ]
    assert results["leaders"] == [ca] and results["tie_at_top"] is False
    # the gap closes when price drops: A = 100p + 25(1-p), B = 25p + 75(1-p) -> p = 0.4
    sens = {s["criterion"]: s for s in results["sensitivity"]}
    assert (
        round(sens["Price"]["change_pp"], 6) == -10.0 and sens["Price"]["rival_candidate_id"] == cb
    )
    award = api.post(
        f"{BASE}/{rid}/award",
        {"candidate_id": cb, "pricing_model": "per_fte", "start_date": "2027-02-01"},
    )
    assert award.status_code == 422 and "reason" in award.get_json()["error"]["fields"]
    bad_kpi = api.post(
        f"{BASE}/{rid}/award",
        {
            "candidate_id": ca,
            "pricing_model": "per_fte",
            "start_date": "2027-02-01",
            "kpi_codes": ["nope"],
        },
    )
    assert bad_kpi.status_code == 422 and "kpi_codes" in bad_kpi.get_json()["error"]["fields"]
    done = api.post(
        f"{BASE}/{rid}/award",
        {"candidate_id": ca, "pricing_model": "per_fte", "start_date": "2027-02-01"},
    )
    assert done.status_code == 201, done.get_json()
    assert done.get_json()["kind"] == "BPO" and done.get_json()["request"]["status"] == "awarded"
    again = api.post(
        f"{BASE}/{rid}/award",
        {"candidate_id": ca, "pricing_model": "per_fte", "start_date": "2027-02-01"},
    )
    assert again.status_code == 409
    assert api.delete(f"{BASE}/{rid}/candidates/{cb}").status_code == 409
    with app.app_context():
        from vendor_tracker.engagements.bpo.models import ServiceLevel

        record = db.session.get(SourcingRequest, rid)
        levels = db.session.execute(
            select(ServiceLevel).where(ServiceLevel.engagement_id == record.engagement_id)
        ).scalars()
        codes = {lv.metric_code for lv in levels}  # the front-office KPIs that suit outbound calls
        assert "conversion_rate" in codes and "service_level" not in codes


def test_scores_listing_and_removals(api, app):
    def setup():
        record, (a, b), (price, quality) = scored_request()
        return record.id, a.id, quality.id

    rid, a, quality = build(app, setup)
    sheets = api.get(f"{BASE}/{rid}/scores", role="viewer").get_json()["sheets"]
    assert len(sheets) == 2 and len(sheets[0]["scores"]) == 4
    assert api.delete(f"{BASE}/{rid}/criteria/{quality}").status_code == 204
    assert api.delete(f"{BASE}/{rid}/criteria/{quality}").status_code == 404
    assert api.delete(f"{BASE}/{rid}/candidates/{a}", role="viewer").status_code == 403
    assert api.delete(f"{BASE}/{rid}/candidates/{a}").status_code == 204
    results = api.get(f"{BASE}/{rid}/results").get_json()
    assert [r["total"] for r in results["ranking"]] == [12.5]  # Beta on price only: medians 1.5
    assert api.post(f"{BASE}/{rid}/criteria", {"template": "KPO"}).status_code == 201
    after = api.get(f"{BASE}/{rid}/results").get_json()
    assert after["ranking"][0]["status"] == "incomplete" and after["ranking"][0]["total"] is None


def test_out_of_range_numbers_are_422_not_500(api, app):
    rid = build(app, lambda: make_request().id)
    huge = 10**30
    assert api.post(f"{BASE}/{rid}/candidates", {"vendor_id": huge}).status_code == 422
    assert api.post(BASE, {"title": "x", "owner_id": huge}).status_code == 422
    assert api.post(BASE, {"title": "x", "budget": 1e20}).status_code == 422
    crit = api.post(f"{BASE}/{rid}/criteria", {"name": "Price", "weight": 2}).get_json()
    cid = crit["criteria"][0]["id"]
    too_big = put(api, f"{BASE}/{rid}/criteria/weights", {"weights": {str(cid): 10**12}})
    assert too_big.status_code == 422
    assert (
        put(api, f"{BASE}/{rid}/criteria/weights", {"weights": {str(cid): "abc"}}).status_code
        == 422
    )
    sheet = put(
        api,
        f"{BASE}/{rid}/scores",
        {"scores": [{"candidate_id": huge, "criterion_id": 1, "value": 3}]},
    )
    assert sheet.status_code == 422
