"""The provider portal's reach: every registered page route and API operation, as a provider's
user of vendor A, against A's records and against vendor B's.

The walk reads `app.url_map`, so routes added later are covered without naming them. A view not
marked for providers (`auth.decorators.for_providers` or `manager_or_provider_required`) answers
403; a marked one serves A's records (not 401/403/5xx) and answers 404 or 403 for B's records; no
page or API answer to A's provider ever names vendor B.
"""

import shutil
from urllib.parse import urlsplit

import pytest

from tests.conftest import (
    MISSING_ID,
    PASSWORD,
    PROVIDER_VENDORS,
    ApiActions,
    demo_vendor,
    logged_in_client,
    make_app,
    rule_urls,
    vendor_record_ids,
    walked_routes,
)
from vendor_tracker.auth.decorators import PROVIDER_ENDPOINTS, provider_may_open
from vendor_tracker.auth.rules import Role
from vendor_tracker.core.security import PUBLIC_ENDPOINTS, is_api_path
from vendor_tracker.extensions import db

PROVIDER_A, PROVIDER_B = PROVIDER_VENDORS  # Concentrix (BPO), Evalueserve (KPO)
# Writes about the signed-in user's own rows (marking their notifications read, their email
# choices): every signed-in user makes them, so they declare no role.
SELF_SERVICE_WRITES = frozenset(
    {"notifications.mark_read", "notifications.mark_all_read", "notifications.settings"}
)


def _send(client, method, url, headers=None):
    if is_api_path(url):
        return client.open(url, method=method, json={}, headers=headers or {})
    return client.open(url, method=method, data={}, headers=headers or {})


def _open_to_providers(app, endpoint: str, method: str) -> bool:
    if endpoint in PROVIDER_ENDPOINTS:
        return True
    return provider_may_open(app.view_functions[endpoint], method)


def _vendor_ids(app) -> dict[str, int]:
    with app.app_context():
        return {email: demo_vendor(name).id for email, name in PROVIDER_VENDORS.items()}


def _walk(app, email: str, own_vendor_id: int, other_vendor_id: int, other_name: str) -> list:
    """Every route as `email`'s provider: the cells that break the portal's rules."""
    own_ids, bound = vendor_record_ids(app, own_vendor_id)
    other_ids, _bound = vendor_record_ids(app, other_vendor_id)
    page_client = logged_in_client(app, email)
    api_headers = ApiActions(app.test_client()).headers(email)
    wrong = []
    for endpoint, method, rule in walked_routes(app):
        if endpoint in PUBLIC_ENDPOINTS or endpoint == "auth.logout":
            continue  # public, or would end the session the walk relies on
        open_ = _open_to_providers(app, endpoint, method)
        targets_records = bool(set(rule.arguments) & bound)
        for whose, ids in (("own", own_ids), ("other", other_ids)):
            if whose == "other" and not targets_records:
                continue  # no record of B in this URL: the own walk covers it
            missing_urls = rule_urls(rule, dict.fromkeys(ids, MISSING_ID))
            for url, missing_url in zip(rule_urls(rule, ids), missing_urls, strict=True):
                api_call = is_api_path(url)
                client = app.test_client() if api_call else page_client
                answer = _send(client, method, url, api_headers if api_call else None)
                status = answer.status_code
                cell = f"{whose} {method} {url} -> {status}"
                if status == 302 and urlsplit(answer.headers["Location"]).path == "/login":
                    wrong.append(cell + " (signed out)")
                elif not open_:
                    if status != 403:
                        wrong.append(cell + " (expected 403: not open to providers)")
                elif whose == "other" and status not in (403, 404):
                    # Refused before any record is read (a malformed body: 422) is fine only
                    # when a missing record gets the very same answer: nothing tells them apart.
                    missing = _send(client, method, missing_url, api_headers if api_call else None)
                    if missing.status_code != status:
                        wrong.append(cell + f" (a missing record answers {missing.status_code})")
                elif whose == "own" and (status in (401, 403) or status >= 500):
                    wrong.append(cell + " (expected to be allowed)")
                if method == "GET" and other_name.encode() in answer.data:
                    wrong.append(cell + f" (names {other_name})")
    return wrong


@pytest.fixture
def walk_app(tmp_path, demo_database):
    """The demo database's copy, answering errors as 500 pages (the walk lists them all)."""
    shutil.copyfile(demo_database, tmp_path / "test.sqlite3")
    app = make_app(tmp_path, PROPAGATE_EXCEPTIONS=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("email", [PROVIDER_A, PROVIDER_B])
def test_provider_route_walk(walk_app, email):
    vendor_ids = _vendor_ids(walk_app)
    other = PROVIDER_B if email == PROVIDER_A else PROVIDER_A
    wrong = _walk(walk_app, email, vendor_ids[email], vendor_ids[other], PROVIDER_VENDORS[other])
    assert not wrong, "\n".join(wrong)


def test_portal_pages_answer_200(demo_app):
    """Guards the walk against passing vacuously: the portal's main pages answer 200."""
    vendor_ids = _vendor_ids(demo_app)
    own, _bound = vendor_record_ids(demo_app, vendor_ids[PROVIDER_A])
    client = logged_in_client(demo_app, PROVIDER_A)
    for url in (
        "/",
        f"/vendors/{vendor_ids[PROVIDER_A]}",
        "/engagements",
        f"/engagements/{own['engagement_id']}",
        f"/bpo/engagements/{own['engagement_id']}/service-levels",
        f"/bpo/engagements/{own['engagement_id']}/credits",
        f"/bpo/engagements/{own['engagement_id']}/credits.csv",
        "/api/docs",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
    kpo_own, _bound = vendor_record_ids(demo_app, vendor_ids[PROVIDER_B])
    kpo_client = logged_in_client(demo_app, PROVIDER_B)
    assert kpo_client.get(f"/kpo/deliverables/{kpo_own['kpo_deliverable_id']}").status_code == 200


def test_every_page_says_which_company_the_provider_acts_for(demo_app):
    client = logged_in_client(demo_app, PROVIDER_A)
    for url in ("/", "/engagements"):
        page = client.get(url).get_data(as_text=True)
        assert "You act for <strong>Concentrix</strong>" in page
        assert "Evalueserve" not in page
    home = client.get("/").get_data(as_text=True)
    assert "Customer support" in home or "Engagements" in home
    # The navigation offers only what a provider may open.
    assert "/admin/users" not in home and "/reporting" not in home and "/selection" not in home


def test_internal_pages_answer_403_and_other_vendors_404(demo_app):
    vendor_ids = _vendor_ids(demo_app)
    client = logged_in_client(demo_app, PROVIDER_A)
    assert client.get("/vendors").status_code == 403
    assert client.get("/reporting/scorecards").status_code in (403, 404)
    assert client.get("/admin/audit").status_code == 403
    assert client.get(f"/vendors/{vendor_ids[PROVIDER_B]}").status_code == 404
    api = ApiActions(demo_app.test_client())
    answer = demo_app.test_client().get(
        f"/api/v1/vendors/{vendor_ids[PROVIDER_B]}", headers=api.headers(PROVIDER_A)
    )
    assert answer.status_code == 404
    listed = demo_app.test_client().get("/api/v1/vendors", headers=api.headers(PROVIDER_A))
    assert [v["id"] for v in listed.get_json()["items"]] == [vendor_ids[PROVIDER_A]]


def test_client_only_figures_and_sections_stay_hidden(demo_app):
    vendor_ids = _vendor_ids(demo_app)
    own, _bound = vendor_record_ids(demo_app, vendor_ids[PROVIDER_A])
    client = logged_in_client(demo_app, PROVIDER_A)
    vendor_page = client.get(f"/vendors/{vendor_ids[PROVIDER_A]}").get_data(as_text=True)
    engagement_page = client.get(f"/engagements/{own['engagement_id']}").get_data(as_text=True)
    for text in ("In-house baseline", "Savings", "History", "Demo engagement with invented"):
        assert text not in engagement_page, text
    for text in ("Standing", "Sourcing", "History", "@example.com"):
        assert text not in vendor_page, text
    # Client staff still see them.
    manager = logged_in_client(demo_app, "manager")
    assert "In-house baseline" in manager.get(f"/engagements/{own['engagement_id']}").text
    api = ApiActions(demo_app.test_client())
    body = (
        demo_app.test_client()
        .get(f"/api/v1/engagements/{own['engagement_id']}", headers=api.headers(PROVIDER_A))
        .get_json()
    )
    assert body["baseline_monthly_cost"] is None and body["monthly_savings"] is None
    assert body["notes"] == ""


def test_writes_open_to_providers_still_declare_manager(app):
    """A write a provider may make uses `manager_or_provider_required`: viewers stay refused."""
    for endpoint, method, _rule in walked_routes(app):
        if method == "GET" or endpoint in PUBLIC_ENDPOINTS or endpoint == "auth.logout":
            continue
        if endpoint in SELF_SERVICE_WRITES:
            continue
        view = app.view_functions[endpoint]
        if provider_may_open(view, method):
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            role = getattr(view, "required_role", None) or getattr(handler, "required_role", None)
            assert role == Role.MANAGER, f"{method} {endpoint}: {role}"


def test_a_provider_without_a_vendor_sees_nothing(app):
    from vendor_tracker.auth.services import create_user

    with app.app_context():
        create_user("lost@example.com", PASSWORD, "provider", "Lost")
        db.session.commit()
    client = logged_in_client(app, "lost@example.com")
    assert client.get("/engagements").status_code == 200
    assert client.get("/").status_code == 404
