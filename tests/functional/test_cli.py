"""The command line: seed, create-user, demo-admin."""

import pytest
from sqlalchemy import func, select

from tests.conftest import PASSWORD, make_app
from vendor_tracker.auth.models import User
from vendor_tracker.extensions import db
from vendor_tracker.vendors.models import Vendor


def _count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_seed_loads_the_six_demo_providers_once(app, runner):
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert "vendors 6" in first.output
    with app.app_context():
        names = set(db.session.execute(select(Vendor.name)).scalars())
    assert {"Concentrix", "Teleperformance", "Wipro BPO", "Genpact", "Evalueserve", "PwC"} <= names
    again = runner.invoke(args=["seed"])
    assert again.exit_code == 0, again.output
    assert "vendors 0" in again.output
    assert _count(app, Vendor) == 6


def test_seed_if_empty_leaves_a_used_database_alone(app, runner):
    runner.invoke(args=["seed"])
    answer = runner.invoke(args=["seed", "--if-empty"])
    assert answer.exit_code == 0
    assert "not loaded again" in answer.output


def test_create_user_with_password(app, runner):
    answer = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ops@Example.com",
            "--role",
            "manager",
            "--password",
            "a fine password",
        ]
    )
    assert answer.exit_code == 0, answer.output
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "ops@example.com")).scalar_one()
        assert user.role == "manager" and user.check_password("a fine password")


def test_create_user_prompts_for_the_password(app, runner):
    answer = runner.invoke(
        args=["create-user", "--email", "prompted@example.com", "--role", "viewer"],
        input="a fine password\na fine password\n",
    )
    assert answer.exit_code == 0, answer.output
    assert "a fine password" not in answer.output  # hidden input


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--email", "viewer@example.com", "--role", "viewer", "--password", PASSWORD],
            "already exists",
        ),
        (
            ["--email", "VIEWER@example.com", "--role", "viewer", "--password", PASSWORD],
            "already exists",
        ),
        (["--email", "short@example.com", "--role", "viewer", "--password", "short"], "at least 8"),
        (
            ["--email", "not-an-email", "--role", "viewer", "--password", PASSWORD],
            "Not a valid e-mail",
        ),
        (["--email", "x@example.com", "--role", "owner", "--password", PASSWORD], "Invalid value"),
    ],
)
def test_create_user_refuses_bad_input(app, runner, args, message):
    before = _count(app, User)
    answer = runner.invoke(args=["create-user", *args])
    assert answer.exit_code != 0
    assert message in answer.output
    assert _count(app, User) == before


def test_demo_admin_only_on_an_empty_user_table(tmp_path, monkeypatch):
    monkeypatch.setenv("VENDOR_TRACKER_INSTANCE", str(tmp_path / "instance"))
    app = make_app(tmp_path)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo-admin"])
    assert first.exit_code == 0, first.output
    assert "Sign in as admin@example.com with password " in first.output
    password = first.output.rsplit("password ", 1)[1].strip()
    assert len(password) >= 12
    assert (tmp_path / "instance" / "demo_admin_password").stat().st_mode & 0o077 == 0
    again = runner.invoke(args=["demo-admin"])
    assert again.output == first.output  # nothing new, same login printed
    assert _count(app, User) == 1
    assert (
        app.test_client()
        .post("/login", data={"email": "admin@example.com", "password": password})
        .status_code
        == 302
    )
    with app.app_context():
        admin = db.session.execute(select(User)).scalar_one()
        admin.set_password("changed by the admin")
        db.session.commit()
    after_change = runner.invoke(args=["demo-admin"])
    assert password not in after_change.output
    assert "existing account" in after_change.output
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_demo_admin_creates_nobody_when_users_exist(app, runner):
    before = _count(app, User)
    answer = runner.invoke(args=["demo-admin"])
    assert answer.exit_code == 0
    assert "existing account" in answer.output
    assert _count(app, User) == before
