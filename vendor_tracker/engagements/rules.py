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


AT_RISK_MAX_PCT = Decimal("20")
EARN_BACK_MAX_MONTHS = 12
MONEY_FIELDS = ("monthly_fee", "total_contract_value", "baseline_monthly_cost")


def money_problems(amounts: dict[str, Decimal | None]) -> dict[str, str]:
    """Money is never negative; at least a monthly fee or a total contract value is given."""
    problems: dict[str, str] = {}
    for name, amount in amounts.items():
        if amount is not None and (not amount.is_finite() or amount < 0):
            problems[name] = "Give an amount of zero or more."
    if amounts.get("monthly_fee") is None and amounts.get("total_contract_value") is None:
        problems["monthly_fee"] = "Give the monthly fee or the total contract value."
    return problems


def credit_terms_problems(
    kind: str, at_risk_pct: Decimal | None, earn_back_months: int | None
) -> dict[str, str]:
    """BPO service-credit terms: at risk 0..20 % of the monthly fee, earn-back 0..12 months."""
    problems: dict[str, str] = {}
    if kind != "BPO":
        if at_risk_pct is not None:
            problems["at_risk_pct"] = "Only BPO engagements put part of the fee at risk."
        if earn_back_months is not None:
            problems["earn_back_months"] = "Only BPO engagements have an earn-back window."
        return problems
    if at_risk_pct is not None and (
        not at_risk_pct.is_finite() or at_risk_pct < 0 or at_risk_pct > AT_RISK_MAX_PCT
    ):
        problems["at_risk_pct"] = f"The share at risk is from 0 to {AT_RISK_MAX_PCT} % of the fee."
    if earn_back_months is not None and not 0 <= earn_back_months <= EARN_BACK_MAX_MONTHS:
        problems["earn_back_months"] = (
            f"The earn-back window is 0 to {EARN_BACK_MAX_MONTHS} months."
        )
    return problems


def kind_change_problem(current_kind: str, requested_kind: str | None) -> str | None:
    """The kind of an engagement is fixed once it exists."""
    if requested_kind is not None and requested_kind != current_kind:
        return f"The kind is fixed once created; this engagement stays {current_kind}."
    return None


def monthly_cost(
    monthly_fee: Decimal | None,
    total_contract_value: Decimal | None,
    start: date | None,
    end: date | None,
) -> Decimal | None:
    """What the vendor costs per month: the fee, else the contract value spread over its months."""
    if monthly_fee is not None:
        return monthly_fee
    if total_contract_value is None or start is None or end is None:
        return None
    months = month_count(start, end)
    return to_cents(total_contract_value / months) if months else None


def term_savings(saving_per_month: Decimal | None, months: int | None) -> Decimal | None:
    """Savings over the whole term; None when either figure is missing."""
    if saving_per_month is None or not months:
        return None
    return to_cents(saving_per_month * months)
