"""Fixtures in the style of the Flask tutorial: app, client, runner, auth, api, factories."""

import os
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests import factories
from vendor_tracker import create_app
from vendor_tracker.extensions import db

PASSWORD = "correct horse battery"


def make_app(tmp_path, database_url=None, **overrides):
    """A fresh app on its own empty database, with tables created from the models."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",  # noqa: S105 - tests only
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        if database_url:
            db.drop_all()
        db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        factories.seed_reference_data()
        factories.make_users(PASSWORD)
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An application context for tests that use the database directly."""
    with app.app_context():
        yield


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, role="admin", password=PASSWORD):
        email = f"{role}@example.com"
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


class ApiActions:
    """Calls the JSON API with a bearer token for a role."""

    def __init__(self, client):
        self._client = client
        self._tokens = {}

    def headers(self, role="admin"):
        if role not in self._tokens:
            answer = self._client.post(
                "/api/v1/auth/tokens", json={"email": f"{role}@example.com", "password": PASSWORD}
            )
            assert answer.status_code == 201, answer.get_json()
            self._tokens[role] = answer.get_json()["token"]
        return {"Authorization": f"Bearer {self._tokens[role]}"}

    def get(self, url, role="admin", **kw):
        return self._client.get(url, headers=self.headers(role), **kw)

    def post(self, url, json=None, role="admin", **kw):
        return self._client.post(url, json=json, headers=self.headers(role), **kw)

    def patch(self, url, json=None, role="admin", **kw):
        return self._client.patch(url, json=json, headers=self.headers(role), **kw)

    def delete(self, url, role="admin", **kw):
        return self._client.delete(url, headers=self.headers(role), **kw)


@pytest.fixture
def api(client):
    return ApiActions(client)


@contextmanager
def count_queries(app):
    """Count the SQL statements the app sends while the block runs."""
    statements = []

    def before_cursor_execute(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def query_counter(app):
    """`with query_counter() as statements:` counts queries of requests made inside."""
    return lambda: count_queries(app)


def postgres_url():
    """The PostgreSQL URL CI provides, or None on machines without one."""
    return os.environ.get("TEST_DATABASE_URL")
