"""The needs-attention inbox and the admin scorecard settings."""

from datetime import date, timedelta
from decimal import Decimal

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_kpo import make_deliverable, make_kpo_engagement
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.engagements.bpo.models import Measurement
from vendor_tracker.extensions import db
from vendor_tracker.reporting import attention, services
from vendor_tracker.reporting.models import ScorecardSettings
from vendor_tracker.reporting.scorecard import current_quarter, previous_quarter

TODAY = date.today()


def last_month():
    first = TODAY.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def test_inbox_collects_every_kind(client, auth, app):
    with app.app_context():
        vendor = factories.make_vendor("Acme")
        factories.make_certification(vendor, "ISO 27001", expires_on=TODAY - timedelta(days=5))
        factories.make_certification(vendor, "SOC 2 Type II", expires_on=TODAY + timedelta(days=59))
        factories.make_certification(vendor, "PCI DSS", expires_on=TODAY + timedelta(days=61))
        factories.make_engagement(
            vendor,
            title="Ending soon",
            start=TODAY - timedelta(days=300),
            end=TODAY + timedelta(days=90),
        )
        factories.make_engagement(
            vendor,
            title="Ending later",
            start=TODAY - timedelta(days=300),
            end=TODAY + timedelta(days=91),
        )
        breached = factories.make_engagement(
            vendor,
            title="Breached voice",
            start=TODAY - timedelta(days=400),
            end=TODAY + timedelta(days=400),
        )
        level = make_level(
            breached, target="80", minimum="75", classification="critical", allocation="100"
        )
        make_result(level, last_month(), 60)
        kpo = make_kpo_engagement(vendor, title="Research")
        make_deliverable(kpo, "Late report", due_on=TODAY - timedelta(days=3))
        make_risk(vendor, "Review me", next_review_on=TODAY)
        make_risk(vendor, "Not yet", next_review_on=TODAY + timedelta(days=1))
        qbr = make_qbr(vendor)
        make_action_item(qbr, "Overdue QBR action", due_on=TODAY - timedelta(days=2))
        make_action_item(qbr, "Done QBR action", due_on=TODAY - timedelta(days=2), status="done")
        db.session.commit()
    auth.login("viewer")
    text = client.get("/reports/attention").get_data(as_text=True)
    assert "ISO 27001 of Acme" in text and "SOC 2 Type II of Acme" in text
    assert "PCI DSS" not in text
    assert "Ending soon" in text and "Ending later" not in text
    assert "Breached voice" in text
    assert "Late report" in text
    assert "Review me" in text and "Not yet" not in text
    assert "Overdue QBR action" in text and "Done QBR action" not in text
    only = client.get("/reports/attention?kind=risk_review_due").get_data(as_text=True)
    assert "Review me" in only and "Late report" not in only
    assert client.get("/reports/attention?kind=nonsense&page=x").status_code == 200


def _vendor_with_levels(name: str, levels: int = 4):
    vendor = factories.make_vendor(name)
    engagement = factories.make_engagement(
        vendor, title=f"{name} voice", start=TODAY - timedelta(days=400)
    )
    return vendor, [
        make_level(engagement, name=f"Level {n}", target="80", position=n) for n in range(levels)
    ]


def _last_quarter_all_met(levels):
    quarter = previous_quarter(current_quarter(TODAY))
    month = quarter.first_day
    while month <= quarter.last_day:
        for level in levels:
            make_result(level, month, 90)
        month = (month + timedelta(days=32)).replace(day=1)


def test_standing_fell_appears_in_the_inbox_and_leaves_after_a_fix(client, auth, app):
    """Excellent last quarter (every level met), 2 of 4 met this month: 50 %, watch."""
    this_month = TODAY.replace(day=1)
    with app.app_context():
        slipping, levels = _vendor_with_levels("Slipping")
        _last_quarter_all_met(levels)
        for n, level in enumerate(levels):
            make_result(level, this_month, 90 if n < 2 else 70)
        steady, steady_levels = _vendor_with_levels("Steady")
        _last_quarter_all_met(steady_levels)
        for level in steady_levels:
            make_result(level, this_month, 90)
        db.session.commit()
        slipping_id, missed = slipping.id, levels[3].id
    with app.test_request_context():
        assert attention.Inbox(TODAY).counts().get("standing_fell") == 1
        items = attention.standing_items(TODAY)
        assert [i.title for i in items] == ["Slipping: excellent → watch"]
        quarter = current_quarter(TODAY).key
        assert items[0].detail == f"Score 50.0 in {quarter} (last quarter 100.0)."
        assert items[0].url.endswith(f"/reports/scorecards/vendor/{slipping_id}")
    auth.login("viewer")
    assert "Slipping: excellent → watch" in client.get("/reports/attention").get_data(True)
    with app.app_context():  # a late correction: 3 of 4 met, 75 %, good: still a fall
        result = db.session.execute(
            db.select(Measurement).filter_by(service_level_id=missed, period=this_month)
        ).scalar_one()
        result.actual = Decimal("85")
        db.session.commit()
    assert "Slipping: excellent → good" in client.get("/reports/attention").get_data(True)
    with app.test_request_context():
        assert attention.Inbox(TODAY).counts().get("standing_fell") == 1


def test_empty_inbox(client, auth):
    auth.login("viewer")
    assert "Nothing needs attention today." in client.get("/reports/attention").get_data(
        as_text=True
    )


def test_dashboard_links_to_the_inbox(client, auth):
    auth.login("viewer")
    assert "/reports/attention" in client.get("/").get_data(as_text=True)


def settings_form(**changes):
    data = {
        "weight_bpo_attainment": "50",
        "weight_kpo_quality": "25",
        "weight_kpo_on_time": "15",
        "weight_kpo_first_pass": "10",
        "band_excellent": "85",
        "band_good": "70",
        "band_watch": "50",
        "concentration_limit_pct": "40",
        "min_bpo_months": "3",
        "min_kpo_deliverables": "2",
        "version": "1",
    }
    data.update(changes)
    return data


def test_only_admins_edit_settings(client, auth):
    auth.login("manager")
    assert client.get("/reports/settings").status_code == 403
    assert client.post("/reports/settings", data=settings_form()).status_code == 403


def test_admin_saves_settings_and_scorecards_use_them(client, auth, app):
    auth.login("admin")
    answer = client.post(
        "/reports/settings", data=settings_form(weight_bpo_attainment="80", band_watch="40")
    )
    assert answer.status_code == 302
    with app.app_context():
        row = services.scorecard_settings()
        assert row.weight_bpo_attainment == Decimal("80.00")
        assert row.bands.watch == Decimal("40.00")


def test_settings_validation_next_to_fields(client, auth, app):
    auth.login("admin")
    page = client.post(
        "/reports/settings",
        data=settings_form(
            weight_bpo_attainment="0",
            weight_kpo_quality="0",
            weight_kpo_on_time="0",
            weight_kpo_first_pass="0",
            band_good="90",
            concentration_limit_pct="abc",
        ),
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Not a valid decimal value" in text or "Enter a share" in text
    page = client.post(
        "/reports/settings",
        data=settings_form(
            weight_bpo_attainment="0",
            weight_kpo_quality="0",
            weight_kpo_on_time="0",
            weight_kpo_first_pass="0",
            band_good="90",
        ),
    )
    text = page.get_data(as_text=True)
    assert "At least one weight must be above zero." in text
    assert "below the &#39;excellent&#39; one" in text or "below the 'excellent' one" in text
    with app.app_context():
        assert db.session.query(ScorecardSettings).count() == 0


def test_settings_stale_version(client, auth, app):
    auth.login("admin")
    assert client.post("/reports/settings", data=settings_form()).status_code == 302
    changed = settings_form(version="1", band_watch="45")
    assert client.post("/reports/settings", data=changed).status_code == 302
    stale = client.post("/reports/settings", data=settings_form(version="1", band_watch="55"))
    assert "changed by someone else" in stale.get_data(as_text=True)
