"""From request to award: the planned engagement, its service levels or rubric, the record."""

import re

import pytest
from sqlalchemy import select

from tests.factories import make_vendor, service_line
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
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.selection.models import SourcingRequest


def text(page) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.get_data(as_text=True)))


def build_scored(app, **kw):
    with app.app_context():
        record, (a, b), _ = scored_request(**kw)
        db.session.commit()
        return record.id, a.id, b.id


def award_form(candidate_id, **extra):
    return {
        "candidate_id": candidate_id,
        "pricing_model": "per_transaction",
        "start_date": "2027-01-01",
        "reason": "",
        **extra,
    }


def test_whole_flow_from_request_to_bpo_award(client, auth, app):
    """A manager creates the request, answers the advisor, shortlists, weighs, scores, awards."""
    with app.app_context():
        line_id = service_line("telemarketing_sales").id
        vendor_ids = [
            make_vendor(n, lines=("telemarketing_sales",)).id for n in ("Dial A", "Dial B")
        ]
        db.session.commit()
    auth.login("manager")
    created = client.post(
        "/selection/new",
        data={"title": "Event invitations", "service_line_id": line_id, "currency": "USD"},
    )
    rid = int(re.search(r"/selection/(\d+)/advisor", created.headers["Location"]).group(1))
    answers = {f"q_{k}": str(v) for k, v in BPO_ANSWERS.items()}
    assert client.post(f"/selection/{rid}/advisor", data=answers).status_code == 302
    for vid in vendor_ids:
        assert (
            client.post(f"/selection/{rid}/candidates", data={"vendor_id": vid}).status_code == 302
        )
    assert (
        client.post(f"/selection/{rid}/criteria/template", data={"model": "BPO"}).status_code == 302
    )
    with app.app_context():
        record = db.session.get(SourcingRequest, rid)
        cands = [c.id for c in record.candidates]
        crits = [c.id for c in record.criteria]
    sheet = {f"s_{cands[0]}_{k}": "4" for k in crits} | {f"s_{cands[1]}_{k}": "3" for k in crits}
    assert client.post(f"/selection/{rid}/scores", data=sheet).status_code == 302
    page = client.get(f"/selection/{rid}/award")
    assert "Top-ranked: Dial A" in text(page)
    html = page.get_data(as_text=True)
    # Outbound calling: the front-office KPIs that suit telemarketing, no inbound call-centre ones
    assert re.search(r'<input checked [^>]*value="conversion_rate"', html)
    assert 'value="service_level"' not in html
    assert re.search(
        r'<input id="[^"]*" name="kpi_codes" type="checkbox" value="average_handle_time"', html
    )
    done = client.post(
        f"/selection/{rid}/award",
        data=award_form(cands[0], kpi_codes=["conversion_rate", "right_party_contact_rate"]),
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/selection/{rid}/record")
    with app.app_context():
        from vendor_tracker.engagements.bpo.models import ServiceLevel

        record = db.session.get(SourcingRequest, rid)
        engagement = record.engagement
        assert record.status.value == "awarded" and record.award_vendor.name == "Dial A"
        assert (engagement.kind.value, engagement.status.value) == ("BPO", "planned")
        assert engagement.vendor_id == vendor_ids[0]
        assert engagement.service_line_id == line_id
        assert engagement.owner_id == user("manager").id
        levels = db.session.execute(
            select(ServiceLevel).where(ServiceLevel.engagement_id == engagement.id)
        ).scalars()
        assert sorted(lv.metric_code for lv in levels) == [
            "conversion_rate",
            "right_party_contact_rate",
        ]
    record_page = text(client.get(f"/selection/{rid}/record"))
    for expected in (
        "1. The need",
        "Event invitations",
        "score 2.8",
        "Price per transaction or FTE",
        "Awarded to Dial A",
        "(ranked 1)",
        "Sensitivity",
        "no history",
    ):
        assert expected in record_page, expected
    # The engagement and vendor pages point back to the selection.
    with app.app_context():
        engagement_id = db.session.get(SourcingRequest, rid).engagement_id
    assert f'href="/engagements/{engagement_id}"' in client.get(f"/selection/{rid}").get_data(
        as_text=True
    )
    engagement_page = text(client.get(f"/engagements/{engagement_id}"))
    assert "Sourced through a selection" in engagement_page and "Decision record" in engagement_page
    vendor_page = text(client.get(f"/vendors/{vendor_ids[0]}"))
    assert "Event invitations — Awarded awarded to this vendor" in vendor_page
    # closed: no more changes, over the pages either
    again = client.post(f"/selection/{rid}/award", data=award_form(cands[1], reason="x" * 20))
    assert again.status_code == 302
    assert client.post(f"/selection/{rid}/candidates/{cands[1]}/remove").status_code == 302
    with app.app_context():
        assert len(db.session.get(SourcingRequest, rid).candidates) == 2


def test_kpo_award_gets_the_default_rubric(client, auth, app):
    rid, a, _b = build_scored(app, line="market_research", answers=KPO_ANSWERS)
    auth.login("manager")
    done = client.post(f"/selection/{rid}/award", data=award_form(a, pricing_model="fixed_fee"))
    assert done.status_code == 302
    with app.app_context():
        from vendor_tracker.engagements.kpo.models import RubricCriterion

        engagement = db.session.get(SourcingRequest, rid).engagement
        assert engagement.kind.value == "KPO"
        names = db.session.execute(
            select(RubricCriterion.name).where(RubricCriterion.engagement_id == engagement.id)
        ).scalars()
        assert sorted(names) == [
            "Accuracy",
            "Actionability",
            "Clarity",
            "Completeness",
            "Depth of insight",
        ]


def test_picking_the_runner_up_needs_a_reason(client, auth, app):
    rid, _a, b = build_scored(app)
    auth.login("manager")
    refused = client.post(f"/selection/{rid}/award", data=award_form(b))
    assert refused.status_code == 422
    assert "not the top-ranked one: give a reason" in text(refused)
    with app.app_context():
        assert db.session.execute(select(Engagement)).first() is None
        assert db.session.get(SourcingRequest, rid).status.value == "evaluating"
    ok = client.post(
        f"/selection/{rid}/award", data=award_form(b, reason="Beta has the only Spanish desk")
    )
    assert ok.status_code == 302
    assert "Beta has the only Spanish desk" in text(client.get(f"/selection/{rid}/record"))
    assert "(ranked 2)" in text(client.get(f"/selection/{rid}/record"))


def test_on_watch_vendor_warns(client, auth, app):
    rid, a, _b = build_scored(app)
    with app.app_context():
        record = db.session.get(SourcingRequest, rid)
        record.candidates[0].vendor.status = "on_watch"
        db.session.commit()
    auth.login("manager")
    assert "is on watch" in text(client.get(f"/selection/{rid}/award"))
    done = client.post(f"/selection/{rid}/award", data=award_form(a), follow_redirects=True)
    assert "This vendor is on watch" in text(done)


@pytest.fixture
def poor_standing(monkeypatch):
    from vendor_tracker.reporting import services as reporting
    from vendor_tracker.reporting.scorecard import Band, Standing, Trend

    def standings(vendor_ids, today):
        poor = Standing(31.0, Band.POOR, Band.WATCH, 60.0, Trend.DOWN, "2026-Q4")
        return {v: poor for v in vendor_ids}

    monkeypatch.setattr(reporting, "current_standings", standings)


def test_poor_standing_needs_an_admin_with_a_reason(client, auth, app, poor_standing):
    rid, a, _b = build_scored(app)
    auth.login("manager")
    refused = client.post(f"/selection/{rid}/award", data=award_form(a, reason="Only option left"))
    assert refused.status_code == 422 and "only an admin may award it" in text(refused)
    auth.logout()
    auth.login("admin")
    no_reason = client.post(f"/selection/{rid}/award", data=award_form(a))
    assert no_reason.status_code == 422 and "poor standing: give a reason" in text(no_reason)
    ok = client.post(
        f"/selection/{rid}/award", data=award_form(a, reason="Only provider with clearance")
    )
    assert ok.status_code == 302


def test_hybrid_award_asks_for_the_kind_and_checks_the_service_line(client, auth, app):
    def build():
        record = make_request(
            answers={**BPO_ANSWERS, "checklist": 5, "specialization": 5, "output": 5}
        )
        (a,) = add_candidates(record, make_vendor("Solo", lines=("telemarketing_sales",)))
        (p,) = add_criteria(record, ("Price", 1))
        submit(record, user("manager"), {a: {p: 4}})
        return record.id, a.id, record.advisor_result.value

    with app.app_context():
        rid, a, advice = build()
        db.session.commit()
    assert advice == "hybrid"
    auth.login("manager")
    assert "The advisor says hybrid" in text(client.get(f"/selection/{rid}/award"))
    wrong = client.post(f"/selection/{rid}/award", data=award_form(a, kind="KPO"))
    assert wrong.status_code == 422 and "service line is BPO work" in text(wrong)
    assert client.post(f"/selection/{rid}/award", data=award_form(a, kind="BPO")).status_code == 302


def test_award_form_rejects_bad_input_without_a_500(client, auth, app):
    rid, a, _b = build_scored(app)
    auth.login("manager")
    for data in (
        {"candidate_id": "nope"},
        award_form(999),
        award_form(a, start_date="not a date"),
        award_form(a, pricing_model="barter"),
        award_form(a, kpi_codes=["made_up"]),
    ):
        answer = client.post(f"/selection/{rid}/award", data=data)
        assert answer.status_code == 422, data
    with app.app_context():
        assert db.session.execute(select(Engagement)).first() is None


def test_track_record_evidence_comes_from_the_bpo_and_kpo_packages(client, auth, app, monkeypatch):
    from datetime import date, timedelta
    from decimal import Decimal

    from vendor_tracker.engagements.bpo import services as bpo
    from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
    from vendor_tracker.engagements.kpo import services as kpo
    from vendor_tracker.engagements.kpo.contracts import KpoVendorSummary

    seen = {"bpo": [], "kpo": []}

    def bpo_summary(vendor_ids, first_month, last_month, today):
        seen["bpo"].append((first_month, last_month))
        return {
            vendor_ids[0]: BpoVendorSummary(
                met=46,
                reported=50,
                expected=50,
                breaches=4,
                attainment=92.0,
                credits_payable={"USD": Decimal("1250.00")},
            )
        }

    def kpo_summary(vendor_ids, first_day, last_day, today):
        seen["kpo"].append((first_day, last_day))
        return {
            vendor_ids[0]: KpoVendorSummary(
                accepted=8,
                first_pass_rate=75.0,
                mean_rounds_to_acceptance=1.25,
                mean_quality=84.5,
                due=9,
                on_time_first_rate=88.9,
                overdue=0,
            )
        }

    monkeypatch.setattr(bpo, "vendor_bpo_summary", bpo_summary)
    monkeypatch.setattr(kpo, "vendor_kpo_summary", kpo_summary)
    rid, _a, _b = build_scored(app)
    auth.login("viewer")
    page = text(client.get(f"/selection/{rid}/results"))
    assert (
        "BPO: 92.0 % of service levels met (46 of 50 reported), 4 breaches, credits USD 1,250.00"
        in page
    )
    assert "KPO: first-pass 75.0 % of 8 accepted, 1.3 rounds on average, quality 84.5 / 100" in page
    assert "no history" in page  # the second candidate
    # The evidence covers the last twelve complete months (the standings ask for quarters).
    today = date.today()
    this_month = today.replace(day=1)
    first, last = evaluation_period = (
        date(this_month.year - 1, this_month.month, 1),
        this_month - timedelta(days=1),
    )
    assert (first, last.replace(day=1)) in seen["bpo"]
    assert evaluation_period in seen["kpo"]
