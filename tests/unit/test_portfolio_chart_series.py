"""The spend chart of a breakdown: the biggest keys as their own series, the rest as one."""

from datetime import date
from decimal import Decimal

from vendor_tracker.reporting.routes import portfolio as page

JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)


def test_top_keys_keep_their_series_and_the_rest_stack_as_other(monkeypatch):
    monkeypatch.setattr(page, "CHART_SERIES", 2)
    keys = {
        "A": {JAN: Decimal("10")},  # total 10
        "B": {JAN: Decimal("50"), FEB: Decimal("50")},  # 100
        "C": {FEB: Decimal("30")},  # 30
        "D": {FEB: Decimal("5")},  # 5
    }
    # B and C are the two biggest; A and D make "Other 2": Jan 10 (A), Feb 5 (D).
    assert page.chart_series(keys, [JAN, FEB]) == {
        "B": [Decimal("50"), Decimal("50")],
        "C": [None, Decimal("30")],
        "Other 2": [Decimal("10"), Decimal("5")],
    }


def test_one_key_left_over_keeps_its_name_and_months_without_spend_stay_empty(monkeypatch):
    monkeypatch.setattr(page, "CHART_SERIES", 1)
    keys = {"A": {JAN: Decimal("1")}, "B": {JAN: Decimal("2")}}
    assert page.chart_series(keys, [JAN, FEB]) == {
        "B": [Decimal("2"), None],
        "A": [Decimal("1"), None],
    }
    assert page.chart_series({}, [JAN]) == {}
