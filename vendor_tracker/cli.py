"""Command-line tasks: `flask --app app seed | create-user | demo-admin`."""

import secrets
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from vendor_tracker.auth.models import User
from vendor_tracker.auth.rules import Role, password_problem
from vendor_tracker.auth.services import create_user, user_by_email
from vendor_tracker.core.hooks import vendor_names
from vendor_tracker.engagements import digest_items  # noqa: F401 - what waits, in the digest
from vendor_tracker.extensions import db
from vendor_tracker.notifications.commands import send_digest_command, send_notifications_command
from vendor_tracker.rollups_cli import rollups_group

DEMO_ADMIN_EMAIL = "admin@example.com"
# Written by the seed (vendor_tracker.demo.DEMO_PROVIDER_LOGINS); read here without importing it.
DEMO_PROVIDER_LOGINS = "demo_provider_logins"
MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds


def register_commands(app: Flask) -> None:
    """Attach the commands to the app's CLI."""
    app.cli.add_command(seed_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_admin_command)
    app.cli.add_command(send_notifications_command)
    app.cli.add_command(send_digest_command)
    app.cli.add_command(rollups_group)


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Only load the demo data into an empty database.")
def seed_command(if_empty: bool) -> None:
    """Load the taxonomy, KPI library and demo data (safe to run again)."""
    from vendor_tracker.demo import database_is_empty, seed_all

    if if_empty and not database_is_empty():
        click.echo("Database already holds vendors; demo data not loaded again.")
        return
    summary = seed_all()
    db.session.commit()
    click.echo("Seeded: " + ", ".join(f"{k} {v}" for k, v in summary.items()))


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="")
@click.option("--password", help="Prompted for (hidden) when not given.")
@click.option(
    "--vendor-id",
    type=int,
    default=None,
    help="The vendor a provider user acts for (required for --role provider, refused otherwise).",
)
def create_user_command(
    email: str, role: str, name: str, password: str | None, vendor_id: int | None
) -> None:
    """Create a user with a role (a provider's bound to one vendor)."""
    try:
        email = validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as problem:
        raise click.ClickException(f"Not a valid e-mail address: {problem}") from problem
    if user_by_email(email):
        raise click.ClickException(f"A user with e-mail {email} already exists.")
    _check_vendor(role, vendor_id)
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    create_user(email, password, role, name, vendor_id=vendor_id)
    db.session.commit()
    acting = f" acting for {vendor_names([vendor_id])[vendor_id]}" if vendor_id else ""
    click.echo(f"Created {role} {email.strip().lower()}{acting}.")


def _check_vendor(role: str, vendor_id: int | None) -> None:
    """A provider user needs an existing vendor; a client user takes none."""
    if role != Role.PROVIDER.value:
        if vendor_id is not None:
            raise click.ClickException(
                f"--vendor-id is only for provider users; a {role} is client staff and acts for "
                "no vendor."
            )
        return
    if vendor_id is None:
        raise click.ClickException("A provider user needs --vendor-id (the vendor they act for).")
    if not 0 < vendor_id <= MAX_ID or vendor_id not in vendor_names([vendor_id]):
        raise click.ClickException(f"No vendor has the id {vendor_id}.")


@click.command("demo-admin")
@with_appcontext
def demo_admin_command() -> None:
    """Create a demo admin when there is no user at all, and print how to sign in."""
    password_file = Path(current_app.instance_path) / "demo_admin_password"
    user_count = db.session.execute(select(func.count()).select_from(User)).scalar_one()
    if user_count == 0:
        password = secrets.token_urlsafe(12)
        create_user(DEMO_ADMIN_EMAIL, password, Role.ADMIN, "Demo admin")
        db.session.commit()
        password_file.write_text(password)
        password_file.chmod(0o600)
    admin = user_by_email(DEMO_ADMIN_EMAIL)
    # Print the saved password only while it still opens the account (an admin may change it).
    if admin and password_file.exists() and admin.check_password(password_file.read_text()):
        click.echo(f"Sign in as {DEMO_ADMIN_EMAIL} with password {password_file.read_text()}")
    else:
        click.echo("Sign in with an existing account (flask --app app create-user adds one).")
    # The demo provider users the seed created, likewise while their password still opens them.
    for email, password in _demo_provider_logins():
        provider = user_by_email(email)
        if provider and provider.is_provider and provider.check_password(password):
            company = vendor_names([provider.vendor_id]).get(provider.vendor_id, "its vendor")
            click.echo(f"Provider portal for {company}: {email} with password {password}")


def _demo_provider_logins() -> list[tuple[str, str]]:
    """(e-mail, password) of the demo provider users the seed created (instance file)."""
    path = Path(current_app.instance_path) / DEMO_PROVIDER_LOGINS
    if not path.exists():
        return []
    lines = (line.split(" ", 1) for line in path.read_text().splitlines() if " " in line)
    return [(email, password) for email, password in lines]
