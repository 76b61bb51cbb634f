"""Pure rules of the provider registry."""

from datetime import date, timedelta
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
