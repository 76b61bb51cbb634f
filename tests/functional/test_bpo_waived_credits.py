"""Every reader of the credits ledger sees the same waiver: the engagement's report, the bulk
ledgers (exports, QBR pack), the vendor summaries (scorecards) and the portfolio.

The world: vendor A's engagement, 100 000.00 a month with 10 % at risk, no earn-back; its
critical level (100 % of the pool) breached two months ago: one credit of 10 000.00, final.
"""

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from tests.factories_bpo import make_credit_dispute, portal_world
from vendor_tracker.engagements.bpo import bulk, services
from vendor_tracker.engagements.bpo.models import ServiceLevel
from vendor_tracker.engagements.bpo.portfolio import portfolio
from vendor_tracker.engagements.bpo.summaries import vendor_summaries
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db

TODAY = date.today()


@pytest.fixture
def world(app):
    with app.app_context():
        return portal_world(PASSWORD, TODAY)


def _payables(world) -> dict[str, Decimal]:
    """What each reader of the ledger says is payable for the breach month."""
    month = world["breach_month"]
    engagement = db.session.get(Engagement, world["engagement"])
    report = services.compliance_report(engagement, month, month, TODAY)
    ledger = bulk.credit_ledger_rows([engagement.id], month, month, TODAY)[engagement.id]
    summary = bulk.engagement_bpo_summaries([engagement.id], month, month, TODAY)[engagement.id]
    by_vendor = vendor_summaries([world["vendor_a"]], [(month, month)], TODAY)[0]
    rows = portfolio(TODAY, vendor_id=world["vendor_a"]).page.items
    found = {
        "report": report.ledger.payable,
        "bulk ledger": ledger.payable,
        "engagement summary": summary["payable"],
        "vendor summary": by_vendor[world["vendor_a"]].credits_payable.get("USD", Decimal("0")),
    }
    if month.year == TODAY.year:  # the portfolio shows this year's credits
        found["portfolio"] = rows[0].credits_this_year
    return found


def test_a_waived_credit_is_payable_nowhere_and_its_breach_still_counts(app, world):
    with app.app_context():
        before = _payables(world)
        assert set(before.values()) == {Decimal("10000.00")}
        level = db.session.get(ServiceLevel, world["sl"])
        make_credit_dispute(level, world["breach_month"], state="upheld")
        assert _payables(world) == before  # an upheld dispute changes nothing
        make_credit_dispute(level, world["breach_month"], state="waived", note="Flood")
        after = _payables(world)
        assert set(after.values()) == {Decimal("0")}
        month = world["breach_month"]
        by_vendor = vendor_summaries([world["vendor_a"]], [(month, month)], TODAY)[0]
        assert by_vendor[world["vendor_a"]].breaches == 1
        summary = bulk.engagement_bpo_summaries([world["engagement"]], month, month, TODAY)
        assert summary[world["engagement"]]["breaches"] == 1


def test_another_engagements_waiver_changes_nothing_here(app, world):
    with app.app_context():
        before = _payables(world)
        other = db.session.get(ServiceLevel, world["other_level"])
        make_credit_dispute(other, world["breach_month"], state="waived", note="Theirs")
        assert _payables(world) == before
