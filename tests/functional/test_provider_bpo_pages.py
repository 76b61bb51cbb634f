"""The provider's and the client's pages for month reports and credit disputes."""

import csv
import io
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.factories_bpo import make_credit_dispute, make_report, portal_world
from tests.functional.test_bpo_month_form import _form_of
from vendor_tracker.engagements.bpo.models import (
    CreditDispute,
    Measurement,
    MonthReport,
    ServiceLevel,
)
from vendor_tracker.engagements.bpo.sla import Source
from vendor_tracker.extensions import db


@pytest.fixture
def world(app):
    with app.app_context():
        return portal_world(PASSWORD)


def _month_url(world, key="engagement", month_key="last_month"):
    return f"/bpo/engagements/{world[key]}/results/{world[month_key]:%Y-%m}"


def _month_form(client, world, actual_sl="88"):
    """What the browser sends from the month page (versions included), the first level's
    actual changed."""
    values = _form_of(client.get(_month_url(world)).get_data(as_text=True))
    row = next(k for k, v in values.items() if k.endswith("level_id") and v == str(world["sl"]))
    values[row.replace("level_id", "actual")] = actual_sl
    return values


def _report(app, world, month_key="last_month"):
    with app.app_context():
        return (
            db.session.query(MonthReport)
            .filter_by(engagement_id=world["engagement"], period=world[month_key])
            .one_or_none()
        )


def test_a_provider_reports_a_month_through_the_monthly_form(app, client, auth, world):
    auth.login("provider")
    page = client.get(_month_url(world))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "readonly" not in html and "You report for Vendor A" in html
    answer = client.post(_month_url(world), data=_month_form(client, world), follow_redirects=True)
    assert answer.status_code == 200
    assert "1 changed" in answer.get_data(as_text=True)
    assert 'data-state="submitted"' in answer.get_data(as_text=True)
    with app.app_context():
        stored = (
            db.session.query(Measurement)
            .filter_by(service_level_id=world["sl"], period=world["last_month"])
            .one()
        )
        assert (stored.actual, stored.source, stored.recorded_by_id) == (
            Decimal("88"),
            Source.PROVIDER,
            world["provider"],
        )
        aht = (
            db.session.query(Measurement)
            .filter_by(service_level_id=world["aht"], period=world["last_month"])
            .one()
        )
        assert aht.actual == Decimal("300")  # left empty: kept
    report = _report(app, world)
    assert report.state.value == "submitted" and report.changed_by_id == world["provider"]


def test_the_planners_problems_are_shown_to_the_provider_and_nothing_is_submitted(
    app, client, auth, world
):
    auth.login("provider")
    answer = client.post(_month_url(world), data=_month_form(client, world, actual_sl="120"))
    assert answer.status_code == 200
    assert "A percentage must lie between 0 and 100." in answer.get_data(as_text=True)
    assert _report(app, world) is None


def test_a_provider_never_reaches_another_vendors_engagement(app, client, auth, world):
    auth.login("provider")
    assert client.get(_month_url(world, "other")).status_code == 404
    data = {"rows-0-level_id": world["other_level"], "rows-0-actual": "99"}
    assert client.post(_month_url(world, "other"), data=data).status_code == 404
    assert client.get(f"/bpo/engagements/{world['other']}/import").status_code == 404
    assert client.get(f"/bpo/engagements/{world['other']}/credits").status_code == 404
    answer = client.post(
        f"/bpo/engagements/{world['other']}/credits/{world['breach_month']:%Y-%m}/disputes",
        data={"service_level_id": world["other_level"], "category": "other", "reason": "x"},
    )
    assert answer.status_code == 404
    with app.app_context():
        assert db.session.query(CreditDispute).count() == 0
        other = db.session.query(Measurement).filter_by(service_level_id=world["other_level"])
        assert {m.actual for m in other} == {Decimal("70")}


def test_a_provider_imports_a_file_and_each_month_it_changes_is_submitted(app, client, auth, world):
    auth.login("provider")
    body = (
        "service_level,period,actual,volume\n"
        f"Answer rate,{world['last_month']:%Y-%m},84,1000\n"
        f"Answer rate,{world['breach_month']:%Y-%m},70,1000\n"  # as stored: unchanged
    )
    answer = client.post(
        f"/bpo/engagements/{world['engagement']}/import",
        data={"file": (io.BytesIO(body.encode()), "results.csv"), "replace_existing": "y"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    assert _report(app, world).state.value == "submitted"
    assert _report(app, world, "breach_month") is None


def test_only_client_managers_verify_and_dispute_and_the_provider_sees_why(
    app, client, auth, world
):
    with app.app_context():
        make_report(MonthReportEngagement(world), world["last_month"])
        db.session.commit()
    verify = _month_url(world) + "/verify"
    dispute = _month_url(world) + "/dispute"
    auth.login("provider")
    page = client.get(_month_url(world)).get_data(as_text=True)
    assert "Verify" not in page and "Send the dispute" not in page
    assert client.post(verify, data={}).status_code == 403
    assert client.post(dispute, data={}).status_code == 403
    auth.logout()
    auth.login("viewer")
    assert client.post(verify, data={}).status_code == 403
    auth.logout()

    auth.login("manager")
    page = client.get(_month_url(world)).get_data(as_text=True)
    assert "Verify " in page and "Send the dispute to the provider" in page
    # A dispute without any reason is shown again with the problem.
    empty = client.post(dispute, data={"dispute-rows-0-level_id": world["sl"]})
    assert empty.status_code == 200
    assert "Say what is wrong with at least one." in empty.get_data(as_text=True)
    answer = client.post(
        dispute,
        data={
            "dispute-rows-0-level_id": world["sl"],
            "dispute-rows-0-reason": "The ACD export says 81.2 %",
            "dispute-rows-1-level_id": world["aht"],
            "dispute-rows-1-reason": "",
        },
    )
    assert answer.status_code == 302
    report = _report(app, world)
    assert report.state.value == "disputed"
    assert report.reasons == {str(world["sl"]): "The ACD export says 81.2 %"}
    # Verifying a disputed month is refused with the reason.
    refused = client.post(verify, data={}, follow_redirects=True).get_data(as_text=True)
    assert "Only a submitted month can be verified; this one is disputed." in refused
    auth.logout()

    auth.login("provider")
    page = client.get(_month_url(world)).get_data(as_text=True)
    assert "Disputed by the client: The ACD export says 81.2 %" in page
    client.post(_month_url(world), data=_month_form(client, world, actual_sl="81.2"))
    assert _report(app, world).state.value == "submitted"
    auth.logout()

    auth.login("manager")
    assert client.post(verify, data={}).status_code == 302
    assert _report(app, world).state.value == "verified"
    with app.app_context():
        report = db.session.query(MonthReport).one()
        states = [e.state.value for e in report.events]
        assert states == ["submitted", "disputed", "submitted", "verified"]


class MonthReportEngagement:
    """Just the id `make_report` reads."""

    def __init__(self, world):
        self.id = world["engagement"]


def test_the_engagement_section_marks_provisional_months(app, client, auth, world):
    with app.app_context():
        make_report(MonthReportEngagement(world), world["last_month"])
        db.session.commit()
    auth.login("viewer")
    html = client.get(f"/engagements/{world['engagement']}").get_data(as_text=True)
    assert f'data-month="{world["last_month"]:%Y-%m}"' in html
    assert 'data-state="submitted"' in html and "provisional" in html


def _credits(client, world):
    return client.get(f"/bpo/engagements/{world['engagement']}/credits").get_data(as_text=True)


def test_credit_disputes_from_the_ledger_for_both_sides(app, client, auth, world):
    raise_url = (
        f"/bpo/engagements/{world['engagement']}/credits/{world['breach_month']:%Y-%m}/disputes"
    )
    auth.login("provider")
    html = _credits(client, world)
    assert "Dispute this credit" in html and "No open credit disputes." in html
    answer = client.post(
        raise_url,
        data={"service_level_id": world["sl"], "category": "force_majeure", "reason": "Flood"},
        follow_redirects=True,
    )
    html = answer.get_data(as_text=True)
    assert "disputed; the client will resolve it" in html
    assert "Force majeure" in html and "Flood" in html
    assert 'name="decision"' not in html and "resolve-" not in html  # the provider cannot resolve
    # Disputing it again is refused with the reason.
    again = client.post(
        raise_url,
        data={"service_level_id": world["sl"], "category": "other", "reason": "Again"},
        follow_redirects=True,
    )
    assert "This credit already has an open dispute." in again.get_data(as_text=True)
    with app.app_context():
        dispute_id = db.session.query(CreditDispute).one().id
    resolve_url = f"/bpo/credit-disputes/{dispute_id}/resolve"
    prefix = f"resolve-{dispute_id}"
    assert client.post(resolve_url, data={f"{prefix}-decision": "waived"}).status_code == 403
    auth.logout()

    auth.login("manager")
    html = _credits(client, world)
    assert f'name="{prefix}-decision"' in html
    no_note = client.post(resolve_url, data={f"{prefix}-decision": "waived"}, follow_redirects=True)
    assert "Say why the credit is waived." in no_note.get_data(as_text=True)
    client.post(
        resolve_url,
        data={f"{prefix}-decision": "waived", f"{prefix}-note": "Flood confirmed by the site"},
    )
    html = _credits(client, world)
    assert "waived" in html and "Flood confirmed by the site" in html
    assert "No open credit disputes." in html
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/bpo/engagements/{world['engagement']}/credits.csv").get_data(
                    as_text=True
                )
            )
        )
    )
    line = next(r for r in rows if r["month"] == f"{world['breach_month']:%Y-%m}")
    assert (line["breaches"], line["payable"], line["waived"]) == ("1", "0.00", "10000.00")
    assert line["waiver reasons"] == "Answer rate: Flood confirmed by the site"
    assert rows[-1]["month"] == "total" and rows[-1]["payable"] == "0.00"


def test_open_disputes_and_months_to_verify_reach_the_inbox_and_the_qbr_pack(
    app, client, auth, world
):
    from tests.factories_reporting import make_qbr
    from vendor_tracker.vendors.models import Vendor

    with app.app_context():
        make_report(MonthReportEngagement(world), world["last_month"])
        make_credit_dispute(db.session.get(ServiceLevel, world["sl"]), world["breach_month"])
        qbr = make_qbr(db.session.get(Vendor, world["vendor_a"]))
        db.session.commit()
        qbr_id = qbr.id
    auth.login("manager")
    inbox = client.get("/reports/attention").get_data(as_text=True)
    assert f"Credit of {world['breach_month']:%b %Y} disputed: Answer rate" in inbox
    assert f"Results of {world['last_month']:%b %Y} to verify" in inbox
    pack = client.get(f"/reports/qbrs/{qbr_id}/pack").get_data(as_text=True)
    assert "Open service-credit disputes" in pack
    assert "Answer rate" in pack and "other" in pack


def test_the_ledger_page_queries_do_not_grow_with_disputes(app, client, auth, world, query_counter):
    auth.login("manager")
    client.get(f"/bpo/engagements/{world['engagement']}/credits")
    with query_counter() as few:
        client.get(f"/bpo/engagements/{world['engagement']}/credits")
    with app.app_context():
        level = db.session.get(ServiceLevel, world["sl"])
        for state in ("upheld", "upheld", "open"):
            make_credit_dispute(level, world["breach_month"], state=state)
        make_report(MonthReportEngagement(world), world["last_month"])
        db.session.commit()
    with query_counter() as many:
        html = client.get(f"/bpo/engagements/{world['engagement']}/credits").get_data(as_text=True)
    assert "provisional" in html
    # Fewer, if anything: the disputes' eager loads bring the vendor the breadcrumb shows.
    assert len(many) <= len(few)
