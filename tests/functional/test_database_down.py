"""When the database cannot be reached: 503 with the security headers, never a bare 500, and
back to normal without a restart once it answers again."""

import contextlib
import http.client
import json
import socket
import threading
from urllib.parse import urlencode

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.serving import make_server

from tests.conftest import PASSWORD, ApiActions, postgres_url, seeded_app
from tests.functional.test_security_headers import header_problems
from vendor_tracker import create_app
from vendor_tracker.extensions import db

SECRET = "test-secret"  # noqa: S105 - tests only, shared by the two apps below

# Databases that refuse every connection: a closed port, a file in a folder that does not exist.
UNREACHABLE = {
    "postgresql-closed-port": "postgresql+psycopg://postgres@127.0.0.1:1/none",
    "sqlite-missing-folder": "sqlite:////nonexistent-folder/vendor_tracker/none.sqlite3",
}


def down_app(database_url: str):
    """An app as production runs it (errors not propagated) on a database that refuses."""
    return create_app(
        {
            "TESTING": False,
            "SECRET_KEY": SECRET,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )


@pytest.fixture
def credentials(tmp_path):
    """A session cookie and a bearer token issued while the database was up."""
    with seeded_app(tmp_path, SECRET_KEY=SECRET) as app:
        client = app.test_client()
        answer = client.post("/login", data={"email": "viewer@example.com", "password": PASSWORD})
        assert answer.status_code == 302
        cookie = client.get_cookie("session").value
        token = ApiActions(client).headers("viewer")
    return cookie, token


def assert_unavailable_page(answer):
    assert answer.status_code == 503, answer.data[:300]
    assert answer.mimetype == "text/html"
    assert b"not available" in answer.data.lower()
    assert header_problems(answer) == []
    # 30 s, or the sign-in throttle's own window on its routes (it sets Retry-After there).
    assert int(answer.headers["Retry-After"]) >= 30


def assert_unavailable_json(answer):
    assert answer.status_code == 503, answer.data[:300]
    assert answer.get_json()["error"]["code"] == "unavailable"
    # 30 s, or the sign-in throttle's own window on its routes (it sets Retry-After there).
    assert int(answer.headers["Retry-After"]) >= 30
    assert header_problems(answer) == []


@pytest.mark.parametrize("database_url", UNREACHABLE.values(), ids=UNREACHABLE.keys())
def test_every_kind_of_request_answers_503_with_headers(database_url, credentials):
    cookie, token = credentials
    client = down_app(database_url).test_client()
    # A page that reads the database for an anonymous user: signing in.
    assert_unavailable_page(
        client.post("/login", data={"email": "viewer@example.com", "password": PASSWORD})
    )
    assert_unavailable_json(client.get("/api/v1/vendors", headers=token))
    assert_unavailable_json(
        client.post("/api/v1/auth/tokens", json={"email": "a@example.com", "password": "x"})
    )
    health = client.get("/health")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"
    # Signed in: the user is loaded from the database before any view (and by the error pages).
    client.set_cookie("session", cookie)
    for url in ("/", "/vendors", "/no-such-page"):
        assert_unavailable_page(client.get(url))
    # The login page itself needs no database for an anonymous visitor.
    client.delete_cookie("session")
    assert client.get("/login").status_code == 200


def _connection_lost(kind):
    cause = Exception("server closed the connection unexpectedly")
    if kind is DBAPIError:
        return DBAPIError("SELECT 1", {}, cause, connection_invalidated=True)
    return kind("SELECT 1", {}, cause)


@pytest.mark.parametrize("kind", [OperationalError, InterfaceError, DBAPIError])
def test_a_connection_lost_inside_a_view_is_503(app, client, auth, api, monkeypatch, kind):
    """The database may go away after the signed-in user was loaded, while the view runs."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production

    def lost():
        raise _connection_lost(kind)

    auth.login("viewer")
    monkeypatch.setattr("vendor_tracker.core.routes.home_page_section", lost)
    assert_unavailable_page(client.get("/"))
    monkeypatch.setattr("vendor_tracker.vendors.services.load_vendor", lambda _id: lost())
    assert_unavailable_json(api.get("/api/v1/vendors/1", role="viewer"))


def test_a_refused_statement_is_not_called_unavailable(app, client, auth, monkeypatch):
    """Only connection failures are 503: a statement the database refuses stays a server error."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def refused():
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    auth.login("viewer")
    monkeypatch.setattr("vendor_tracker.core.routes.home_page_section", refused)
    answer = client.get("/")
    assert answer.status_code == 500
    assert "Retry-After" not in answer.headers


# --- Recovery on a real server: the database goes away and comes back ----------------------


class DatabaseRelay:
    """A TCP relay between the app and PostgreSQL that a test can cut (connections dropped, new
    ones refused, as when the server stops) and restore on the same port."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._open: list[socket.socket] = []
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._open = self._open, []
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            upstream = socket.create_connection(self.target)
            with self._lock:
                self._open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class Browser:
    """A minimal HTTP client with one session cookie, against a live server."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = None

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        answer.body = answer.read()
        connection.close()
        if cookie := answer.getheader("Set-Cookie"):
            self.cookie = cookie.split(";", 1)[0]
        return answer


@pytest.fixture
def relayed_server(tmp_path):
    """The app on a live server, its PostgreSQL reached through a relay the test controls."""
    url = postgres_url()
    if not url:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL (the relay cuts a TCP connection)")
    target = make_url(url)
    relay = DatabaseRelay(target.host or "127.0.0.1", target.port or 5432)
    relay.start()
    relayed = target.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    with seeded_app(tmp_path, relayed, TESTING=False) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server.server_port, relay
        finally:
            relay.cut()
            relay.start()
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
                db.drop_all()
    relay.cut()


def _statuses(browser: Browser, token: str) -> dict:
    answers = {
        "page": browser.request("GET", "/vendors"),
        "api": browser.request("GET", "/api/v1/vendors", headers={"Authorization": token}),
        "health": browser.request("GET", "/health"),
    }
    for name, answer in answers.items():
        if answer.status == 503 and name != "health":
            assert answer.getheader("Retry-After") == "30"
            assert answer.getheader("Content-Security-Policy"), name
            assert answer.getheader("X-Content-Type-Options") == "nosniff"
        if answer.status == 503 and name == "api":
            assert json.loads(answer.body)["error"]["code"] == "unavailable"
    return {name: answer.status for name, answer in answers.items()}


@pytest.mark.postgres
def test_the_app_recovers_when_the_database_comes_back(relayed_server):
    port, relay = relayed_server
    browser = Browser(port)
    signed_in = browser.request(
        "POST",
        "/login",
        body=urlencode({"email": "viewer@example.com", "password": PASSWORD}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert signed_in.status == 302
    issued = browser.request(
        "POST",
        "/api/v1/auth/tokens",
        body=json.dumps({"email": "viewer@example.com", "password": PASSWORD}),
        headers={"Content-Type": "application/json"},
    )
    token = "Bearer " + json.loads(issued.body)["token"]
    up = {"page": 200, "api": 200, "health": 200}
    assert _statuses(browser, token) == up

    relay.cut()  # the server stops: pooled connections drop, new ones are refused
    assert _statuses(browser, token) == {"page": 503, "api": 503, "health": 503}

    relay.start()  # the same server is back: no restart of the app
    assert _statuses(browser, token) == up

    # Connections dropped while idle are noticed before use (pool_pre_ping), not as an error.
    relay.cut()
    relay.start()
    assert _statuses(browser, token) == up
