"""`flask send-notifications` (every minute) and `flask send-digest` (weekly)."""

from datetime import date

import click
from flask.cli import with_appcontext

from vendor_tracker.core.models import utcnow
from vendor_tracker.extensions import db
from vendor_tracker.notifications import delivery, digest, mail

APP_ONLY = "MAIL_SERVER is not set: no email sent; notifications are shown in the app only."


def _today(value) -> date:
    return value.date() if value else utcnow().date()


def _run_scans(today: date) -> int | None:
    """The time-based events of `today` (certificates, endings, due items) into the outbox, or
    None when this release has no scans."""
    try:
        from vendor_tracker.notifications import services
    except ModuleNotFoundError as missing:  # a release without producers: delivery only
        if missing.name != "vendor_tracker.notifications.services":
            raise
        return None
    scans = getattr(services, "run_scans", None)
    if scans is None:
        return None
    created = scans(today)
    db.session.commit()
    return created


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
    created = _run_scans(_today(today))
    if created is not None:
        click.echo(f"Scans: {created} new notification(s).")
    if not mail.mail_enabled():
        click.echo(APP_ONLY)
        return
    try:
        report = delivery.deliver_pending()
    except mail.MailNotConfigured as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(report.summary())


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
