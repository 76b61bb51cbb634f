"""The app's PostgreSQL connections run without JIT compilation: on a report statement JIT spent
~300 ms of 366 ms compiling. Runs when TEST_DATABASE_URL names a PostgreSQL database."""

import pytest
from sqlalchemy import text

from tests.conftest import postgres_url, seeded_app
from vendor_tracker.extensions import db

POSTGRES = [postgres_url()] if postgres_url() else []


@pytest.mark.parametrize("url", POSTGRES)
def test_every_postgresql_connection_of_the_app_has_jit_off(tmp_path, url):
    with seeded_app(tmp_path, url) as app, app.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        # Each pooled connection is opened with the option, not only the first one.
        with db.engine.connect() as first, db.engine.connect() as second:
            assert first.execute(text("SHOW jit")).scalar_one() == "off"
            assert second.execute(text("SHOW jit")).scalar_one() == "off"


@pytest.mark.parametrize("url", POSTGRES)
def test_options_given_in_the_environment_still_apply(tmp_path, url, monkeypatch):
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=4321")
    with seeded_app(tmp_path, url) as app, app.app_context():
        assert db.session.execute(text("SHOW jit")).scalar_one() == "off"
        assert db.session.execute(text("SHOW statement_timeout")).scalar_one() == "4321ms"
