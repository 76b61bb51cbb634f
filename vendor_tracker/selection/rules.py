"""Pure rules of the selection workflow: request statuses and who may award what."""

from dataclasses import dataclass, field
from enum import StrEnum

REASON_MIN = 10


class RequestStatus(StrEnum):
    DRAFT = "draft"
    EVALUATING = "evaluating"
    AWARDED = "awarded"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Statuses a person may set by editing; "awarded" is reached only through the award.
EDITABLE_STATUSES = (RequestStatus.DRAFT, RequestStatus.EVALUATING, RequestStatus.CANCELLED)
OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.EVALUATING)


def is_open(status: str) -> bool:
    """True while the request can still change (draft or evaluating)."""
    return RequestStatus(status) in OPEN_STATUSES


@dataclass(frozen=True)
class AwardCheck:
    """Field errors that block an award and warnings the user should read first."""

    errors: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def effective_model(advised: str | None, override: str | None) -> str | None:
    """The model the request runs as: the override when one is set, else the advice."""
    return override or advised


def award_check(
    *,
    request_status: str,
    is_top_ranked: bool,
    reason: str,
    vendor_status: str,
    standing_band: str | None,
    user_is_admin: bool,
    kind: str | None,
    service_line_model: str | None,
) -> AwardCheck:
    """Decide whether this award may go ahead.

    A reason is required when the pick is not (jointly) top-ranked; a vendor on watch (by
    status or standing) gives a warning; a vendor in poor standing needs an admin and a reason;
    offboarded vendors cannot be awarded; the engagement kind must be BPO or KPO and match the
    service line's model.
    """
    errors: dict[str, str] = {}
    warnings: list[str] = []
    reason = (reason or "").strip()
    if not is_open(request_status):
        errors["_request"] = f"This request is {request_status}; it cannot be awarded again."
    if vendor_status == "offboarded":
        errors["candidate_id"] = "This vendor is offboarded and cannot be awarded."
    if standing_band == "poor":
        if not user_is_admin:
            errors["candidate_id"] = (
                "This vendor is in poor standing: only an admin may award it, with a reason."
            )
        elif len(reason) < REASON_MIN:
            errors["reason"] = (
                f"The vendor is in poor standing: give a reason of at least {REASON_MIN} "
                "characters."
            )
    if not is_top_ranked and len(reason) < REASON_MIN and "reason" not in errors:
        errors["reason"] = (
            f"This candidate is not the top-ranked one: give a reason of at least {REASON_MIN} "
            "characters."
        )
    if vendor_status == "on_watch" or standing_band == "watch":
        warnings.append("This vendor is on watch: plan closer oversight from the start.")
    if kind not in ("BPO", "KPO"):
        errors["kind"] = "Choose whether this engagement is BPO or KPO."
    elif service_line_model and service_line_model != kind:
        errors["kind"] = (
            f"The request's service line is {service_line_model} work but the engagement would "
            f"be {kind}: change the service line or override the advisor."
        )
    return AwardCheck(errors, tuple(warnings))
