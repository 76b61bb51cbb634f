"""The monthly results form never loses data: empty keeps, clearing is explicit, bulk changes
are confirmed first, and read-only users get read-only inputs (never `disabled`)."""

import re
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from tests import factories
from tests.factories_bpo import make_level, make_result
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.engagements.bpo.models import Measurement, ServiceLevel
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db

THIS_MONTH = first_of_month(date.today())
LAST_MONTH = shift_month(THIS_MONTH, -1)


def _stored_month(app):
    """An engagement with two levels, both reported last month."""
    with app.app_context():
        engagement = factories.make_engagement(
            start=shift_month(THIS_MONTH, -6), end=shift_month(THIS_MONTH, 12)
        )
        sl = make_level(engagement)
        aht = make_level(engagement, name="AHT", unit="s", direction="lower", target="360")
        make_result(sl, LAST_MONTH, "81.5", 42000)
        make_result(aht, LAST_MONTH, "350", None, "storm")
        db.session.commit()
        return engagement.id, sl.id, aht.id


def _results(app) -> dict:
    with app.app_context():
        rows = db.session.execute(select(Measurement)).scalars()
        return {(m.service_level_id, m.period): (m.actual, m.volume, m.note) for m in rows}


def _form_of(html: str) -> dict:
    """The values a browser would send: every named input with its value (checkboxes off)."""
    values = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="checkbox"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        values[name.group(1)] = value.group(1) if value else ""
    return values


def test_saving_the_month_unchanged_keeps_every_result(app, client, auth):
    engagement_id, _sl, _aht = _stored_month(app)
    before = _results(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    html = client.get(url).get_data(as_text=True)
    assert "disabled" not in html and "readonly" not in html
    answer = client.post(url, data=_form_of(html), follow_redirects=True)
    assert "0 new, 0 changed, 0 cleared, 2 unchanged" in answer.get_data(as_text=True)
    assert _results(app) == before


def test_an_empty_input_never_clears_and_the_clear_box_does_with_an_audit_entry(app, client, auth):
    engagement_id, sl, aht = _stored_month(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    form = _form_of(client.get(url).get_data(as_text=True))
    emptied = {**form, "rows-0-actual": "", "rows-0-volume": "", "rows-1-actual": ""}
    emptied["rows-1-note"] = ""
    html = client.post(url, data=emptied, follow_redirects=True).get_data(as_text=True)
    assert "2 left empty kept their stored result" in html
    assert len(_results(app)) == 2
    cleared = client.post(url, data={**form, "rows-1-clear": "y"}, follow_redirects=True)
    assert "1 cleared" in cleared.get_data(as_text=True)
    assert set(_results(app)) == {(sl, LAST_MONTH)}
    with app.app_context():
        deleted = db.session.execute(
            select(AuditEvent).where(
                AuditEvent.record_type == "bpo_measurements", AuditEvent.action == "delete"
            )
        ).scalar_one()
        assert deleted.parent_id == str(engagement_id)
    assert aht  # the level stays; only its result went


def test_changing_or_clearing_two_stored_results_asks_first(app, client, auth):
    engagement_id, sl, aht = _stored_month(app)
    before = _results(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    form = _form_of(client.get(url).get_data(as_text=True))
    both = {**form, "rows-0-actual": "79", "rows-1-clear": "y"}
    page = client.post(url, data=both)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Check before saving" in html
    assert "81.5 % → 79 %" in html and "350 s <strong>cleared</strong>" in html
    assert _results(app) == before  # nothing saved yet
    token = re.search(r'name="confirm" value="([0-9a-f]+)"', html).group(1)
    # A confirmation given for another plan does not apply to this one.
    other = client.post(url, data={**both, "rows-0-actual": "70", "confirm": token})
    assert "Check before saving" in other.get_data(as_text=True)
    assert _results(app) == before
    done = client.post(url, data={**both, "confirm": token}, follow_redirects=True)
    assert "1 changed, 1 cleared" in done.get_data(as_text=True)
    assert _results(app) == {(sl, LAST_MONTH): (Decimal("79"), 42000, "")}


def test_one_changed_value_saves_without_asking_and_changes_only_that(app, client, auth):
    engagement_id, sl, aht = _stored_month(app)
    before = _results(app)
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    form = _form_of(client.get(url).get_data(as_text=True))
    assert client.post(url, data={**form, "rows-1-actual": "340"}).status_code == 302
    after = _results(app)
    assert after[(aht, LAST_MONTH)] == (Decimal("340"), None, "storm")
    assert after[(sl, LAST_MONTH)] == before[(sl, LAST_MONTH)]


def test_viewers_and_months_outside_the_window_get_read_only_inputs(app, client, auth):
    engagement_id, _sl, _aht = _stored_month(app)
    auth.login("viewer")
    html = client.get(f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}").get_data(
        as_text=True
    )
    inputs = re.findall(r'<input[^>]*name="rows-\d+-(?:actual|volume|note)"[^>]*>', html)
    assert len(inputs) == 6 and all(" readonly" in tag for tag in inputs)
    assert "disabled" not in html and "Save " + f"{LAST_MONTH:%b %Y}" not in html
    auth.logout()
    auth.login("manager")
    early = shift_month(THIS_MONTH, -9)
    html = client.get(f"/bpo/engagements/{engagement_id}/results/{early:%Y-%m}").get_data(
        as_text=True
    )
    assert "The engagement starts in" in html
    inputs = re.findall(r'<input[^>]*name="rows-\d+-actual"[^>]*>', html)
    assert inputs and all(" readonly" in tag for tag in inputs)
    assert f"Save {early:%b %Y}" not in html and 'name="rows-0-clear"' not in html


def test_a_level_of_another_engagement_in_the_form_is_ignored(app, client, auth):
    engagement_id, sl, _aht = _stored_month(app)
    with app.app_context():
        other = factories.make_engagement(start=shift_month(THIS_MONTH, -6))
        foreign = make_level(other, name="Foreign")
        db.session.commit()
        foreign_id = foreign.id
    auth.login("manager")
    url = f"/bpo/engagements/{engagement_id}/results/{LAST_MONTH:%Y-%m}"
    client.post(url, data={"rows-0-level_id": str(foreign_id), "rows-0-actual": "50"})
    with app.app_context():
        assert db.session.get(ServiceLevel, foreign_id) is not None
        assert not db.session.execute(
            select(Measurement).where(Measurement.service_level_id == foreign_id)
        ).first()
