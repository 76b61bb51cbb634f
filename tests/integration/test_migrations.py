"""The Alembic history: one head, empty -> head, models == migrations, down to base and up again.

Runs on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too.
"""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from tests.conftest import make_app
from vendor_tracker import create_app
from vendor_tracker.extensions import db, migrate


@pytest.fixture
def migration_app(tmp_path, database_url):
    """An app on an empty database (no create_all: the migrations build the schema)."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _script(app) -> ScriptDirectory:
    with app.app_context():
        return ScriptDirectory.from_config(migrate.get_config())


def _tables(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine).get_table_names())


def _current(app) -> str | None:
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _differences(app) -> list:
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        return compare_metadata(context, db.metadata)


def test_history_has_exactly_one_head(tmp_path):
    app = make_app(tmp_path)
    assert len(_script(app).get_heads()) == 1


def test_every_revision_links_down_to_a_single_base(tmp_path):
    script = _script(make_app(tmp_path))
    assert len(script.get_bases()) == 1
    revisions = list(script.walk_revisions())
    assert revisions, "migrations/versions holds no revision"
    assert all(
        r.down_revision is not None for r in revisions if r.revision not in script.get_bases()
    )


def test_upgrade_from_empty_to_head(migration_app):
    assert _tables(migration_app) == set()
    with migration_app.app_context():
        upgrade()
    head = _script(migration_app).get_current_head()
    assert _current(migration_app) == head
    assert {"users", "audit_events", "vendors", "engagements"} <= _tables(migration_app)


def test_models_match_the_migrations(migration_app):
    with migration_app.app_context():
        upgrade()
    assert _differences(migration_app) == []


def test_downgrade_to_base_then_upgrade_again(migration_app):
    with migration_app.app_context():
        upgrade()
        downgrade(revision="base")
    assert _tables(migration_app) <= {"alembic_version"}
    assert _current(migration_app) is None
    with migration_app.app_context():
        upgrade()
    assert _current(migration_app) == _script(migration_app).get_current_head()


def test_each_step_goes_down_and_up_again(migration_app):
    """Stairway: for every revision, upgrade to it, step down one and up again."""
    revisions = list(reversed(list(_script(migration_app).walk_revisions())))
    with migration_app.app_context():
        for revision in revisions:
            upgrade(revision=revision.revision)
            downgrade(revision="-1")
            upgrade(revision=revision.revision)
    assert _current(migration_app) == revisions[-1].revision


def test_migrated_schema_accepts_the_demo_data(migration_app):
    from vendor_tracker.demo import seed_all

    with migration_app.app_context():
        upgrade()
        summary = seed_all()
        db.session.commit()
    assert summary["vendors"] == 6


def test_sqlite_connections_use_the_required_pragmas(tmp_path):
    app = make_app(tmp_path)
    with app.app_context(), db.engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "busy_timeout", "foreign_keys")
        }
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 1,
        "busy_timeout": 5000,
        "foreign_keys": 1,
    }


def test_postgres_url_is_normalised_to_psycopg3():
    from vendor_tracker.config import normalize_database_url

    assert normalize_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalize_database_url("sqlite:///x") == "sqlite:///x"
    assert create_engine(normalize_database_url("postgres://u@h/d")).dialect.driver == "psycopg"
