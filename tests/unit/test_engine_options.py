"""Engine options per backend: PostgreSQL connections start with JIT off; SQLite is untouched."""

from sqlalchemy.engine import make_url

from vendor_tracker.core.database import engine_options

PG = "postgresql+psycopg://postgres@127.0.0.1:5432/vt"


def test_sqlite_options_are_unchanged_and_copied():
    given = {"pool_pre_ping": True}
    found = engine_options("sqlite:///x.sqlite3", given)
    assert found == {"pool_pre_ping": True}
    assert found is not given


def test_postgresql_connections_turn_jit_off(monkeypatch):
    monkeypatch.delenv("PGOPTIONS", raising=False)
    given = {"pool_pre_ping": True}
    found = engine_options(PG, given)
    assert found == {"pool_pre_ping": True, "connect_args": {"options": "-c jit=off"}}
    assert given == {"pool_pre_ping": True}  # the shared settings dict is not changed


def test_configured_or_environment_options_come_after_and_may_override(monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c search_path=app")
    assert engine_options(PG)["connect_args"]["options"] == "-c jit=off -c search_path=app"
    configured = {"connect_args": {"options": "-c jit=on", "connect_timeout": 5}}
    found = engine_options(PG, configured)["connect_args"]
    assert found == {"options": "-c jit=off -c jit=on", "connect_timeout": 5}
    assert configured["connect_args"] == {"options": "-c jit=on", "connect_timeout": 5}


def test_a_url_object_is_read_like_its_text(monkeypatch):
    monkeypatch.delenv("PGOPTIONS", raising=False)
    assert engine_options(make_url(PG))["connect_args"] == {"options": "-c jit=off"}
    assert engine_options(make_url("sqlite://")) == {}
