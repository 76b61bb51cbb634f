"""The demo data: the seed documents' conference organizer classifies as the documents say."""

from datetime import date

from sqlalchemy import func, select

from vendor_tracker.demo import seed_all
from vendor_tracker.demo import selection as seed
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation, services
from vendor_tracker.selection.models import SourcingRequest


def test_demo_requests_classify_as_the_documents_say_and_seed_once(app):
    with app.app_context():
        seed_all(date(2026, 11, 21))
        assert seed.seed_demo(date(2026, 11, 21)) == {"sourcing requests": 0}
        db.session.commit()
        count = db.session.execute(select(func.count(SourcingRequest.id))).scalar_one()
        assert count == 2
        by_title = {r.title: r for r in db.session.execute(select(SourcingRequest)).scalars()}
        calling, research = by_title[seed.CALLING], by_title[seed.RESEARCH]
        assert services.advisor_result(calling).advice.value == "BPO"
        assert services.advisor_result(research).advice.value == "KPO"
        assert [c.vendor.name for c in research.candidates] == ["Evalueserve", "Genpact", "PwC"]
        assert len(research.sheets) == 2
        result = evaluation.evaluate_request(research)
        totals = {
            research.candidates[i].vendor.name: r.total
            for i, r in enumerate(sorted(result.results, key=lambda r: r.candidate_id))
        }
        # Evalueserve: medians 4.5, 4.5, 4, 4, 3, 3 on 25/25/15/15/10/10 -> 76.25
        assert totals["Evalueserve"] == 76.25
        assert result.leader == research.candidates[0].id
        assert result.result_for(research.candidates[0].id).flags == 1  # continuity 4 vs 2
        assert calling.sheets == [] and calling.status.value == "draft"


def test_demo_pages_render(client, auth, app):
    with app.app_context():
        seed_all(date.today())
        db.session.commit()
        rid = db.session.execute(
            select(SourcingRequest.id).where(SourcingRequest.title == seed.RESEARCH)
        ).scalar_one()
    auth.login("viewer")
    for path in ("", "/advisor", "/candidates", "/criteria", "/results", "/record"):
        assert client.get(f"/selection/{rid}{path}").status_code == 200, path
    assert seed.RESEARCH in client.get("/selection").get_data(as_text=True)
