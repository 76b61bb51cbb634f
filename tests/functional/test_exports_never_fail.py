"""An export never fails on stored text: control characters written straight to the database
(as before input refused them) are dropped from every file, and CSV says its charset once."""

import csv
import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.factories_bpo import make_credit_dispute, make_level, make_result
from tests.factories_kpo import make_deliverable_with_rounds, make_kpo_engagement, make_touchpoint
from tests.factories_reporting import make_action_item, make_qbr, make_risk
from vendor_tracker.core.exports import FORMULA_STARTS
from vendor_tracker.extensions import db
from vendor_tracker.reporting.export_data import DATASETS

TODAY = date.today()
MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
# What openpyxl refuses (C0 controls), what makes an unreadable workbook (U+FFFE, U+FFFF),
# escape sequences, DEL and a C1 control; tab and line breaks stay.
DIRT = "\x01\x0b\x1b[31m\x7f\x85\ufffe\uffff"
CLEAN = "[31m"  # what is left of DIRT
UNWRITABLE = "\x01\x0b\x1b\x7f\x85\ufffe\uffff"


def dirty(text: str) -> str:
    return f"{text}{DIRT}"


@pytest.fixture
def stored(app):
    """Control characters in every kind of text the exports show, bypassing forms and API."""
    with app.app_context():
        vendor = factories.make_vendor(dirty("Vendor"), description=dirty("About"))
        bpo = factories.make_engagement(
            vendor,
            title="\x01=Voice" + DIRT,  # a formula hidden behind a control character
            notes=dirty("Notes"),
            start=MONTH - timedelta(days=200),
            end=TODAY + timedelta(days=200),
        )
        level = make_level(
            bpo,
            name=dirty("Answer rate"),
            target="80",
            minimum="75",
            classification="critical",
            allocation="100",
        )
        make_result(level, MONTH, 70, note=dirty("Outage"))
        make_credit_dispute(level, MONTH, state="waived", note=dirty("Waived"))
        kpo = make_kpo_engagement(vendor, title=dirty("Research"))
        # A leading CR or tab is escaped as =, +, - and @ are, in the deliverables CSV too.
        make_deliverable_with_rounds(kpo, 2, title=dirty("\rSizing"), description=dirty("Scope"))
        make_touchpoint(kpo, items=[(dirty("Follow up"), dirty("Owner"), None, False)])
        make_risk(vendor, dirty("\tRisk"), 5, 5, description=dirty("Why"), mitigation=dirty("How"))
        qbr = make_qbr(vendor, notes=dirty("QBR notes"), decisions=dirty("Decided"))
        make_action_item(qbr, description=dirty("Action"), owner=dirty("Lead"))
        db.session.commit()
        return {"vendor": vendor.id, "bpo": bpo.id, "kpo": kpo.id}


def csv_cells(answer) -> list[str]:
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"), newline="")))
    return [cell for row in rows for cell in row]


def xlsx_cells(answer) -> list[str]:
    sheet = load_workbook(io.BytesIO(answer.data)).active
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def assert_clean(cells: list[str]) -> None:
    assert any(CLEAN in cell for cell in cells)  # the planted text is there, cleaned
    assert not [c for c in cells if any(ch in c for ch in UNWRITABLE)]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_dataset_exports_stored_control_characters(client, auth, stored, dataset, fmt):
    auth.login("manager")
    answer = client.get(f"/reports/exports/{dataset}.{fmt}")
    assert answer.status_code == 200
    assert_clean(csv_cells(answer) if fmt == "csv" else xlsx_cells(answer))


def test_a_formula_behind_a_control_character_is_still_escaped(client, auth, stored):
    auth.login("manager")
    answer = client.get(f"/reports/exports/engagements.xlsx?vendor_id={stored['vendor']}")
    assert f"'=Voice{CLEAN}" in xlsx_cells(answer)
    risks = client.get("/reports/exports/risks.csv")
    assert f"'\tRisk{CLEAN}" in csv_cells(risks)


def test_engagement_downloads_export_stored_control_characters(client, auth, stored):
    auth.login("manager")
    ledger = client.get(f"/bpo/engagements/{stored['bpo']}/credits.csv")
    assert ledger.status_code == 200
    assert f"Answer rate{CLEAN}: Waived{CLEAN}" in csv_cells(ledger)  # the waiver's reason
    deliverables = client.get(f"/kpo/engagements/{stored['kpo']}/deliverables.csv")
    assert deliverables.status_code == 200
    assert f"'\rSizing{CLEAN}" in csv_cells(deliverables)
    for answer in (ledger, deliverables):
        assert_clean(csv_cells(answer))


def test_every_csv_download_says_its_charset_once(client, auth, stored):
    auth.login("manager")
    urls = [f"/reports/exports/{key}.csv" for key in sorted(DATASETS)] + [
        f"/bpo/engagements/{stored['bpo']}/credits.csv",
        f"/kpo/engagements/{stored['kpo']}/deliverables.csv",
    ]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["Content-Type"] == "text/csv; charset=utf-8", url
        assert answer.headers["Content-Disposition"].startswith('attachment; filename="'), url
