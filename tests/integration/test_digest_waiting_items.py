"""What still waits on each user in the weekly digest: a client user sees only the engagements
they own, a provider's user only their own vendor's disputed months. On SQLite and (with
TEST_DATABASE_URL) PostgreSQL."""

from datetime import date

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import PASSWORD
from tests.factories_bpo import make_credit_dispute, make_level, make_report
from tests.factories_kpo import add_round, make_deliverable
from vendor_tracker.auth.models import User
from vendor_tracker.engagements import digest_items
from vendor_tracker.extensions import db
from vendor_tracker.notifications import digest
from vendor_tracker.notifications.models import Notification

TODAY = date(2026, 12, 1)


def user(email):
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


@pytest.fixture
def world(app, ctx):
    concentrix = factories.make_vendor("Concentrix")
    evalueserve = factories.make_vendor("Evalueserve", lines=("market_research",))
    factories.make_provider(PASSWORD, concentrix)
    factories.make_provider(PASSWORD, evalueserve, email="provider-b@example.com")
    manager, admin = user("manager@example.com"), user("admin@example.com")
    care = factories.make_engagement(concentrix, title="Customer care", owner_id=manager.id)
    collections = factories.make_engagement(concentrix, title="Collections", owner_id=admin.id)
    research = factories.make_engagement(
        evalueserve, kind="KPO", title="Market research", owner_id=manager.id
    )
    make_report(care, date(2026, 9, 1), "submitted")
    make_report(care, date(2026, 10, 1), "verified")
    make_report(care, date(2026, 8, 1), "disputed", reasons={"1": "Volumes missing"})
    make_report(collections, date(2026, 11, 1), "submitted")
    calls = make_level(care, "Calls answered in 20 s", classification="critical")
    make_credit_dispute(calls, date(2026, 9, 1), "open")
    make_credit_dispute(calls, date(2026, 7, 1), "waived")
    report = make_deliverable(research, "Sector report")
    add_round(report, date(2026, 11, 2), decision="changes_requested")
    add_round(report, date(2026, 11, 20))
    deck = make_deliverable(research, "Board deck")
    add_round(deck, date(2026, 11, 3), decision="accepted")
    db.session.commit()
    return {"care": care.id, "collections": collections.id, "research": research.id}


def titles(email):
    return [(i.title, i.url) for i in digest_items.waiting_items(user(email), TODAY)]


def test_a_client_user_sees_what_waits_in_the_engagements_they_own(world):
    care, research = world["care"], world["research"]
    assert titles("manager@example.com") == [
        ("Verify or dispute Sep 2026", f"/engagements/{care}"),
        ("Decide the disputed credit of Calls answered in 20 s, Sep 2026", f"/engagements/{care}"),
        ("Review version 2 of Sector report", f"/engagements/{research}"),
    ]
    assert titles("admin@example.com") == [
        ("Verify or dispute Nov 2026", f"/engagements/{world['collections']}")
    ]
    assert titles("viewer@example.com") == []  # owns nothing


def test_a_provider_sees_only_their_own_vendors_disputed_months(world):
    assert titles("provider@example.com") == [
        ("Correct and submit Aug 2026 again", f"/engagements/{world['care']}")
    ]
    assert titles("provider-b@example.com") == []


def test_the_digest_lists_them_under_needs_your_attention(world, runner):
    assert digest_items.waiting_items in digest.DIGEST_SOURCES

    result = runner.invoke(args=["send-digest", "--today", "2026-12-01"])

    assert result.exit_code == 0, result.output
    bodies = dict(
        db.session.execute(
            select(User.email, Notification.body)
            .join(User, User.id == Notification.user_id)
            .where(Notification.kind == "digest")
        ).all()
    )
    assert set(bodies) == {"manager@example.com", "admin@example.com", "provider@example.com"}
    assert bodies["manager@example.com"].splitlines() == [
        "Needs your attention:",
        "- Verify or dispute Sep 2026: Concentrix · Customer care: results submitted by the "
        "provider",
        "- Decide the disputed credit of Calls answered in 20 s, Sep 2026: Concentrix · Customer "
        "care",
        "- Review version 2 of Sector report: Evalueserve · Market research: submitted 20 Nov 2026",
    ]
    assert "Evalueserve" not in bodies["provider@example.com"]
    assert (
        "manager@example.com: Weekly summary, week 49 of 2026: 3 items need attention"
        in result.output
    )
