"""Pure rules every engagement follows, whatever its kind."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class EngagementStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class PricingModel(StrEnum):
    PER_FTE = "per_fte"
    PER_TRANSACTION = "per_transaction"
    FIXED_FEE = "fixed_fee"
    TIME_AND_MATERIALS = "time_and_materials"
    OUTCOME_BASED = "outcome_based"

    @property
    def label(self) -> str:
        return {
            "per_fte": "Per FTE",
            "per_transaction": "Per transaction",
            "fixed_fee": "Fixed fee",
            "time_and_materials": "Time and materials",
            "outcome_based": "Outcome based",
        }[self.value]


CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> Decimal:
    """Round money half-up to cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def month_count(start: date, end: date) -> int:
    """Calendar months touched by [start, end], counting both ends (Jan 15 - Mar 1 is 3)."""
    if end < start:
        return 0
    return (end.year - start.year) * 12 + end.month - start.month + 1


def monthly_savings(baseline: Decimal | None, monthly_cost: Decimal | None) -> Decimal | None:
    """In-house baseline minus what the vendor costs per month; None without both figures."""
    if baseline is None or monthly_cost is None:
        return None
    return to_cents(baseline - monthly_cost)


def engagement_problems(
    kind: str, service_line_model: str | None, start: date | None, end: date | None
) -> dict[str, str]:
    """Field errors for an engagement's kind, service line and dates."""
    problems: dict[str, str] = {}
    if service_line_model is not None and service_line_model != kind:
        problems["service_line_id"] = (
            f"This service line is {service_line_model} work; a {kind} engagement needs a "
            f"{kind} service line."
        )
    if start and end and end < start:
        problems["end_date"] = "The end date cannot be before the start date."
    return problems
