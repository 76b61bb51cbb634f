"""Email messages for notifications and the SMTP connection that sends them (Flask-Mail).

A message carries only what the notification itself holds (its subject, plain-text body and
link), so nothing reaches an inbox that the recipient may not see in the app.
"""

import smtplib
from dataclasses import dataclass

from flask import current_app, render_template
from flask_mail import Connection, Mail, Message

# Seconds to wait for the SMTP server to answer before counting the attempt as failed.
SMTP_TIMEOUT_SECONDS = 20
SETTINGS_PATH = "/notifications/settings"
LIST_PATH = "/notifications"


class MailNotConfigured(Exception):
    """Email is switched on (MAIL_SERVER) but a setting it needs is missing."""


@dataclass(frozen=True, slots=True)
class Letter:
    """What one email says: recipient, subject, both bodies (links already absolute)."""

    to: str
    subject: str
    text: str
    html: str


def mail_enabled(config=None) -> bool:
    """True when MAIL_SERVER is set: without it notifications stay in the app only."""
    config = config if config is not None else current_app.config
    return bool((config.get("MAIL_SERVER") or "").strip())


def base_url(config=None) -> str:
    """The app's public address for absolute links: BASE_URL, else PREFERRED_URL_SCHEME and
    SERVER_NAME; MailNotConfigured when neither is set."""
    config = config if config is not None else current_app.config
    configured = (config.get("BASE_URL") or "").strip().rstrip("/")
    if configured:
        return configured
    server = (config.get("SERVER_NAME") or "").strip()
    if server:
        return f"{config.get('PREFERRED_URL_SCHEME') or 'https'}://{server}"
    raise MailNotConfigured(
        "Set BASE_URL (e.g. https://vendors.example.com) so that emails can link to the app."
    )


def absolute_link(base: str, path: str) -> str:
    """`path` inside the app as a full address under `base`; anything that is not a plain path
    inside the app (empty, another site, //host) points at the notifications page instead."""
    path = (path or "").strip()
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        path = LIST_PATH
    return base + path


def compose(notification, recipient_email: str, base: str) -> Letter:
    """The email for one notification: plain text and autoescaped HTML from the templates."""
    context = {
        "subject": notification.subject,
        "body": notification.body or "",
        "link": absolute_link(base, notification.link),
        "settings_link": base + SETTINGS_PATH,
        "list_link": base + LIST_PATH,
        "is_digest": notification.kind == "digest",
    }
    return Letter(
        to=recipient_email,
        # One line: a line break in a header would be refused by the mail library.
        subject=" ".join((notification.subject or "Notification").split()),
        text=render_template("notifications/email/notification.txt", **context),
        html=render_template("notifications/email/notification.html", **context),
    )


class _TimedConnection(Connection):
    """Flask-Mail's connection with a timeout, so a silent server cannot hang the command."""

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = smtp_class(state.server, state.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if state.use_tls:
                host.starttls()
            if state.username and state.password:
                host.login(state.username, state.password)
        except BaseException:
            host.close()  # a refused login or STARTTLS must not leave the socket open
            raise
        return host


class Mailer:
    """One SMTP session for a batch of letters, opened on the first letter and reopened after a
    failure; built from the app's current MAIL_* settings."""

    def __init__(self, config=None):
        config = config if config is not None else current_app.config
        if not (config.get("MAIL_DEFAULT_SENDER") or "").strip():
            raise MailNotConfigured("Set MAIL_DEFAULT_SENDER (the From address of the emails).")
        # As Mail.init_app, but sending also under TESTING unless MAIL_SUPPRESS_SEND says not
        # to (Flask-Mail reads the state back from app.extensions while building a message).
        self.state = Mail().init_mail(config, debug=False, testing=False)
        current_app.extensions["mail"] = self.state
        self.sender = config["MAIL_DEFAULT_SENDER"]
        self.secrets = [s for s in (config.get("MAIL_PASSWORD"), config.get("MAIL_USERNAME")) if s]
        self.connection: _TimedConnection | None = None

    def send(self, letter: Letter) -> None:
        """Send one letter; raises whatever the connection or the server refused."""
        if self.connection is None:
            connection = _TimedConnection(self.state)
            self.connection = connection.__enter__()
        message = Message(
            subject=letter.subject,
            recipients=[letter.to],
            body=letter.text,
            html=letter.html,
            sender=self.sender,
        )
        try:
            self.connection.send(message)
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """End the SMTP session (quietly: the server may already be gone)."""
        connection, self.connection = self.connection, None
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (smtplib.SMTPException, OSError):
                connection.host.close()

    def reason(self, error: Exception) -> str:
        """A short reason for the outbox row: the error's type and text, never the password or
        the user name, at most 500 characters."""
        text = f"{type(error).__name__}: {error}"
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text[:500]
