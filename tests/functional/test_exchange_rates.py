"""Exchange rates kept by admins: add, edit, delete, refusals next to their fields, who may see
them, and the portfolio's total in the reporting currency on the page and in its export."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import PASSWORD, logged_in_client
from vendor_tracker.audit.models import AuditEvent
from vendor_tracker.extensions import db
from vendor_tracker.reporting.models import ExchangeRate

GOOD = {"month": "2026-10", "currency": "eur", "rate": "1.08", "source": "ECB reference rate"}


def _rates(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            select(ExchangeRate).order_by(ExchangeRate.month, ExchangeRate.currency)
        ).scalars()
        return [(r.month, r.currency, r.rate, r.source, r.version) for r in rows]


def _audit_count(app) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.record_type == "exchange_rates")
        )


def _add(app, month=date(2026, 10, 1), currency="EUR", rate="1.08", source="ECB") -> int:
    with app.app_context():
        record = ExchangeRate(month=month, currency=currency, rate=Decimal(rate), source=source)
        db.session.add(record)
        db.session.commit()
        return record.id


def test_admin_adds_a_rate_and_the_list_shows_it(client, auth, app):
    auth.login("admin")
    empty = client.get("/reports/exchange-rates").get_data(as_text=True)
    assert "No exchange rates yet" in empty
    answer = client.post("/reports/exchange-rates/new", data=GOOD)
    assert answer.status_code == 302
    ((month, currency, rate, source, version),) = _rates(app)
    assert (month, currency, rate, source, version) == (
        date(2026, 10, 1),
        "EUR",
        Decimal("1.08"),
        "ECB reference rate",
        1,
    )
    text = client.get("/reports/exchange-rates").get_data(as_text=True)
    assert "Oct 2026" in text and "EUR" in text and "1.08" in text and "ECB reference rate" in text
    assert _audit_count(app) == 1
    with app.app_context():
        record = db.session.execute(select(ExchangeRate)).scalar_one()
        assert record.created_by.email == "admin@example.com"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"rate": "0"}, "rate", "A rate must be above zero."),
        ({"rate": "-1.2"}, "rate", "A rate must be above zero."),
        ({"rate": "1.123456789"}, "rate", "Use at most 8 decimal places."),
        ({"rate": "lots"}, "rate", "Not a valid decimal value."),
        ({"currency": "XYZ"}, "currency", "Use an ISO 4217 currency code such as EUR."),
        ({"currency": "EURO"}, "currency", "Field cannot be longer than 3 characters."),
        ({"currency": "USD"}, "currency", "USD is the reporting currency: it needs no rate."),
        ({"month": "2026-13"}, "month", "Not a valid date value."),
        ({"source": "  "}, "source", "Say where the rate comes from."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_writes_nothing(
    client, auth, app, change, field, reason
):
    auth.login("admin")
    answer = client.post("/reports/exchange-rates/new", data={**GOOD, **change})
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert f'id="{field}"' in text and "is-invalid" in text
    assert reason in text
    assert _rates(app) == []


def test_a_second_rate_for_the_same_month_and_currency_is_refused(client, auth, app):
    _add(app, source="first")
    auth.login("admin")
    answer = client.post("/reports/exchange-rates/new", data={**GOOD, "rate": "1.20"})
    assert "There is already a EUR rate for Oct 2026." in answer.get_data(as_text=True)
    assert [r[2:4] for r in _rates(app)] == [(Decimal("1.08"), "first")]
    # Another currency, or another month, is fine.
    assert (
        client.post("/reports/exchange-rates/new", data={**GOOD, "month": "2026-11"}).status_code
        == 302
    )


def test_saving_unchanged_changes_nothing_and_one_change_changes_only_that(client, auth, app):
    rate_id = _add(app, rate="1.08", source="ECB")
    auth.login("admin")
    form = client.get(f"/reports/exchange-rates/{rate_id}/edit").get_data(as_text=True)
    assert 'value="2026-10"' in form and 'value="1.08"' in form
    before, events = _rates(app), _audit_count(app)
    data = {
        "month": "2026-10",
        "currency": "EUR",
        "rate": "1.08",
        "source": "ECB",
        "version": 1,
    }
    assert client.post(f"/reports/exchange-rates/{rate_id}/edit", data=data).status_code == 302
    assert _rates(app) == before and _audit_count(app) == events
    answer = client.post(f"/reports/exchange-rates/{rate_id}/edit", data={**data, "rate": "1.0825"})
    assert answer.status_code == 302
    assert _rates(app) == [(date(2026, 10, 1), "EUR", Decimal("1.0825"), "ECB", 2)]
    with app.app_context():
        event = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "update")
                .order_by(AuditEvent.id.desc())
            )
            .scalars()
            .first()
        )
        assert set(event.changes) == {"rate", "updated_by_id"}
    # A stale version is refused with the user's input kept.
    stale = client.post(f"/reports/exchange-rates/{rate_id}/edit", data={**data, "rate": "2"})
    assert "changed by someone else" in stale.get_data(as_text=True)
    assert _rates(app)[0][2] == Decimal("1.0825")


def test_editing_into_a_taken_month_is_refused(client, auth, app):
    _add(app, month=date(2026, 9, 1))
    other = _add(app, month=date(2026, 10, 1))
    auth.login("admin")
    answer = client.post(
        f"/reports/exchange-rates/{other}/edit",
        data={"month": "2026-09", "currency": "EUR", "rate": "1.08", "source": "ECB", "version": 1},
    )
    assert "There is already a EUR rate for Sep 2026." in answer.get_data(as_text=True)
    assert [r[0] for r in _rates(app)] == [date(2026, 9, 1), date(2026, 10, 1)]


def test_delete_is_a_post_and_audited(client, auth, app):
    rate_id = _add(app)
    auth.login("admin")
    assert client.get(f"/reports/exchange-rates/{rate_id}/delete").status_code == 405
    assert client.post(f"/reports/exchange-rates/{rate_id}/delete").status_code == 302
    assert _rates(app) == []
    with app.app_context():
        actions = (
            db.session.execute(
                select(AuditEvent.action).where(AuditEvent.record_type == "exchange_rates")
            )
            .scalars()
            .all()
        )
        assert actions == ["create", "delete"]
    assert client.post(f"/reports/exchange-rates/{rate_id}/delete").status_code == 404


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_managers_and_viewers_read_but_do_not_write(client, auth, app, role):
    rate_id = _add(app)
    auth.login(role)
    text = client.get("/reports/exchange-rates").get_data(as_text=True)
    assert "EUR" in text and "Add rate" not in text and "/delete" not in text
    assert client.get("/reports/exchange-rates/new").status_code == 403
    assert client.post("/reports/exchange-rates/new", data=GOOD).status_code == 403
    assert client.post(f"/reports/exchange-rates/{rate_id}/edit", data=GOOD).status_code == 403
    assert client.post(f"/reports/exchange-rates/{rate_id}/delete").status_code == 403
    assert len(_rates(app)) == 1


def test_providers_never_see_the_rates(app):
    rate_id = _add(app)
    with app.app_context():
        factories.make_provider(PASSWORD, factories.make_vendor("Prov Co"))
        db.session.commit()
    provider = logged_in_client(app, "provider@example.com")
    for url in ("/reports/exchange-rates", "/reports/exchange-rates/new"):
        assert provider.get(url).status_code == 403
    assert provider.post(f"/reports/exchange-rates/{rate_id}/delete").status_code == 403


def test_the_reporting_currency_is_an_admin_setting(client, auth, app):
    auth.login("admin")
    form = client.get("/reports/settings").get_data(as_text=True)
    assert 'name="reporting_currency"' in form and 'value="USD"' in form
    data = {
        "weight_bpo_attainment": "50",
        "weight_kpo_quality": "25",
        "weight_kpo_on_time": "15",
        "weight_kpo_first_pass": "10",
        "band_excellent": "85",
        "band_good": "70",
        "band_watch": "50",
        "concentration_limit_pct": "40",
        "min_bpo_months": "3",
        "min_kpo_deliverables": "2",
        "version": "1",
    }
    bad = client.post("/reports/settings", data={**data, "reporting_currency": "ABC"})
    assert "Use an ISO 4217 currency code such as USD." in bad.get_data(as_text=True)
    blank = client.post("/reports/settings", data={**data, "reporting_currency": ""})
    assert "Use an ISO 4217 currency code such as USD." in blank.get_data(as_text=True)
    assert (
        client.post("/reports/settings", data={**data, "reporting_currency": "eur"}).status_code
        == 302
    )
    assert "Exchange rates to EUR" in client.get("/reports/exchange-rates").get_data(as_text=True)


# --- the converted total ----------------------------------------------------------------------

WINDOW = "from=2025-01&to=2025-03"


def _portfolio(app):
    """USD: 1,000 × Jan–Mar = 3,000. EUR: 500 × Jan–Mar, rates Jan 1.10 and Feb 1.20 (Mar falls
    back to Feb): 550 + 600 + 600 = 1,750. INR: 12,000 in Mar with no rate: not converted.
    Total in USD: 3,000 + 1,750 = 4,750.00."""
    with app.app_context():
        vendor = factories.make_vendor("Fx Co")
        common = {"start": date(2025, 1, 1), "end": date(2025, 12, 31)}
        factories.make_engagement(vendor, title="Dollars", monthly_fee=Decimal("1000"), **common)
        factories.make_engagement(
            vendor, title="Euros", currency="EUR", monthly_fee=Decimal("500"), **common
        )
        factories.make_engagement(
            vendor,
            title="Rupees",
            currency="INR",
            monthly_fee=Decimal("12000"),
            start=date(2025, 3, 1),
            end=date(2025, 12, 31),
        )
        db.session.add_all(
            [
                ExchangeRate(
                    month=date(2025, 1, 1), currency="EUR", rate=Decimal("1.10"), source="ECB Jan"
                ),
                ExchangeRate(
                    month=date(2025, 2, 1), currency="EUR", rate=Decimal("1.20"), source="ECB Feb"
                ),
            ]
        )
        db.session.commit()


def test_portfolio_page_shows_the_converted_total_and_what_is_not_converted(client, auth, app):
    _portfolio(app)
    auth.login("viewer")
    text = client.get(f"/reports/portfolio?{WINDOW}").get_data(as_text=True)
    assert "USD 3,000.00" in text and "EUR 1,500.00" in text and "INR 12,000.00" in text
    assert "USD 4,750.00" in text and "partial" in text
    assert (
        "EUR 1,500.00 = USD 1,750.00 at the Jan 2025, Feb 2025 rates; source: ECB Jan; ECB Feb"
        in text
    )
    assert "Mar 2025 at the Feb 2025 rate" in text
    assert "not converted: 12,000.00 INR (no rate) for Mar 2025" in text


def test_without_rates_only_the_reporting_currency_counts_and_the_rest_is_listed(client, auth, app):
    _portfolio(app)
    with app.app_context():
        db.session.execute(ExchangeRate.__table__.delete())
        db.session.commit()
    auth.login("viewer")
    text = client.get(f"/reports/portfolio?{WINDOW}").get_data(as_text=True)
    assert "USD 3,000.00" in text  # the USD spend, the only part of the total
    assert "not converted: 1,500.00 EUR (no rate) for Jan 2025 – Mar 2025 (3 months)" in text


def test_the_spend_export_has_the_converted_total(client, auth, app):
    _portfolio(app)
    auth.login("viewer")
    answer = client.get(f"/reports/exports/portfolio.csv?{WINDOW}")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    header, *lines = rows
    assert header[:7] == [
        "Period",
        "Vendor",
        "Currency",
        "Spend (in the currency)",
        "Reporting currency",
        "Spend converted (reporting currency)",
        "Not converted (no rate, in the currency)",
    ]
    by_key = {(line[0], line[1], line[2]): line for line in lines}
    eur = by_key[("Total", "All vendors", "EUR")]
    assert eur[3:9] == ["1500.00", "USD", "1750.00", "0.00", "", "EUR Jan 2025, Feb 2025"]
    inr = by_key[("Total", "All vendors", "INR")]
    assert inr[3:8] == ["12000.00", "USD", "0.00", "12000.00", "INR Mar 2025"]
    grand = by_key[("Total", "All vendors", "All currencies")]
    assert grand[4:8] == ["USD", "4750.00", "", "INR Mar 2025"]
    assert grand[9] == "ECB Jan; ECB Feb"
    assert by_key[("Jan 2025 – Mar 2025", "Fx Co", "USD")][5] == "3000.00"


def test_the_demo_portfolio_converts_every_amount(demo_app):
    viewer = logged_in_client(demo_app, "viewer")
    text = viewer.get("/reports/portfolio").get_data(as_text=True)
    assert "Spend in USD (reporting currency, converted)" in text
    assert "EUR" in text and "GBP" in text and "rates; source: Demo figure" in text
    assert "not converted:" not in text and ">partial<" not in text


# --- the API ------------------------------------------------------------------------------------

API_URL = f"/api/v1/portfolio?{WINDOW}"


def test_the_api_gives_the_converted_total_and_what_no_rate_converts(app, api):
    _portfolio(app)
    body = api.get(API_URL, role="viewer").get_json()
    assert (body["first_month"], body["last_month"]) == ("2025-01-01", "2025-03-01")
    assert body["totals"] == [
        {"currency": "EUR", "amount": 1500.0},
        {"currency": "INR", "amount": 12000.0},
        {"currency": "USD", "amount": 3000.0},
    ]
    converted = body["converted"]
    assert converted["currency"] == "USD" and converted["total"] == 4750.0
    assert converted["complete"] is False and converted["same_currency"] == 3000.0
    eur, inr = converted["conversions"]
    assert (eur["currency"], eur["converted"], eur["not_converted"]) == ("EUR", 1750.0, 0.0)
    assert [(r["month"], r["rate_month"], r["rate"], r["source"]) for r in eur["rates"]] == [
        ("2025-01-01", "2025-01-01", 1.1, "ECB Jan"),
        ("2025-02-01", "2025-02-01", 1.2, "ECB Feb"),
        ("2025-03-01", "2025-02-01", 1.2, "ECB Feb"),
    ]
    assert (inr["not_converted"], inr["months_without_rate"], inr["rates"]) == (
        12000.0,
        ["2025-03-01"],
        [],
    )


def test_bad_api_filters_are_422_naming_the_field(app, api):
    answer = api.get("/api/v1/portfolio?from=2025-13", role="viewer")
    assert answer.status_code == 422
    assert "from" in answer.get_json()["error"]["fields"]
    backwards = api.get("/api/v1/portfolio?from=2025-05&to=2025-01", role="viewer")
    assert backwards.status_code == 422
    assert "to" in backwards.get_json()["error"]["fields"]


def test_providers_get_403_from_the_api(app, client):
    with app.app_context():
        factories.make_provider(PASSWORD, factories.make_vendor("Prov Co"))
        db.session.commit()
    token = client.post(
        "/api/v1/auth/tokens", json={"email": "provider@example.com", "password": PASSWORD}
    ).get_json()["token"]
    answer = client.get(API_URL, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 403
