"""Security headers on every answer of every route: pages, API, static files and errors."""

from tests.conftest import ApiActions, demo_ids, logged_in_client, rule_urls, walked_routes
from vendor_tracker.core.security import is_api_path


def _directives(policy: str) -> dict[str, list[str]]:
    found = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = words[1:]
    return found


def header_problems(response) -> list[str]:
    """What is missing or too loose in one response's security headers."""
    problems = []
    policy = response.headers.get("Content-Security-Policy")
    if not policy:
        return ["no Content-Security-Policy"]
    directives = _directives(policy)
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts is None:
        problems.append("CSP limits no script source")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
        problems.append(f"script-src too loose: {scripts}")
    if directives.get("object-src") != ["'none'"]:
        problems.append("object-src is not 'none'")
    framing = directives.get("frame-ancestors")
    if framing not in (["'none'"], ["'self'"]) and response.headers.get(
        "X-Frame-Options", ""
    ).upper() not in {"DENY", "SAMEORIGIN"}:
        problems.append("framing by other sites not refused")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.headers.get("Referrer-Policy") not in {
        "same-origin",
        "no-referrer",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }:
        problems.append(f"Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    return problems


def _walk(app, client, headers=None, methods=None):
    ids = demo_ids(app)
    seen = []
    for endpoint, method, rule in walked_routes(app):
        if methods and method not in methods:
            continue
        if endpoint == "auth.logout":
            continue
        for url in rule_urls(rule, ids):
            if is_api_path(url):
                answer = client.open(url, method=method, json={}, headers=headers or {})
            else:
                answer = client.open(url, method=method, data={})
            answer.close()  # static files stream from open handles
            seen.append((f"{method} {url} -> {answer.status_code}", answer))
    return seen


def test_every_route_anonymous_has_the_headers(demo_app):
    seen = _walk(demo_app, demo_app.test_client())
    assert len(seen) >= 10
    assert [(cell, problems) for cell, r in seen if (problems := header_problems(r))] == []


def test_every_route_signed_in_has_the_headers(demo_app):
    client = logged_in_client(demo_app, "admin")
    headers = ApiActions(demo_app.test_client()).headers("admin")
    seen = _walk(demo_app, client, headers=headers, methods={"GET"})
    assert any(r.status_code == 200 and r.mimetype == "text/html" for _c, r in seen)
    assert [(cell, problems) for cell, r in seen if (problems := header_problems(r))] == []


def test_error_answers_have_the_headers(client, auth, api):
    auth.login("viewer")
    answers = [
        client.get("/no-such-page"),
        client.get("/api/v1/no-such-thing", headers=api.headers("viewer")),
        client.get("/admin/users"),  # 403
        client.put("/login"),  # 405
        client.post("/api/v1/auth/tokens", json={"email": 3}),  # 422
    ]
    assert [a.status_code for a in answers] == [404, 404, 403, 405, 422]
    assert [header_problems(a) for a in answers] == [[]] * len(answers)


def test_pages_are_not_cached_but_static_files_may_be(client, auth):
    auth.login("viewer")
    assert client.get("/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/app.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")


def test_the_checker_catches_a_loose_policy(app):
    from flask import Response

    loose = Response("x")
    loose.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'"
    )
    assert any("script-src too loose" in p for p in header_problems(loose))
    assert "no X-Content-Type-Options: nosniff" in header_problems(loose)
