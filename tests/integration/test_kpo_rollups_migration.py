"""Migration 0017 creates the KPO rollups AND fills them for the deliverables already stored:
a database at 0016 with the demo data, upgraded, checks clean (SQLite, and PostgreSQL when set)."""

from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session

from tests import factories
from vendor_tracker import create_app
from vendor_tracker.demo import seed_all
from vendor_tracker.engagements.kpo import rollups
from vendor_tracker.engagements.kpo.rollup_models import KpoMonthlyRollup
from vendor_tracker.extensions import db
from vendor_tracker.reporting import score_store


@pytest.fixture
def migration_app(database_url):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url}
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_upgrade_fills_the_rollups_of_the_stored_deliverables(migration_app):
    with migration_app.app_context():
        upgrade(revision="0016")
        # At 0016 the table does not exist yet: the data is written as the previous release
        # wrote it, without KPO rollups or stored scorecards.
        event.remove(Session, "after_flush", rollups._after_flush)
        event.remove(Session, "before_commit", score_store._before_commit)
        try:
            factories.make_users("a-long-test-password")
            seed_all(date(2026, 11, 21))
            db.session.commit()
        finally:
            rollups.register_rollup_listener()
            score_store.register_score_listeners()
        assert "kpo_monthly_rollups" not in inspect(db.engine).get_table_names()
        upgrade()
        rows = db.session.execute(select(func.count()).select_from(KpoMonthlyRollup)).scalar()
        assert rows > 0
        assert rollups.KpoRollupKeeper().check() == []
        db.session.rollback()
        downgrade(revision="0016")
        assert "kpo_monthly_rollups" not in inspect(db.engine).get_table_names()
