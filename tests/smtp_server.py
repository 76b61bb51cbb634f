"""A real SMTP server for tests: aiosmtpd on a free loopback port, keeping what it receives."""

import socket
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    """A loopback port nothing listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(e.content, policy=default_policy) for e in self.envelopes]


class SmtpServer:
    """A real SMTP server on 127.0.0.1:`port`, started and stopped by the test."""

    def __init__(self, port: int | None = None, login: tuple[str, str] | None = None):
        self.port = port or free_port()
        self.inbox = Inbox()
        self.controller = None
        self.login = login  # (user, password) the server requires, over plain SMTP

    def _authenticate(self, _server, _session, _envelope, _mechanism, data):
        ok = isinstance(data, LoginPassword) and self.login == (
            data.login.decode(),
            data.password.decode(),
        )
        return AuthResult(success=ok, handled=False)

    def start(self):
        options = {}
        if self.login:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,
            }
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **options)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def use_mail(app, port, base="https://vendors.example.com", **extra):
    """Point the app's email delivery at 127.0.0.1:`port` (no TLS, no login)."""
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": "Vendor tracker <noreply@vendors.example.com>",
        "BASE_URL": base,
    }
    app.config.update({**settings, **extra})
