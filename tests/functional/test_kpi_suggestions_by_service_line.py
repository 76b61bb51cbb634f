"""Suggested service levels follow the service line: outbound telemarketing is not offered the
inbound call-centre levels ("calls answered within 20 s"), inbound customer support is."""

import re

from sqlalchemy import select

from tests import factories
from tests.factories_selection import make_request
from vendor_tracker.engagements.bpo import services as bpo_services
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.extensions import db
from vendor_tracker.selection import evaluation

INBOUND_ONLY = {"service_level", "average_speed_of_answer", "abandonment_rate"}


def test_the_library_names_the_lines_each_metric_suits(ctx):
    library = {row["code"]: row for row in bpo_services.kpi_library()}
    assert library["service_level"]["service_lines"] == ["customer_support", "technical_support"]
    assert library["agent_attrition"]["service_lines"] == []  # suits every line
    outbound = {row["code"] for row in bpo_services.kpi_library_for("telemarketing_sales")}
    inbound = {row["code"] for row in bpo_services.kpi_library_for("customer_support")}
    assert not outbound & INBOUND_ONLY
    assert {"conversion_rate", "right_party_contact_rate", "agent_attrition"} <= outbound
    assert inbound >= INBOUND_ONLY and "conversion_rate" not in inbound
    assert len(bpo_services.kpi_library_for(None)) == len(library)  # unknown line: every one


def test_award_suggestions_follow_the_requests_line(ctx):
    outbound = evaluation.suggested_kpi_codes(make_request(line="telemarketing_sales"))
    inbound = evaluation.suggested_kpi_codes(make_request(line="customer_support"))
    assert "service_level" not in outbound and "conversion_rate" in outbound
    assert "service_level" in inbound and "conversion_rate" not in inbound
    offered = {k["code"] for k in evaluation.award_kpis(make_request(line="telemarketing_sales"))}
    assert not offered & INBOUND_ONLY


def test_adding_suggested_levels_leaves_out_metrics_that_do_not_suit(ctx):
    outbound = factories.make_engagement(line="telemarketing_sales", status="planned")
    inbound = factories.make_engagement(line="customer_support", status="planned")
    codes = ["service_level", "conversion_rate", "agent_attrition"]
    made_out = bpo_services.add_suggested_service_levels(outbound, codes)
    made_in = bpo_services.add_suggested_service_levels(inbound, codes)
    assert sorted(lv.metric_code for lv in made_out) == ["agent_attrition", "conversion_rate"]
    assert sorted(lv.metric_code for lv in made_in) == ["agent_attrition", "service_level"]


def offered_codes(page: str) -> set[str]:
    """The option values of the suggest form's "codes" select."""
    select_box = re.search(r'<select[^>]*name="codes".*?</select>', page, re.S).group(0)
    return set(re.findall(r'value="([a-z_]+)"', select_box))


def test_the_suggest_form_offers_only_suitable_metrics(app, client, auth):
    with app.app_context():
        outbound = factories.make_engagement(line="telemarketing_sales", status="planned").id
        inbound = factories.make_engagement(line="customer_support", status="planned").id
        db.session.commit()
    auth.login("manager")
    page = client.get(f"/bpo/engagements/{outbound}/service-levels").get_data(as_text=True)
    offered = offered_codes(page)
    assert "conversion_rate" in offered and not offered & INBOUND_ONLY
    page = client.get(f"/bpo/engagements/{inbound}/service-levels").get_data(as_text=True)
    offered = offered_codes(page)
    assert offered >= INBOUND_ONLY and "conversion_rate" not in offered
    # Posting an inbound metric for outbound calling adds nothing.
    client.post(
        f"/bpo/engagements/{outbound}/service-levels/suggest", data={"codes": ["service_level"]}
    )
    with app.app_context():
        made = db.session.execute(
            select(ServiceLevel.metric_code).where(ServiceLevel.engagement_id == outbound)
        ).scalars()
        assert list(made) == []
