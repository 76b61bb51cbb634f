"""Every registered route, anonymous and as each role: login required, roles enforced.

The walk reads `app.url_map`, so routes that later packages add are covered without naming them.
The expected answer of each (role, route, method) cell comes from the view's declared minimum
role (`required_role`, set by `auth.decorators.requires`).
"""

from urllib.parse import urlsplit

import pytest

from tests.conftest import (
    ApiActions,
    declared_role,
    demo_ids,
    logged_in_client,
    rule_urls,
    walked_routes,
)
from vendor_tracker.auth.rules import Role
from vendor_tracker.core.security import PUBLIC_ENDPOINTS, is_api_path

# Writes a signed-in user of any role may make about themselves (or to sign in and out, or to
# accept a portal invitation, whose one-time token is the permission).
SELF_SERVICE_WRITES = frozenset(
    {"auth.login", "auth.logout", "api_auth.create_token", "portal.accept_invite"}
    # A user's own notifications: marking them read, choosing which ones are emailed.
    | {"notifications.mark_read", "notifications.mark_all_read", "notifications.settings"}
)
# The client's roles; providers' users are walked in test_provider_access.py.
ROLES = (Role.VIEWER, Role.MANAGER, Role.ADMIN)


def _send(client, method, url, headers=None):
    if is_api_path(url):
        return client.open(url, method=method, json={}, headers=headers or {})
    return client.open(url, method=method, data={}, headers=headers or {})


def _is_login_redirect(answer) -> bool:
    return answer.status_code == 302 and urlsplit(answer.headers["Location"]).path == "/login"


def test_the_walk_sees_the_core_routes(app):
    endpoints = {endpoint for endpoint, _method, _rule in walked_routes(app)}
    assert {"core.dashboard", "auth.users", "audit.log", "api-docs.openapi_json"} <= endpoints


def test_public_list_is_small_and_exists(app):
    assert set(PUBLIC_ENDPOINTS) <= set(app.view_functions)
    assert "core.dashboard" not in PUBLIC_ENDPOINTS


def test_anonymous_requests_outside_the_public_list_are_sent_to_login(demo_app):
    client = demo_app.test_client()
    ids = demo_ids(demo_app)
    wrong = []
    for endpoint, method, rule in walked_routes(demo_app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        for url in rule_urls(rule, ids):
            answer = _send(client, method, url)
            if is_api_path(url):
                body = answer.get_json(silent=True) or {}
                if answer.status_code != 401 or body.get("error", {}).get("code") != "unauthorized":
                    wrong.append(f"{method} {url}: {answer.status_code} {answer.data[:80]!r}")
            elif not _is_login_redirect(answer):
                location = answer.headers.get("Location")
                wrong.append(f"{method} {url}: {answer.status_code} {location}")
    assert not wrong, "\n".join(wrong)


def test_login_redirect_keeps_where_the_user_was_going(client):
    answer = client.get("/admin/users?x=1")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/admin/users?x%3D1"


def test_api_docs_page_is_a_page_not_json(client, auth):
    assert _is_login_redirect(client.get("/api/docs"))
    auth.login("viewer")
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert page.mimetype == "text/html"


def test_every_write_declares_at_least_manager(app):
    """Client writes declare manager or admin; writes open to providers too declare manager
    (`manager_or_provider_required`), so viewers stay refused."""
    undeclared = []
    for endpoint, method, _rule in walked_routes(app):
        if method == "GET" or endpoint in SELF_SERVICE_WRITES:
            continue
        role = declared_role(app, endpoint, method)
        if role is None or Role(role).rank < Role.MANAGER.rank:
            undeclared.append(f"{method} {endpoint}: {role}")
    assert not undeclared, "\n".join(undeclared)


def _expected_refusal(app, endpoint, method, role: Role) -> bool:
    required = declared_role(app, endpoint, method)
    return required is not None and role.rank < Role(required).rank


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_role_matrix(demo_app, role):
    """Each cell: 403 when the role is below the view's declared minimum, else not 401/403/5xx."""
    ids = demo_ids(demo_app)
    page_client = logged_in_client(demo_app, role.value)
    api_headers = ApiActions(demo_app.test_client()).headers(role.value)
    wrong = []
    for endpoint, method, rule in walked_routes(demo_app):
        if endpoint in PUBLIC_ENDPOINTS or endpoint == "auth.logout":
            continue  # public, or would end the session the walk relies on
        refused = _expected_refusal(demo_app, endpoint, method, role)
        if endpoint == "auth.user_sign_out_everywhere" and not refused:
            continue  # the walked user is the admin: it would end the walk's session and token
        for url in rule_urls(rule, ids):
            api_call = is_api_path(url)
            client = demo_app.test_client() if api_call else page_client
            answer = _send(client, method, url, api_headers if api_call else None)
            status = answer.status_code
            cell = f"{role.value} {method} {url} -> {status}"
            if refused:
                if status != 403:
                    wrong.append(cell + " (expected 403)")
            elif status in (401, 403) or status >= 500 or _is_login_redirect(answer):
                wrong.append(cell + " (expected to be allowed)")
    assert not wrong, "\n".join(wrong)


SPOT_CHECKS = [
    # role, method, url, expected status
    ("viewer", "GET", "/", 200),
    ("viewer", "GET", "/api/docs", 200),
    ("viewer", "GET", "/admin/users", 403),
    ("manager", "GET", "/admin/users", 403),
    ("admin", "GET", "/admin/users", 200),
    ("viewer", "GET", "/admin/audit", 403),
    ("manager", "GET", "/admin/audit", 403),
    ("admin", "GET", "/admin/audit", 200),
    ("manager", "POST", "/admin/users/new", 403),
    ("admin", "GET", "/admin/users/new", 200),
    ("viewer", "GET", "/vendors", 200),
    ("viewer", "GET", "/vendors/new", 403),
    ("manager", "GET", "/vendors/new", 200),
    ("viewer", "GET", "/engagements", 200),
]


@pytest.mark.parametrize(("role", "method", "url", "expected"), SPOT_CHECKS)
def test_spot_checks_pages(app, role, method, url, expected):
    client = logged_in_client(app, role)
    assert client.open(url, method=method, data={}).status_code == expected


API_SPOT_CHECKS = [
    ("viewer", "GET", "/api/v1/openapi.json", 200),
    ("viewer", "GET", "/api/v1/vendors", 200),
    ("viewer", "POST", "/api/v1/vendors", 403),
    ("manager", "POST", "/api/v1/vendors", 422),
    ("viewer", "POST", "/api/v1/engagements", 403),
]


@pytest.mark.parametrize(("role", "method", "url", "expected"), API_SPOT_CHECKS)
def test_spot_checks_api(client, api, role, method, url, expected):
    answer = client.open(url, method=method, json={}, headers=api.headers(role))
    assert answer.status_code == expected
    if expected >= 400:
        assert set(answer.get_json()["error"]) == {"code", "message", "fields"}


def test_refused_permission_answers_json_in_the_api_and_a_page_otherwise(client, auth, api):
    auth.login("viewer")
    page = client.get("/admin/users")
    assert page.status_code == 403 and page.mimetype == "text/html"
    answer = client.post("/api/v1/vendors", json={}, headers=api.headers("viewer"))
    assert answer.status_code == 403
    assert answer.get_json()["error"]["code"] == "forbidden"


def test_api_ignores_session_cookies(client, auth):
    """A signed-in browser cannot be ridden cross-site into the API: it needs a bearer token."""
    auth.login("admin")
    assert client.get("/api/v1/vendors").status_code == 401
    assert client.get("/api/v1/openapi.json").status_code == 200
