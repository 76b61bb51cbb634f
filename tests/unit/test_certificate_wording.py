"""A certificate's expiry in words: how far the date is, never the warning window's length."""

from datetime import date, timedelta

import pytest

from vendor_tracker.vendors.rules import expiry_wording

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (35, "Expires in 35 days"),
        (1, "Expires in 1 day"),
        (0, "Expires today"),
        (-1, "Expired 1 day ago"),
        (-3, "Expired 3 days ago"),
    ],
)
def test_expiry_wording(days, words):
    assert expiry_wording(TODAY + timedelta(days=days), TODAY) == words


def test_no_expiry_date():
    assert expiry_wording(None, TODAY) == "No expiry date"
