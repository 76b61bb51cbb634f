"""What the API shows is what the rules use: the credits totals of the requested months as typed
fields (as the credits page's footer), and the rubric in force of a KPO engagement."""

from datetime import date

from sqlalchemy import func, select

from tests import factories
from tests import factories_kpo as fk
from tests.factories_bpo import make_level, make_result
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.engagements.kpo.models import RubricCriterion
from vendor_tracker.extensions import db

THIS_MONTH = first_of_month(date.today())
M1, M2, M3 = (shift_month(THIS_MONTH, -n) for n in (1, 2, 3))
DEFAULT_WEIGHTS = [30, 25, 20, 15, 10]


def test_compliance_gives_the_period_totals_the_credits_page_shows(app, api):
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -8), end=shift_month(THIS_MONTH, 12)
        )
        level = make_level(engagement, classification="critical", allocation="100")
        make_result(level, M3, "70")  # a breach: 100 000 x 10 % x 100 % = 10 000
        make_result(level, M2, "70")
        db.session.commit()
        engagement_id = engagement.id
    url = f"/api/v1/engagements/{engagement_id}/compliance?from={M3:%Y-%m}&to={M1:%Y-%m}"
    answer = api.get(url, role="viewer")
    assert answer.status_code == 200, answer.get_json()
    totals = answer.get_json()["credits"]["totals"]
    assert totals["breaches"] == 2
    assert set(totals) == {
        "breaches",
        "gross",
        "earned_back",
        "pending",
        "cap_reduction",
        "payable",
        "waived",
    }
    assert totals["gross"] == "20000.00"
    assert totals["payable"] == "20000.00"
    assert totals["waived"] == "0.00"
    # One month outside the request leaves the other month's credit only.
    one = api.get(url.replace(f"from={M3:%Y-%m}", f"from={M2:%Y-%m}"), role="viewer")
    assert one.get_json()["credits"]["totals"]["payable"] == "10000.00"


def test_the_document_types_the_credits_totals(app, api):
    document = api.get("/api/v1/openapi.json").get_json()
    credits = document["components"]["schemas"]["Credits"]
    totals = document["components"]["schemas"]["CreditTotals"]
    assert credits["properties"]["totals"]["$ref"].endswith("/CreditTotals")
    assert {"payable", "breaches", "gross", "waived"} <= set(totals["required"])
    assert totals["properties"]["breaches"]["type"] == "integer"


def test_a_fresh_kpo_engagement_shows_the_rubric_a_review_demands(app, api):
    with app.app_context():
        engagement = fk.make_kpo_engagement(rubric=False)
        db.session.commit()
        engagement_id = engagement.id
    answer = api.get(f"/api/v1/engagements/{engagement_id}/rubric", role="viewer")
    assert answer.status_code == 200
    criteria = answer.get_json()["criteria"]
    assert [c["weight"] for c in criteria] == DEFAULT_WEIGHTS
    assert criteria[0]["name"] == "Accuracy"
    with app.app_context():  # reading wrote nothing
        count = select(func.count()).select_from(RubricCriterion)
        assert db.session.execute(count).scalar_one() == 0
    # The rubric the first deliverable gives the engagement is the one shown before.
    created = api.post(
        f"/api/v1/engagements/{engagement_id}/deliverables",
        json={"title": "Market sizing", "type": "research_brief", "due_on": "2026-03-31"},
        role="manager",
    )
    assert created.status_code == 201
    after = api.get(f"/api/v1/engagements/{engagement_id}/rubric", role="viewer").get_json()
    assert after["criteria"] == criteria
