"""Sign-in, health and the dashboard through the test client."""


def test_health_is_public_and_reports_the_database(client):
    answer = client.get("/health")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "database": "ok"}


def test_dashboard_needs_login(client):
    answer = client.get("/")
    assert answer.status_code == 302
    assert "/login" in answer.headers["Location"]


def test_login_then_dashboard_shows_counts(client, auth):
    assert auth.login("viewer").status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert b"Engagements by kind and status" in page.data


def test_wrong_password_is_refused_next_to_the_field(client, auth):
    page = auth.login("viewer", password="not the password")
    assert page.status_code == 200
    assert b"E-mail or password is not right" in page.data


def test_api_token_then_openapi(client, api):
    answer = api.get("/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.get_json()["openapi"].startswith("3.")
