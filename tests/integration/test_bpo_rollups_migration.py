"""The migration fills the BPO rollups of data already stored, and `flask rollups check`
agrees with the rules on the demo data, on SQLite and PostgreSQL."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import func, inspect, select

from vendor_tracker import create_app
from vendor_tracker.engagements.bpo import rollups
from vendor_tracker.engagements.bpo.rollup_models import BpoMonthlyRollup
from vendor_tracker.extensions import db


def _rows() -> int:
    return db.session.execute(select(func.count()).select_from(BpoMonthlyRollup)).scalar_one()


def test_upgrading_demo_data_fills_the_rollups_and_check_is_clean(database_url):
    from vendor_tracker.demo import seed_all

    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url}
    )
    try:
        with app.app_context():
            upgrade()
            seed_all()
            db.session.commit()
            kept = _rows()
            assert kept > 0
            db.session.remove()  # no open transaction may hold the tables the migration drops
            # The database as it was before the rollups: demo data, no rollup table.
            downgrade(revision="0015")
            db.session.remove()
            assert "bpo_monthly_rollups" not in inspect(db.engine).get_table_names()
            upgrade()
            assert _rows() == kept
            assert rollups.check_all(db.session) == []
            db.session.remove()
        runner = app.test_cli_runner()
        checked = runner.invoke(args=["rollups", "check", "bpo"])
        assert checked.exit_code == 0, checked.output
        assert "bpo: no differences." in checked.output
        rebuilt = runner.invoke(args=["rollups", "rebuild", "bpo"])
        assert rebuilt.exit_code == 0, rebuilt.output
        assert f"bpo: {kept} rollup rows rebuilt." in rebuilt.output
        with app.app_context():
            eid, month, payable = db.session.execute(
                select(
                    BpoMonthlyRollup.engagement_id, BpoMonthlyRollup.month, BpoMonthlyRollup.payable
                ).limit(1)
            ).one()
            db.session.execute(
                BpoMonthlyRollup.__table__.update()
                .where(BpoMonthlyRollup.engagement_id == eid, BpoMonthlyRollup.month == month)
                .values(payable=payable + 1)
            )
            db.session.commit()
        broken = runner.invoke(args=["rollups", "check", "bpo"])
        assert broken.exit_code == 1
        assert (
            f"bpo: engagement {eid}, {month:%Y-%m}, payable: stored {payable + 1:.2f}, "
            f"fresh {payable:.2f}" in broken.output
        )
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
