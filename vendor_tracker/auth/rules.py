"""Pure rules about roles and passwords."""

from enum import StrEnum

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128


class Role(StrEnum):
    """What a user may do; each client role includes the ones below it.

    `provider` is a user of an outsourcing provider, bound to one vendor: it ranks below every
    client role and reaches only the pages and API operations marked for providers, and there
    only its own vendor's records.
    """

    PROVIDER = "provider"
    VIEWER = "viewer"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return {"provider": -1, "viewer": 0, "manager": 1, "admin": 2}[self.value]

    @property
    def label(self) -> str:
        return {
            "provider": "Provider (their own company's work only)",
            "viewer": "Viewer (read only)",
            "manager": "Manager (create and edit business records)",
            "admin": "Admin (everything, including users)",
        }[self.value]

    @property
    def is_client(self) -> bool:
        """Staff of the client company (every role but provider)."""
        return self is not Role.PROVIDER


def role_allows(user_role: str | Role, required: str | Role) -> bool:
    """True when a user holding `user_role` may do what needs `required`."""
    return Role(user_role).rank >= Role(required).rank


def password_problem(password: str) -> str | None:
    """Return why a password is unacceptable, or None when it is fine."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Use at least {PASSWORD_MIN_LENGTH} characters."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Use at most {PASSWORD_MAX_LENGTH} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    return None
