"""The portfolio's BPO attainment by quarter, summed over the counts stored beside the vendors'
scorecards, equals the sum of the vendor summaries, and leaves offboarded vendors out."""

from datetime import date

from sqlalchemy import select

from vendor_tracker.engagements.bpo.services import vendor_bpo_summaries
from vendor_tracker.engagements.models import Engagement
from vendor_tracker.extensions import db
from vendor_tracker.reporting.score_reads import portfolio_periods
from vendor_tracker.reporting.scorecard import quarter_of, quarter_period
from vendor_tracker.reporting.services import all_vendor_ids, scorecard_settings
from vendor_tracker.vendors.models import Vendor
from vendor_tracker.vendors.rules import Model, VendorStatus


def _quarters(today: date, count: int = 4):
    year, quarter = quarter_of(today)
    found = []
    for _ in range(count):
        found.append(quarter_period(year, quarter, today))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return found[::-1]


def _from_vendor_summaries(periods, today):
    summaries = vendor_bpo_summaries(
        all_vendor_ids(), [(p.first_month, p.last_month) for p in periods], today, credits=False
    )
    return [
        (sum(s.met for s in found.values()), sum(s.reported for s in found.values()))
        for found in summaries
    ]


def _bpo_met_reported(periods, today):
    found = portfolio_periods(periods, today, scorecard_settings())
    return [(f.met, f.reported) for f in found]


def test_portfolio_attainment_equals_the_vendor_summaries(demo_app):
    today = date.today()
    with demo_app.app_context():
        periods = _quarters(today)
        before = _bpo_met_reported(periods, today)
        assert before == _from_vendor_summaries(periods, today)
        assert sum(reported for _met, reported in before) > 0  # the demo has BPO results
        # Offboard the vendor of one BPO engagement: its results leave both sums alike.
        vendor = db.session.execute(
            select(Vendor).join(Engagement).where(Engagement.kind == Model.BPO).limit(1)
        ).scalar_one()
        vendor.status = VendorStatus.OFFBOARDED
        db.session.commit()
        after = _bpo_met_reported(periods, today)
        assert after == _from_vendor_summaries(periods, today)
        assert sum(r for _m, r in after) < sum(r for _m, r in before)
        assert _bpo_met_reported([], today) == []
