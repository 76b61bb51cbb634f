"""Pure rules of the provider registry."""

from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

CERT_WARNING_DAYS = 60


class Model(StrEnum):
    """The two outsourcing models."""

    BPO = "BPO"
    KPO = "KPO"

    @property
    def label(self) -> str:
        return {
            "BPO": "BPO (business process outsourcing)",
            "KPO": "KPO (knowledge process outsourcing)",
        }[self.value]


class VendorStatus(StrEnum):
    PROSPECT = "prospect"
    APPROVED = "approved"
    PREFERRED = "preferred"
    ON_WATCH = "on_watch"
    OFFBOARDED = "offboarded"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Shore(StrEnum):
    ONSHORE = "onshore"
    NEARSHORE = "nearshore"
    OFFSHORE = "offshore"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CertificateState(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    NO_EXPIRY = "no_expiry"


def certificate_state(
    expires_on: date | None, today: date, warning_days: int = CERT_WARNING_DAYS
) -> CertificateState:
    """Expired when past its expiry date, expiring within `warning_days`, otherwise valid."""
    if expires_on is None:
        return CertificateState.NO_EXPIRY
    if expires_on < today:
        return CertificateState.EXPIRED
    if expires_on <= today + timedelta(days=warning_days):
        return CertificateState.EXPIRING
    return CertificateState.VALID


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def expiry_wording(expires_on: date | None, today: date) -> str:
    """How far the expiry date is, in words: "Expires in 35 days", "Expires today",
    "Expired 3 days ago", "No expiry date"."""
    if expires_on is None:
        return "No expiry date"
    days = (expires_on - today).days
    if days < 0:
        return f"Expired {_days(-days)} ago"
    return "Expires today" if days == 0 else f"Expires in {_days(days)}"


def models_served(service_line_models: list[str]) -> list[Model]:
    """The models a vendor serves, from the models of the service lines it offers."""
    present = {Model(m) for m in service_line_models}
    return [m for m in Model if m in present]


def parse_languages(text: str) -> list[str]:
    """Split a comma-separated language list, dropping blanks and duplicates, keeping order."""
    seen: dict[str, None] = {}
    for part in (text or "").split(","):
        name = part.strip()
        if name and name.lower() not in {k.lower() for k in seen}:
            seen[name] = None
    return list(seen)


ATTRITION_MIN = 0
ATTRITION_MAX = 100


def name_key(name: str) -> str:
    """The case-insensitive identity of a vendor name: inner spaces collapsed, lower case."""
    return " ".join((name or "").split()).lower()


def format_languages(text: str) -> str:
    """Store languages the way people read them: 'English, Spanish'."""
    return ", ".join(parse_languages(text))


def attrition_problem(attrition_pct: Decimal | None) -> str | None:
    """Why an annual attrition percentage is not acceptable, or None (missing is fine)."""
    if attrition_pct is None:
        return None
    if not attrition_pct.is_finite():
        return "Give a number."
    if attrition_pct < ATTRITION_MIN or attrition_pct > ATTRITION_MAX:
        return f"Annual attrition is a percentage from {ATTRITION_MIN} to {ATTRITION_MAX}."
    return None


def certification_problems(issued_on: date | None, expires_on: date | None) -> dict[str, str]:
    """Field errors for a certificate's dates: it cannot expire before it was issued."""
    if issued_on and expires_on and expires_on < issued_on:
        return {"expires_on": "The expiry date cannot be before the issue date."}
    return {}


def days_to_expiry(expires_on: date | None, today: date) -> int | None:
    """Days left before a certificate expires (negative once expired); None without a date."""
    return None if expires_on is None else (expires_on - today).days
