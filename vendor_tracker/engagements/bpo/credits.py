"""Pure service-credit rules: credit per breach, earn-back, the monthly cap, the ledger.

Money is Decimal rounded half-up to cents; the standard library only.

A credit the client waived (a provider's dispute resolved as `waived`) stays on the ledger as a
breach with its amount, but counts in none of the sums: the monthly cap and the earn-back of the
other credits are computed as if it had never been owed. Its own earn-back state is still shown.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from vendor_tracker.engagements.bpo.sla import (
    Classification,
    LevelTerms,
    MonthStatus,
    shift_month,
)

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AT_RISK_PCT = Decimal("20")


def cents(amount: Decimal) -> Decimal:
    """Round money half-up to cents."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class EarnBack(StrEnum):
    PENDING = "pending"
    EARNED = "earned"
    FINAL = "final"

    @property
    def label(self) -> str:
        return {"pending": "Pending", "earned": "Earned back", "final": "Final"}[self.value]


@dataclass(frozen=True)
class CreditTerms:
    """The engagement's credit terms; `end_month` is the month its window ends (or None)."""

    monthly_fee: Decimal | None
    at_risk_pct: Decimal | None
    earn_back_months: int = 0
    end_month: date | None = None

    @property
    def has_credits(self) -> bool:
        return bool(self.monthly_fee) and bool(self.at_risk_pct)

    @property
    def at_risk_amount(self) -> Decimal:
        """Monthly fee x at-risk % / 100: the most one month's credits can cost the provider."""
        if not self.has_credits:
            return ZERO
        return cents(self.monthly_fee * self.at_risk_pct / Decimal(100))

    def credit_for(self, allocation_pct: Decimal | None) -> Decimal:
        """Monthly fee x at-risk % x allocation % / 10 000 for one breach."""
        if not self.has_credits or not allocation_pct:
            return ZERO
        return cents(self.monthly_fee * self.at_risk_pct * allocation_pct / Decimal(10_000))


def at_risk_problem(at_risk_pct: Decimal | None) -> str | None:
    """The at-risk share of the fee lies in 0..20 % (10-12 % is typical)."""
    if at_risk_pct is not None and not Decimal(0) <= at_risk_pct <= MAX_AT_RISK_PCT:
        return "The at-risk percentage must lie between 0 and 20 %."
    return None


def earn_back_state(
    month: date,
    window: int,
    later_statuses: Mapping[date, MonthStatus],
    end_month: date | None = None,
) -> EarnBack:
    """Earned when the level is met in each of the next `window` months; final once one is not.

    Months not known yet (missing from `later_statuses`, or open) keep the credit pending. A
    credit whose engagement ends before `window` further months exist is final.
    """
    if window <= 0:
        return EarnBack.FINAL
    if end_month is not None and shift_month(month, window) > end_month:
        return EarnBack.FINAL
    for step in range(1, window + 1):
        status = later_statuses.get(shift_month(month, step))
        if status is MonthStatus.MET:
            continue
        if status is None or status is MonthStatus.OPEN:
            return EarnBack.PENDING
        return EarnBack.FINAL
    return EarnBack.EARNED


@dataclass(frozen=True)
class Credit:
    """One breach of one critical service level in one month."""

    level_id: int
    level_name: str
    month: date
    allocation_pct: Decimal
    amount: Decimal
    state: EarnBack
    waived: bool = False  # excluded from every sum of the ledger (see the module docstring)


@dataclass(frozen=True)
class MonthCredits:
    """A ledger line: a month's credits, what was earned back, the cap, the payable amount."""

    month: date
    credits: tuple[Credit, ...]
    at_risk: Decimal

    def _sum(self, *states: EarnBack) -> Decimal:
        return sum((c.amount for c in self.credits if c.state in states and not c.waived), ZERO)

    @property
    def breaches(self) -> int:
        """Breaches of critical levels, waived ones included: the breach still happened."""
        return len(self.credits)

    @property
    def waived(self) -> Decimal:
        """The amounts of the month's waived credits (owed by none of the sums below)."""
        return sum((c.amount for c in self.credits if c.waived), ZERO)

    @property
    def gross(self) -> Decimal:
        return self._sum(EarnBack.PENDING, EarnBack.EARNED, EarnBack.FINAL)

    @property
    def earned_back(self) -> Decimal:
        return self._sum(EarnBack.EARNED)

    @property
    def pending(self) -> Decimal:
        return self._sum(EarnBack.PENDING)

    @property
    def not_earned_back(self) -> Decimal:
        return self._sum(EarnBack.PENDING, EarnBack.FINAL)

    @property
    def payable(self) -> Decimal:
        """min(credits not earned back, at-risk amount)."""
        return min(self.not_earned_back, self.at_risk)

    @property
    def cap_reduction(self) -> Decimal:
        """How much the at-risk cap took off the credits not earned back."""
        return self.not_earned_back - self.payable

    @property
    def cap_applied(self) -> bool:
        return self.cap_reduction > 0


@dataclass(frozen=True)
class Ledger:
    """Credit lines for a run of months, with totals."""

    months: tuple[MonthCredits, ...]
    at_risk: Decimal

    def _total(self, name: str) -> Decimal:
        return sum((getattr(m, name) for m in self.months), ZERO)

    @property
    def breaches(self) -> int:
        return sum(m.breaches for m in self.months)

    @property
    def gross(self) -> Decimal:
        return self._total("gross")

    @property
    def earned_back(self) -> Decimal:
        return self._total("earned_back")

    @property
    def pending(self) -> Decimal:
        return self._total("pending")

    @property
    def waived(self) -> Decimal:
        return self._total("waived")

    @property
    def cap_reduction(self) -> Decimal:
        return self._total("cap_reduction")

    @property
    def payable(self) -> Decimal:
        return self._total("payable")

    def credits(self) -> list[Credit]:
        return [c for m in self.months for c in m.credits]


@dataclass(frozen=True)
class CreditedLevel:
    """The part of a service level the ledger needs."""

    id: int
    name: str
    terms: LevelTerms


def credit_ledger(
    terms: CreditTerms,
    levels: Sequence[CreditedLevel],
    statuses: Mapping[int, Mapping[date, MonthStatus]],
    months: Sequence[date],
    waived: Collection[tuple[int, date]] = (),
) -> Ledger:
    """The ledger over `months`; `statuses` must also hold the months after them (earn-back).

    `waived` holds the (service level id, month) of credits the client waived.
    """
    at_risk = terms.at_risk_amount
    critical = [lv for lv in levels if lv.terms.classification is Classification.CRITICAL]
    lines = []
    for month in months:
        found = []
        if terms.has_credits:
            for level in critical:
                level_statuses = statuses.get(level.id, {})
                if level_statuses.get(month) is not MonthStatus.BREACH:
                    continue
                state = earn_back_state(
                    month, terms.earn_back_months or 0, level_statuses, terms.end_month
                )
                allocation = level.terms.allocation_pct or ZERO
                found.append(
                    Credit(
                        level.id,
                        level.name,
                        month,
                        allocation,
                        terms.credit_for(allocation),
                        state,
                        (level.id, month) in waived,
                    )
                )
        lines.append(MonthCredits(month, tuple(found), at_risk))
    return Ledger(tuple(lines), at_risk)
