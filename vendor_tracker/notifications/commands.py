"""`flask send-notifications` (every minute) and `flask send-digest` (weekly)."""

from datetime import date

import click
from flask.cli import with_appcontext

from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.notifications import delivery, digest, mail, services

APP_ONLY = "MAIL_SERVER is not set: no email sent; notifications are shown in the app only."


def _today(value) -> date:
    return value.date() if value else utcnow().date()


def _run_scans(today: date) -> bool:
    """Add the time-based events of `today` (certificates, endings, due items) to the outbox;
    False when a scan failed (it is rolled back and reported; delivery still runs)."""
    try:
        created = services.run_scans(today)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 - a broken scan must not stop the emails
        db.session.rollback()
        click.echo(f"Scans failed, none added: {type(error).__name__}: {error}", err=True)
        return False
    click.echo(f"Scans: {created} new notification(s).")
    return True


TODAY_OPTION = click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day to act for (YYYY-MM-DD; default: today in UTC).",
)


@click.command("send-notifications")
@TODAY_OPTION
@with_appcontext
def send_notifications_command(today) -> None:
    """Add today's time-based notifications, then email every due one (safe to run every
    minute, on several hosts at once)."""
    scanned = _run_scans(_today(today))
    if not mail.mail_enabled():
        click.echo(APP_ONLY)
    else:
        try:
            report = delivery.deliver_pending()
        except mail.MailNotConfigured as problem:
            raise click.ClickException(str(problem)) from problem
        click.echo(report.summary())
    if not scanned:
        raise SystemExit(1)


@click.command("send-digest")
@TODAY_OPTION
@click.option("--dry-run", is_flag=True, help="Print who would get what; change nothing.")
@with_appcontext
def send_digest_command(today, dry_run: bool) -> None:
    """Put this ISO week's summary in the outbox of each user with something to report (once per
    user per week); `send-notifications` emails them."""
    day = _today(today)
    digests = digest.build_digests(day)
    for found in digests:
        click.echo(f"{found.email}: {found.subject(day)}")
    if dry_run:
        click.echo(f"Dry run: {len(digests)} digest(s) would be added; nothing changed.")
        return
    added = digest.record_digests(digests, day)
    db.session.commit()
    click.echo(f"{added} digest(s) added for {digest.week_key(day).removeprefix('digest:')}.")
    if not mail.mail_enabled():
        click.echo(APP_ONLY)
