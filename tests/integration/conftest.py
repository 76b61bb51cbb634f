"""Database backends for integration tests: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.

Tests that take `database_url` run once per available backend (no skip: a backend that is not
configured simply adds no parameter).
"""

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import postgres_url, seeded_app


def available_backends() -> list[str]:
    """The backends this run can reach."""
    return ["sqlite"] + (["postgresql"] if postgres_url() else [])


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database completely (tables, alembic_version, sequences)."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=available_backends())
def database_url(request, tmp_path):
    """An empty database on each backend in turn."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = postgres_url()
    reset_postgres(url)
    yield url
    reset_postgres(url)


@pytest.fixture(params=available_backends())
def app(request, tmp_path):
    """The root `app` fixture, run once per backend: integration tests that use `app`, `ctx` or
    `client` also run on PostgreSQL when TEST_DATABASE_URL is set."""
    url = postgres_url() if request.param == "postgresql" else None
    if url:
        reset_postgres(url)
    with seeded_app(tmp_path, url) as built:
        yield built
