"""The main pages of each role, with the demo records they show, read from the e2e database.

Shared by the browser checks that walk every main page (accessibility, phone layout).
"""

import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month

LAST_MONTH = shift_month(first_of_month(date.today()), -1)
CLIENT_ROLES = ("admin", "manager", "viewer")
# provider@ acts for Concentrix (BPO work), provider-b@ for Evalueserve (KPO work).
PROVIDERS = ("provider@example.com", "provider-b@example.com")


def _first(con, sql: str, *args) -> int:
    row = con.execute(sql, args).fetchone()
    assert row, f"the demo data has a row for: {sql}"
    return row[0]


def _engagement(con, kind: str, vendor_id: int | None = None) -> int:
    if vendor_id is None:
        return _first(con, "SELECT id FROM engagements WHERE kind = ? ORDER BY id", kind)
    return _first(
        con,
        "SELECT id FROM engagements WHERE kind = ? AND vendor_id = ? ORDER BY id",
        kind,
        vendor_id,
    )


def _deliverable(con, engagement_id: int) -> int:
    return _first(
        con, "SELECT id FROM kpo_deliverables WHERE engagement_id = ? ORDER BY id", engagement_id
    )


def _client_pages(con, role: str) -> list[tuple[str, str]]:
    vendor = _first(con, "SELECT id FROM vendors ORDER BY id")
    bpo, kpo = _engagement(con, "BPO"), _engagement(con, "KPO")
    request = _first(con, "SELECT id FROM sourcing_requests ORDER BY id")
    qbr = _first(con, "SELECT id FROM qbrs ORDER BY id")
    risk = _first(con, "SELECT id FROM risks ORDER BY id")
    submission = _first(con, "SELECT id FROM kpo_submissions ORDER BY id")
    certificate = _first(con, "SELECT id FROM certifications ORDER BY id")
    pages = [
        ("dashboard", "/"),
        ("vendors", "/vendors"),
        ("vendor", f"/vendors/{vendor}"),
        ("engagements", "/engagements"),
        ("BPO engagement", f"/engagements/{bpo}"),
        ("KPO engagement", f"/engagements/{kpo}"),
        ("BPO month form", f"/bpo/engagements/{bpo}/results/{LAST_MONTH:%Y-%m}"),
        ("BPO results", f"/bpo/engagements/{bpo}/results"),
        ("BPO service levels", f"/bpo/engagements/{bpo}/service-levels"),
        ("credits ledger", f"/bpo/engagements/{bpo}/credits"),
        ("deliverable", f"/kpo/deliverables/{_deliverable(con, kpo)}"),
        ("collaboration", f"/kpo/engagements/{kpo}/collaboration"),
        ("reports", "/reports"),
        ("scorecards", "/reports/scorecards"),
        ("vendor scorecard", f"/reports/scorecards/vendor/{vendor}"),
        ("portfolio", "/reports/portfolio"),
        ("BPO portfolio", "/bpo/portfolio"),
        ("needs attention", "/reports/attention"),
        ("needs attention, one kind", "/reports/attention?kind=overdue_deliverable"),
        ("risks", "/reports/risks"),
        ("risk", f"/reports/risks/{risk}"),
        ("QBRs", "/reports/qbrs"),
        ("QBR", f"/reports/qbrs/{qbr}"),
        ("QBR pack", f"/reports/qbrs/{qbr}/pack"),
        ("QBR files", f"/files/qbr/{qbr}"),
        ("version files", f"/files/submission/{submission}"),
        ("certificate scans", f"/files/certificate/{certificate}"),
        ("exports", "/reports/exports"),
        ("exchange rates", "/reports/exchange-rates"),
        ("selection", "/selection"),
        ("request", f"/selection/{request}"),
        ("request advisor", f"/selection/{request}/advisor"),
        ("request candidates", f"/selection/{request}/candidates"),
        ("request criteria", f"/selection/{request}/criteria"),
        ("request results", f"/selection/{request}/results"),
        ("API", "/api/docs"),
        ("notifications", "/notifications"),
        ("notification settings", "/notifications/settings"),
    ]
    if role in ("admin", "manager"):
        pages += [
            ("request scores", f"/selection/{request}/scores"),
            ("new vendor", "/vendors/new"),
            ("new engagement", "/engagements/new"),
            ("new risk", "/reports/risks/new"),
            ("new deliverable", f"/kpo/engagements/{kpo}/deliverables/new"),
        ]
    if role == "admin":
        pages += [("users", "/admin/users"), ("audit log", "/admin/audit")]
        rate = _first(con, "SELECT id FROM exchange_rates ORDER BY id")
        pages += [
            ("new exchange rate", "/reports/exchange-rates/new"),
            ("exchange rate", f"/reports/exchange-rates/{rate}/edit"),
        ]
    return pages


def _provider_pages(con, email: str) -> list[tuple[str, str]]:
    vendor = _first(con, "SELECT vendor_id FROM users WHERE email = ?", email)
    pages = [
        ("portal home", "/"),
        ("company profile", f"/vendors/{vendor}"),
        ("engagements", "/engagements"),
        ("notifications", "/notifications"),
        ("notification settings", "/notifications/settings"),
    ]
    kind = _first(con, "SELECT kind FROM engagements WHERE vendor_id = ? ORDER BY id", vendor)
    engagement = _engagement(con, kind, vendor)
    pages.append((f"{kind} engagement", f"/engagements/{engagement}"))
    if kind == "BPO":
        pages += [
            ("BPO month", f"/bpo/engagements/{engagement}/results/{LAST_MONTH:%Y-%m}"),
            ("credits ledger", f"/bpo/engagements/{engagement}/credits"),
        ]
    else:
        deliverable = _deliverable(con, engagement)
        version = _first(
            con, "SELECT id FROM kpo_submissions WHERE deliverable_id = ? ORDER BY id", deliverable
        )
        pages += [
            ("deliverable", f"/kpo/deliverables/{_deliverable(con, engagement)}"),
            ("version files", f"/files/submission/{version}"),
            ("action items", f"/kpo/engagements/{engagement}/action-items"),
        ]
    return pages


def main_pages(database: Path, user: str) -> list[tuple[str, str]]:
    """(name, path) of the main pages `user` (a client role or a provider's e-mail) opens."""
    with closing(sqlite3.connect(database)) as con:
        if "@" in user:
            return _provider_pages(con, user)
        return _client_pages(con, user)
