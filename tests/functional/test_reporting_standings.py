"""current_standings: this quarter against the last, built on the BPO and KPO summaries."""

from datetime import date
from decimal import Decimal

from tests import factories
from vendor_tracker.engagements.bpo.contracts import BpoVendorSummary
from vendor_tracker.extensions import db
from vendor_tracker.reporting import services
from vendor_tracker.reporting.models import ScorecardSettings
from vendor_tracker.reporting.scorecard import Band, Standing, Trend

TODAY = date(2026, 11, 21)  # Q4 2026 to date; the previous quarter is Q3 2026


def fake_summaries(by_period):
    """A load_summaries_many stand-in answering from {period key: ({vendor: BPO summary},
    {vendor: KPO summary})}."""
    calls = []

    def load(vendor_ids, period, today):
        calls.append((tuple(vendor_ids), period.key, period.first_day, period.last_day, today))
        return by_period.get(period.key, ({}, {}))

    def load_many(vendor_ids, periods, today):  # stands in for load_summaries_many
        return [load(vendor_ids, period, today) for period in periods]

    return load_many, calls


def bpo(met, reported):
    return BpoVendorSummary(
        met=met,
        reported=reported,
        expected=reported,
        breaches=0,
        attainment=100 * met / reported,
        credits_payable={},
    )


def test_standing_and_trend_per_vendor(ctx, monkeypatch):
    a, b, c, d = (factories.make_vendor().id for _ in range(4))
    load, calls = fake_summaries(
        {
            # a: 90 now (excellent) vs 60 before (watch) -> up
            # b: 60 now (watch) vs 75 before (good) -> down
            # c: rated now, nothing before -> new
            # d: nothing at all -> not rated, same
            "2026-Q4": ({a: bpo(9, 10), b: bpo(6, 10), c: bpo(7, 10)}, {}),
            "2026-Q3": ({a: bpo(6, 10), b: bpo(3, 4)}, {}),
        }
    )
    monkeypatch.setattr(services, "load_summaries_many", load)
    standings = services.current_standings([a, b, c, d], TODAY)
    assert standings[a] == Standing(
        score=90.0,
        band=Band.EXCELLENT,
        previous_band=Band.WATCH,
        previous_score=60.0,
        trend=Trend.UP,
        period="2026-Q4",
    )
    assert (standings[b].band, standings[b].previous_band, standings[b].trend) == (
        "watch",
        "good",
        "down",
    )
    assert (standings[c].band, standings[c].trend) == ("good", "new")
    assert standings[d] == Standing(
        score=None,
        band=Band.NOT_RATED,
        previous_band=Band.NOT_RATED,
        previous_score=None,
        trend=Trend.SAME,
        period="2026-Q4",
    )
    # The vendor-list export reads the same standings as plain values.
    assert services.vendor_standings([a], TODAY) == {
        a: {
            "score": 90.0,
            "band": "excellent",
            "previous_band": "watch",
            "previous_score": 60.0,
            "trend": "up",
            "period": "2026-Q4",
        }
    }
    # The running quarter is cut at today; the previous one is whole.
    assert calls[0][1:] == ("2026-Q4", date(2026, 10, 1), TODAY, TODAY)
    assert calls[1][1:] == ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), TODAY)


def test_standings_follow_the_admin_settings(ctx, monkeypatch):
    vendor = factories.make_vendor().id
    db.session.add(
        ScorecardSettings(band_excellent=Decimal(95), band_good=Decimal(90), band_watch=Decimal(80))
    )
    db.session.flush()
    load, _ = fake_summaries({"2026-Q4": ({vendor: bpo(9, 10)}, {})})
    monkeypatch.setattr(services, "load_summaries_many", load)
    assert services.current_standings([vendor], TODAY)[vendor].band is Band.GOOD


def test_no_vendors_no_queries(ctx, monkeypatch, query_counter):
    load, calls = fake_summaries({})
    monkeypatch.setattr(services, "load_summaries_many", load)
    with query_counter() as statements:
        assert services.current_standings([], TODAY) == {}
    assert statements == [] and calls == []


def test_default_settings_are_the_documented_ones(ctx):
    settings = services.scorecard_settings()
    assert [int(w) for w in settings.weights.values()] == [50, 25, 15, 10]
    assert (settings.bands.excellent, settings.bands.good, settings.bands.watch) == (85, 70, 50)
    assert settings.concentration_limit_pct == 40
