"""Export downloads: every data set in CSV and Excel, page filters honoured, cells escaped."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.factories_bpo import make_level, make_result
from tests.factories_kpo import make_deliverable_with_rounds, make_kpo_engagement
from tests.factories_reporting import make_risk
from vendor_tracker.core.exports import FORMULA_STARTS
from vendor_tracker.extensions import db
from vendor_tracker.reporting.export_data import DATASETS

TODAY = date.today()
MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month


def sheet_rows(answer):
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def csv_rows(answer):
    return list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))


@pytest.fixture
def data(app):
    with app.app_context():
        evil = factories.make_vendor("=Evil Corp")
        good = factories.make_vendor("Good Co")
        bpo = factories.make_engagement(
            evil, title="+Voice", start=MONTH - timedelta(days=200), end=TODAY + timedelta(days=200)
        )
        level = make_level(
            bpo,
            name="@Answer rate",
            target="80",
            minimum="75",
            classification="critical",
            allocation="100",
        )
        make_result(level, MONTH, 70)
        kpo = make_kpo_engagement(good, title="Research")
        make_deliverable_with_rounds(kpo, 2, title="-Sizing")
        make_risk(evil, "=Risk one", 5, 5)
        make_risk(good, "Risk two", 1, 1)
        db.session.commit()
        return {"evil": evil.id, "good": good.id, "bpo": bpo.id, "kpo": kpo.id}


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dataset_downloads(client, auth, data, dataset, fmt):
    auth.login("viewer")
    answer = client.get(f"/reports/exports/{dataset}.{fmt}")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = csv_rows(answer) if fmt == "csv" else sheet_rows(answer)
    assert rows[0][0]  # a header row


def test_unknown_dataset_or_format_is_404(client, auth):
    auth.login("viewer")
    assert client.get("/reports/exports/passwords.csv").status_code == 404
    assert client.get("/reports/exports/risks.pdf").status_code == 404


def test_vendor_export_escapes_and_honours_filters(client, auth, data):
    auth.login("viewer")
    rows = sheet_rows(client.get("/reports/exports/vendors.xlsx?q=evil"))
    assert [r[1] for r in rows[1:]] == ["'=Evil Corp"]
    everyone = csv_rows(client.get("/reports/exports/vendors.csv"))
    assert {r[1] for r in everyone[1:]} == {"'=Evil Corp", "Good Co"}


def test_risk_export_honours_the_risk_page_filters(client, auth, data):
    auth.login("viewer")
    rows = sheet_rows(client.get(f"/reports/exports/risks.xlsx?vendor_id={data['evil']}"))
    assert len(rows) == 2
    header = rows[0]
    risk = dict(zip(header, rows[1], strict=True))
    assert risk["Title"] == "'=Risk one" and risk["Score"] == 25 and risk["Rating"] == "critical"
    critical = sheet_rows(client.get("/reports/exports/risks.xlsx?rating=low"))
    assert [r[3] for r in critical[1:]] == ["Risk two"]


def test_measurements_and_credits_exports(client, auth, data):
    auth.login("viewer")
    window = f"engagement_id={data['bpo']}&from={MONTH:%Y-%m}&to={MONTH:%Y-%m}"
    rows = sheet_rows(client.get(f"/reports/exports/measurements.xlsx?{window}"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Engagement"] == "'+Voice" and row["Service level"] == "'@Answer rate"
    assert row["Actual"] == 70 and row["Status"] == "breach" and row["Month"] == f"{MONTH:%Y-%m}"
    credits = sheet_rows(client.get(f"/reports/exports/credits.xlsx?{window}"))
    line = dict(zip(credits[0], credits[1], strict=True))
    # 10 % of the 100,000 fee is at risk; the one critical level carries all of it.
    assert line["Breaches"] == 1 and Decimal(str(line["Gross credits"])) == Decimal("10000")
    assert line["Currency"] == "USD"


def test_deliverables_export(client, auth, data):
    auth.login("viewer")
    rows = sheet_rows(client.get(f"/reports/exports/deliverables.xlsx?vendor_id={data['good']}"))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Deliverable"] == "'-Sizing" and row["Rounds"] == 2
    assert row["Rounds to acceptance"] == 2 and row["First pass"] == "no"
    none = sheet_rows(client.get(f"/reports/exports/deliverables.xlsx?vendor_id={data['evil']}"))
    assert len(none) == 1


def test_scorecard_export_period(client, auth, data):
    auth.login("viewer")
    rows = sheet_rows(client.get("/reports/exports/scorecards.xlsx?period=ttm"))
    assert {r[1] for r in rows[1:]} == {"ttm"}
    fallback = sheet_rows(client.get("/reports/exports/scorecards.xlsx?period=rubbish"))
    assert len(fallback) == 3


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_every_dataset_escapes_its_text_cells(client, auth, data, dataset):
    auth.login("viewer")
    rows = csv_rows(client.get(f"/reports/exports/{dataset}.csv"))
    cells = [cell for row in rows[1:] for cell in row]
    assert [c for c in cells if c.startswith(("'=", "'+", "'-", "'@"))]  # planted names
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
