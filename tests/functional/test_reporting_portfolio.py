"""Portfolio and spend through the client: hand-computed totals per currency, savings, shares."""

from datetime import date
from decimal import Decimal

from tests import factories
from vendor_tracker.extensions import db
from vendor_tracker.reporting.spend_services import PortfolioFilters, portfolio

WINDOW = "from=2025-01&to=2025-03"


def build():
    """USD: A (BPO) 1,500 x Jan+Feb = 3,000; B (KPO) 6,000 over Feb..Jul = 1,000 x Feb+Mar.
    EUR: C (BPO, open-ended) 500 x 3 = 1,500. Planned D and end-less KPO E are not counted.
    Savings: A's baseline 2,000 - 1,500 = 500 x 2 = 1,000 of a 4,000 baseline = 25.0 %.
    Concentration in USD: A 3,000 of 5,000 = 60.0 % (flagged), B 40.0 % (at the limit, not).
    """
    a, b, c = (factories.make_vendor(n) for n in ("Alpha", "Beta", "Gamma"))
    factories.make_engagement(
        a,
        title="A voice",
        start=date(2024, 6, 1),
        end=date(2025, 2, 15),
        monthly_fee=Decimal("1500"),
        baseline_monthly_cost=Decimal("2000"),
        delivery_shore="offshore",
    )
    factories.make_engagement(
        b,
        kind="KPO",
        title="B research",
        start=date(2025, 2, 1),
        end=date(2025, 7, 31),
        total_contract_value=Decimal("6000"),
    )
    factories.make_engagement(
        c,
        title="C back office",
        currency="EUR",
        start=date(2025, 1, 1),
        end=None,
        monthly_fee=Decimal("500"),
        delivery_shore="nearshore",
    )
    factories.make_engagement(
        a, title="D planned", status="planned", start=date(2025, 1, 1), monthly_fee=Decimal("9999")
    )
    factories.make_engagement(
        b,
        kind="KPO",
        title="E no end",
        start=date(2025, 1, 1),
        end=None,
        total_contract_value=Decimal("1000"),
    )


def test_portfolio_figures(ctx):
    build()
    filters = PortfolioFilters.from_args({"from": "2025-01", "to": "2025-03"}, date(2026, 11, 21))
    data = portfolio(filters, date(2026, 11, 21), Decimal(40))
    assert data["totals"] == {"EUR": Decimal("1500.00"), "USD": Decimal("5000.00")}
    by_model = data["by"]["model"]["USD"]
    assert by_model["BPO"] == {
        date(2025, 1, 1): Decimal("1500.00"),
        date(2025, 2, 1): Decimal("1500.00"),
    }
    assert by_model["KPO"] == {
        date(2025, 2, 1): Decimal("1000.00"),
        date(2025, 3, 1): Decimal("1000.00"),
    }
    assert set(data["by"]["shore"]["USD"]) == {"offshore", "not recorded"}
    usd = data["savings"]["USD"]
    assert (usd["savings"], usd["savings_pct"], usd["with"], usd["without"]) == (
        Decimal("1000.00"),
        25.0,
        1,
        1,
    )
    assert data["savings"]["EUR"]["savings_pct"] is None
    shares = [(c.currency, c.vendor, c.share_pct, c.flagged) for c in data["concentration"]]
    assert shares == [
        ("EUR", "Gamma", 100.0, True),
        ("USD", "Alpha", 60.0, True),
        ("USD", "Beta", 40.0, False),
    ]
    assert [e.title for e in data["not_counted"]] == ["E no end"]


def test_filters_by_model_and_currency(ctx):
    build()
    today = date(2026, 11, 21)
    kpo = portfolio(
        PortfolioFilters.from_args({"from": "2025-01", "to": "2025-03", "model": "KPO"}, today),
        today,
        Decimal(40),
    )
    assert kpo["totals"] == {"USD": Decimal("2000.00")}
    eur = portfolio(
        PortfolioFilters.from_args({"from": "2025-01", "to": "2025-03", "currency": "eur"}, today),
        today,
        Decimal(40),
    )
    assert eur["totals"] == {"EUR": Decimal("1500.00")}


def test_bad_filters_fall_back_with_a_reason():
    today = date(2026, 11, 21)
    f = PortfolioFilters.from_args(
        {"from": "2025-13", "to": "garbage", "currency": "dollars"}, today
    )
    assert set(f.problems) == {"from", "to", "currency"}
    assert (f.first_month, f.last_month) == (date(2025, 12, 1), date(2026, 11, 1))
    backwards = PortfolioFilters.from_args({"from": "2026-05", "to": "2026-01"}, today)
    assert "to" in backwards.problems
    long = PortfolioFilters.from_args({"from": "2020-01", "to": "2026-01"}, today)
    assert long.last_month == date(2022, 12, 1) and "to" in long.problems


def test_portfolio_page(client, auth, app):
    with app.app_context():
        build()
        db.session.commit()
    auth.login("viewer")
    page = client.get(f"/reports/portfolio?{WINDOW}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "USD 5,000.00" in text and "EUR 1,500.00" in text
    assert "USD 1,000.00" in text and "25.0 %" in text
    assert "60.0 %" in text and "above 40.0 %" in text
    assert "<svg" in text and "cdn" not in text.lower()
    assert "E no end" in text
    for dimension in ("vendor", "service_line", "shore", "nonsense"):
        assert client.get(f"/reports/portfolio?{WINDOW}&by={dimension}").status_code == 200
    bad = client.get("/reports/portfolio?from=2025-99&to=x")
    assert bad.status_code == 200 and "Use a month such as" in bad.get_data(as_text=True)


def test_portfolio_queries_do_not_grow(client, auth, app, query_counter):
    with app.app_context():
        build()
        db.session.commit()
    auth.login("viewer")
    with query_counter() as few:
        client.get(f"/reports/portfolio?{WINDOW}")
    with app.app_context():
        for n in range(6):
            vendor = factories.make_vendor(f"More {n}")
            factories.make_engagement(vendor, start=date(2025, 1, 1), monthly_fee=Decimal("10"))
            factories.make_engagement(vendor, kind="KPO", start=date(2025, 1, 1))
        db.session.commit()
    with query_counter() as many:
        client.get(f"/reports/portfolio?{WINDOW}")
    assert len(many) == len(few)


def test_concentration_shows_the_ten_largest_and_sums_the_rest(client, auth, app):
    """Twelve vendors of USD 100 to 1,200 a month (7,800 in all): the table lists the ten
    largest; 100 + 200 = 300 a month is 3.8 % of the spend; every vendor on request."""
    with app.app_context():
        for n in range(1, 13):
            vendor = factories.make_vendor(f"Share {n:02d}")
            factories.make_engagement(
                vendor, start=date(2025, 1, 1), monthly_fee=Decimal(100 * n), currency="USD"
            )
        db.session.commit()
    auth.login("viewer")
    text = client.get(f"/reports/portfolio?{WINDOW}").get_data(as_text=True)
    concentration = text[text.index('<h2 class="h5">Concentration') :]
    assert "Share 03" in concentration and "Share 12" in concentration
    assert "Share 01" not in concentration and "Share 02" not in concentration
    assert "2 more vendors, each below the limit" in concentration
    assert "3.8 %" in concentration  # 300 of 7,800 = 3.846 %
    assert "Show every vendor's share" in concentration
    every = client.get(f"/reports/portfolio?{WINDOW}&vendors=all").get_data(as_text=True)
    every = every[every.index('<h2 class="h5">Concentration') :]
    assert "Share 01" in every and "more vendors" not in every
    assert "Show the 10 largest per currency" in every
