"""The daily scans: certificates expiring within 60 and 30 days, engagements ending within 90
days, action items that became due; each event once per person however often they run."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests import factories
from tests import factories_kpo as fk
from tests.conftest import PASSWORD
from vendor_tracker.auth.services import user_by_email
from vendor_tracker.engagements.notices import certificate_window
from vendor_tracker.extensions import db
from vendor_tracker.notifications.models import Notification
from vendor_tracker.notifications.services import run_scans

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("days_left", "window"),
    [(-1, None), (0, 30), (30, 30), (31, 60), (60, 60), (61, None)],
)
def test_certificate_window_is_the_nearer_of_30_and_60_days(days_left, window):
    assert certificate_window(TODAY + timedelta(days=days_left), TODAY) == window


@pytest.fixture
def people(ctx):
    manager, viewer = user_by_email("manager@example.com"), user_by_email("viewer@example.com")
    vendor_a, vendor_b = factories.make_vendor("Vendor A"), factories.make_vendor("Vendor B")
    pat = factories.make_provider(PASSWORD, vendor_a, "pat@a.example", "Pat")
    kim = factories.make_provider(PASSWORD, vendor_b, "kim@b.example", "Kim")
    db.session.commit()
    return {
        "manager": manager.id,
        "viewer": viewer.id,
        "a": vendor_a,
        "b": vendor_b,
        "pat": pat.id,
        "kim": kim.id,
    }


def _told(kind):
    return sorted(
        (user, key)
        for user, key in db.session.execute(
            select(Notification.user_id, Notification.dedupe_key).where(Notification.kind == kind)
        )
    )


def test_a_certificate_is_announced_at_60_and_at_30_days_once_each(people):
    # Far in the future so that the engagements_ending scan stays quiet.
    factories.make_engagement(
        people["a"], owner_id=people["manager"], end=date(2030, 1, 1), start=date(2025, 1, 1)
    )
    factories.make_engagement(people["a"], owner_id=people["viewer"], status="completed")
    cert = factories.make_certification(people["a"], expires_on=TODAY + timedelta(days=45))
    soc = factories.make_certification(people["a"], "SOC 2", expires_on=TODAY + timedelta(days=61))
    factories.make_certification(people["b"], "PCI DSS", expires_on=TODAY - timedelta(days=1))
    db.session.commit()
    key60 = f"certificate_expiring:{cert.id}:{cert.expires_on:%Y-%m-%d}:60"
    assert run_scans(TODAY) == 2
    assert _told("certificate_expiring") == sorted(
        [(people["pat"], key60), (people["manager"], key60)]
    )
    assert run_scans(TODAY) == 0  # run again: already told
    # A day later SOC 2 has 60 days left (its first event); ISO 27001 was told already.
    assert run_scans(TODAY + timedelta(days=1)) == 2
    soc60 = f"certificate_expiring:{soc.id}:{soc.expires_on:%Y-%m-%d}:60"
    assert run_scans(TODAY + timedelta(days=15)) == 2  # 30 days left: the second event
    key30 = key60.removesuffix(":60") + ":30"
    assert {key for _user, key in _told("certificate_expiring")} == {key60, soc60, key30}
    assert people["kim"] not in {user for user, _key in _told("certificate_expiring")}
    body = (
        db.session.execute(select(Notification.body).where(Notification.dedupe_key == key30))
        .scalars()
        .first()
    )
    assert body.startswith("Vendor A's certificate ISO 27001 expires on 15 Jan 2027 (in 30 days).")


def test_an_engagement_ending_within_90_days_is_told_to_its_owner_once_per_end_date(people):
    ending = factories.make_engagement(
        people["a"], owner_id=people["manager"], end=TODAY + timedelta(days=90)
    )
    factories.make_engagement(
        people["a"], owner_id=people["viewer"], end=TODAY + timedelta(days=91)
    )
    factories.make_engagement(
        people["a"], owner_id=people["viewer"], end=TODAY + timedelta(days=10), status="on_hold"
    )
    factories.make_engagement(people["a"], owner_id=people["viewer"], end=TODAY - timedelta(days=1))
    db.session.commit()
    assert run_scans(TODAY) == 1
    assert run_scans(TODAY) == 0
    ending.end_date = TODAY + timedelta(days=30)  # a new end date is a new event
    db.session.commit()
    assert run_scans(TODAY) == 1
    assert _told("engagement_ending") == [
        (people["manager"], f"engagement_ending:{ending.id}:2026-12-31"),
        (people["manager"], f"engagement_ending:{ending.id}:2027-03-01"),
    ]
    # A day later the one ending in 91 days comes within 90 days.
    assert run_scans(TODAY + timedelta(days=1)) == 1
    assert people["viewer"] in {user for user, _key in _told("engagement_ending")}


def test_action_items_that_became_due_go_to_the_owner_the_assignee_and_the_provider(people):
    engagement = fk.make_kpo_engagement(
        vendor=people["a"], owner_id=people["manager"], end=date(2030, 1, 1)
    )
    items = fk.make_touchpoint(
        engagement,
        items=[
            ("Send the data", "Viewer", TODAY, False),  # a user's name: the viewer too
            ("Share the deck", "Pat's team", TODAY - timedelta(days=3), False),
            ("Already done", "Viewer", TODAY, True),
            ("Not yet", "Viewer", TODAY + timedelta(days=1), False),
            ("Long ago", "Viewer", TODAY - timedelta(days=31), False),
            ("Nobody's", "", TODAY, False),
        ],
    ).action_items
    items[1].for_provider = True
    db.session.commit()
    assert run_scans(TODAY) == 4
    assert run_scans(TODAY) == 0
    first, second = (f"action_item_due:{items[n].id}:{items[n].due_on:%Y-%m-%d}" for n in (0, 1))
    assert _told("action_item_due") == sorted(
        [
            (people["manager"], first),
            (people["viewer"], first),
            (people["manager"], second),
            (people["pat"], second),
        ]
    )


def test_a_provider_named_on_a_client_only_item_is_not_told(people):
    engagement = fk.make_kpo_engagement(vendor=people["a"], owner_id=people["manager"])
    fk.make_touchpoint(engagement, items=[("Client work", "pat@a.example", TODAY, False)])
    db.session.commit()
    run_scans(TODAY)
    assert {user for user, _key in _told("action_item_due")} == {people["manager"]}
