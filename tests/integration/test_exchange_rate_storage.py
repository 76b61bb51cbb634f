"""Exchange rates on each database: eight decimals kept exactly, one rate per month and currency,
no rate of zero even past the service, and the converted total read back from stored rates."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests import factories
from vendor_tracker.core.refusals import Refusal
from vendor_tracker.extensions import db
from vendor_tracker.reporting.fx_services import rates_until, save_rate
from vendor_tracker.reporting.models import ExchangeRate
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio


def _values(**change):
    return {
        "month": date(2026, 10, 1),
        "currency": "EUR",
        "rate": Decimal("1.08123456"),
        "source": "ECB",
        **change,
    }


def test_rates_keep_eight_decimals_and_refuse_a_duplicate(ctx):
    save_rate(None, _values(), None, "USD")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.execute(select(ExchangeRate)).scalar_one()
    assert stored.rate == Decimal("1.08123456")
    with pytest.raises(Refusal) as refused:
        save_rate(None, _values(month=date(2026, 10, 15)), None, "USD")
    assert refused.value.fields == {"currency": "There is already a EUR rate for Oct 2026."}
    db.session.rollback()


def test_the_database_itself_refuses_a_duplicate_and_a_rate_of_zero(ctx):
    db.session.add(ExchangeRate(month=date(2026, 10, 1), currency="EUR", rate=1, source="a"))
    db.session.commit()
    db.session.add(ExchangeRate(month=date(2026, 10, 1), currency="EUR", rate=2, source="b"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(ExchangeRate(month=date(2026, 11, 1), currency="EUR", rate=0, source="c"))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_stored_rates_convert_the_portfolio(ctx):
    """EUR 1,000 a month, Sep-Nov 2026; rates Sep 1.05 (source A) and Nov 1.10 (source B):
    1,050 + 1,050 (Oct at Sep's rate) + 1,100 = USD 3,200.00. A Dec rate is past the window."""
    factories.make_engagement(
        currency="EUR",
        monthly_fee=Decimal("1000"),
        start=date(2026, 9, 1),
        end=date(2026, 11, 30),
    )
    for month, rate, source in (
        (date(2026, 9, 1), "1.05", "A"),
        (date(2026, 11, 1), "1.10", "B"),
        (date(2026, 12, 1), "9", "too late"),
    ):
        db.session.add(ExchangeRate(month=month, currency="EUR", rate=Decimal(rate), source=source))
    db.session.commit()
    assert [r.source for r in rates_until({"EUR"}, date(2026, 11, 1))] == ["A", "B"]
    filters = PortfolioFilters.from_args({"from": "2026-09", "to": "2026-11"}, date(2026, 12, 1))
    converted = portfolio(filters, date(2026, 12, 1), Decimal(40), "USD")["converted"]
    assert converted.total == Decimal("3200.00") and converted.complete
    (eur,) = converted.conversions
    assert [(u.month, u.rate.month) for u in eur.fallbacks] == [
        (date(2026, 10, 1), date(2026, 9, 1))
    ]
