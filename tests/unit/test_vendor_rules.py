"""Pure rules of the provider registry, with hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.vendors.rules import (
    CertificateState,
    Model,
    attrition_problem,
    certificate_state,
    certification_problems,
    days_to_expiry,
    format_languages,
    models_served,
    name_key,
    parse_languages,
)

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("expires_on", "state"),
    [
        (None, CertificateState.NO_EXPIRY),
        (date(2026, 2, 28), CertificateState.EXPIRED),  # yesterday
        (date(2026, 3, 1), CertificateState.EXPIRING),  # expires today: still valid today
        (date(2026, 4, 30), CertificateState.EXPIRING),  # day 60 (29 + 31 days)
        (date(2026, 5, 1), CertificateState.VALID),  # day 61
        (date(2027, 1, 1), CertificateState.VALID),
    ],
)
def test_certificate_state_around_the_60_day_boundary(expires_on, state):
    assert certificate_state(expires_on, TODAY) == state


def test_certificate_warning_window_can_be_narrowed():
    assert certificate_state(date(2026, 3, 20), TODAY, warning_days=10) == CertificateState.VALID
    assert certificate_state(date(2026, 3, 11), TODAY, warning_days=10) == CertificateState.EXPIRING


def test_days_to_expiry_counts_down_and_goes_negative():
    assert days_to_expiry(date(2026, 4, 30), TODAY) == 60
    assert days_to_expiry(date(2026, 2, 27), TODAY) == -2
    assert days_to_expiry(None, TODAY) is None


def test_models_served_in_fixed_order_without_duplicates():
    assert models_served(["KPO", "BPO", "KPO"]) == [Model.BPO, Model.KPO]
    assert models_served(["KPO"]) == [Model.KPO]
    assert models_served([]) == []


def test_parse_languages_trims_drops_blanks_and_case_duplicates():
    assert parse_languages(" English, spanish ,, English ,Spanish, Tagalog ") == [
        "English",
        "spanish",
        "Tagalog",
    ]
    assert parse_languages("") == []
    assert parse_languages(None) == []


def test_format_languages_is_the_stored_form():
    assert format_languages("english,  Hindi,english") == "english, Hindi"


def test_name_key_ignores_case_and_extra_spaces():
    assert name_key("  Acme   Outsourcing ") == "acme outsourcing"
    assert name_key("ACME outsourcing") == name_key("acme Outsourcing")
    assert name_key("   ") == ""


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (None, True),
        (Decimal("0"), True),
        (Decimal("100"), True),
        (Decimal("35.5"), True),
        (Decimal("-0.01"), False),
        (Decimal("100.01"), False),
        (Decimal("NaN"), False),
        (Decimal("Infinity"), False),
    ],
)
def test_attrition_is_a_percentage(value, ok):
    assert (attrition_problem(value) is None) is ok


def test_certificate_cannot_expire_before_it_was_issued():
    assert certification_problems(date(2026, 1, 2), date(2026, 1, 1)) == {
        "expires_on": "The expiry date cannot be before the issue date."
    }
    assert certification_problems(date(2026, 1, 1), date(2026, 1, 1)) == {}
    assert certification_problems(None, date(2020, 1, 1)) == {}
    assert certification_problems(date(2026, 1, 1), None) == {}
