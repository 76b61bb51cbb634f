"""Fixtures in the style of the Flask tutorial: app, client, runner, auth, api, factories."""

import os
import shutil
import tempfile
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests import factories
from vendor_tracker import create_app
from vendor_tracker.extensions import db

PASSWORD = "correct horse battery"


# Keep tests away from the real instance folder (its secret key, demo password, database).
os.environ.setdefault("VENDOR_TRACKER_INSTANCE", tempfile.mkdtemp(prefix="vt-test-instance-"))


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


@contextmanager
def seeded_app(tmp_path, database_url=None, **overrides):
    """`make_app` with the service-line taxonomy and the three users; disposed afterwards."""
    app = make_app(tmp_path, database_url, **overrides)
    with app.app_context():
        factories.seed_reference_data()
        factories.make_users(PASSWORD)
        db.session.commit()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    with seeded_app(tmp_path) as app:
        yield app


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
        email = role if "@" in role else f"{role}@example.com"
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
        """Bearer headers for `role`@example.com (or for a full e-mail address)."""
        if role not in self._tokens:
            email = role if "@" in role else f"{role}@example.com"
            answer = self._client.post(
                "/api/v1/auth/tokens", json={"email": email, "password": PASSWORD}
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


# The demo database's provider users and the demo vendor each acts for.
PROVIDER_VENDORS = {"provider@example.com": "Concentrix", "provider-b@example.com": "Evalueserve"}


def demo_vendor(name: str):
    """A demo vendor by name (inside an app context)."""
    from sqlalchemy import select

    from vendor_tracker.vendors.models import Vendor

    return db.session.execute(select(Vendor).where(Vendor.name == name)).scalar_one()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory):
    """A SQLite file with the taxonomy, the three test users, the full demo data and two provider
    users (`PROVIDER_VENDORS`), built once."""
    from vendor_tracker.demo import seed_all

    folder = tmp_path_factory.mktemp("demo-db")
    built = make_app(folder)
    with built.app_context():
        factories.seed_reference_data()
        factories.make_users(PASSWORD)
        seed_all()
        # provider@ acts for Concentrix (BPO), provider-b@ for Evalueserve (KPO).
        for email, name in PROVIDER_VENDORS.items():
            factories.make_provider(PASSWORD, demo_vendor(name), email=email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # closing the last connection folds the WAL into the file
    return folder / "test.sqlite3"


@pytest.fixture
def demo_app(tmp_path, demo_database):
    """Like `app`, on a private copy of the seeded demo database."""
    folder = tmp_path / "demo"  # apart from the `app` fixture's file in tmp_path
    folder.mkdir()
    shutil.copyfile(demo_database, folder / "test.sqlite3")
    app = make_app(folder)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def logged_in_client(app, role):
    """A new test client signed in (session cookie) as `role`@example.com (or an e-mail)."""
    client = app.test_client()
    email = role if "@" in role else f"{role}@example.com"
    answer = client.post("/login", data={"email": email, "password": PASSWORD})
    assert answer.status_code == 302, f"could not sign in as {role}"
    return client


# --- Walking every registered route (authorization, security headers) -------------------------

WALK_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
MISSING_ID = 999999
# Values for string URL parts that name files.
FILE_ARGUMENTS = {"static": "app.css", "bootstrap.static": "css/bootstrap.min.css"}


def demo_ids(app) -> dict[str, int]:
    """{"vendor_id": smallest vendor id, ...}: one existing row per table, by URL argument name."""
    from sqlalchemy import func, select

    ids = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if "id" not in table.c:
                continue
            found = db.session.execute(select(func.min(table.c.id))).scalar()
            if found is None:
                continue
            name = table.name
            singular = name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")
            ids.setdefault(f"{singular}_id", found)
            ids.setdefault(f"{name}_id", found)
    return ids


def _path_to_vendors(table, depth=4):
    """Foreign keys leading from `table` to the vendors table ([] for vendors itself), or None."""
    if table.name == "vendors":
        return []
    if depth == 0:
        return None
    for fk in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
        if fk.parent.name in ("created_by_id", "owner_id", "user_id"):
            continue  # people, not the records' owner company
        rest = _path_to_vendors(fk.column.table, depth - 1)
        if rest is not None:
            return [fk, *rest]
    return None


def vendor_record_ids(app, vendor_id: int) -> tuple[dict[str, int], set[str]]:
    """Like `demo_ids`, but each table that leads to a vendor gives its smallest row of
    `vendor_id`; also returns the argument names that name such vendor-bound records."""
    from sqlalchemy import func, select

    ids, bound = {}, set()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            path = _path_to_vendors(table) if "id" in table.c else None
            if path is None:
                continue
            stmt = select(func.min(table.c.id)).select_from(table)
            current = table
            for fk in path:
                target = fk.column.table
                stmt = stmt.join(target, fk.parent == fk.column)
                current = target
            stmt = stmt.where(current.c.id == vendor_id)
            found = db.session.execute(stmt).scalar()
            name = table.name
            singular = name[:-3] + "y" if name.endswith("ies") else name.removesuffix("s")
            for key in (f"{singular}_id", f"{name}_id"):
                bound.add(key)
                if found is not None:
                    ids.setdefault(key, found)
    return ids, bound


def rule_urls(rule, ids: dict[str, int]) -> list[str]:
    """Concrete URLs for `rule`: seeded ids where the argument name matches a table, else 999999;
    one URL per choice of an `any(...)` part."""
    import itertools
    from datetime import date

    from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

    today = date.today()
    options = {}
    for argument in rule.arguments:
        converter = rule._converters.get(argument)
        if isinstance(converter, AnyConverter):
            options[argument] = sorted(converter.items)
        elif rule.endpoint in FILE_ARGUMENTS and isinstance(converter, PathConverter):
            options[argument] = [FILE_ARGUMENTS[rule.endpoint]]
        elif argument == "year":
            options[argument] = [today.year]
        elif argument == "month":
            options[argument] = [today.month]
        elif isinstance(converter, IntegerConverter) or argument.endswith("id"):
            options[argument] = [ids.get(argument, MISSING_ID)]
        else:
            options[argument] = ["x"]
    names = sorted(options)
    return [
        rule.build(dict(zip(names, combination, strict=True)), append_unknown=False)[1]
        for combination in itertools.product(*(options[name] for name in names))
    ]


def walked_routes(app):
    """(endpoint, method, rule) for every registered route and method (HEAD/OPTIONS aside)."""
    found = []
    for rule in app.url_map.iter_rules():
        for method in WALK_METHODS:
            if method in rule.methods:
                found.append((rule.endpoint, method, rule))
    return sorted(found, key=lambda item: (item[2].rule, item[1]))


def declared_role(app, endpoint: str, method: str):
    """The minimum role a view declares with `auth.decorators.requires`, or None."""
    view = app.view_functions[endpoint]
    role = getattr(view, "required_role", None)
    view_class = getattr(view, "view_class", None)
    if role is None and view_class is not None:
        handler = getattr(view_class, method.lower(), None)
        role = getattr(handler, "required_role", None) or getattr(view_class, "required_role", None)
    return role
