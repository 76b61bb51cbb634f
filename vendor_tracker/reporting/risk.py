"""Pure risk rules: score, rating, review due, the 5 x 5 heat map."""

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

SCALE = range(1, 6)


class RiskCategory(StrEnum):
    DATA_SECURITY = "data_security"
    COMMUNICATION = "communication"
    QUALITY_CONTROL = "quality_control"
    ATTRITION = "attrition"
    DEPENDENCY = "dependency"
    FINANCIAL = "financial"
    REGULATORY = "regulatory"

    @property
    def label(self) -> str:
        return {
            "data_security": "Data security and privacy",
            "communication": "Communication, language and time zones",
            "quality_control": "Quality control",
            "attrition": "Attrition and continuity",
            "dependency": "Dependency and concentration",
            "financial": "Financial",
            "regulatory": "Regulatory",
        }[self.value]


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATING = "mitigating"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class RiskRating(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def label(self) -> str:
        return self.value.capitalize()


# Upper bounds of each rating on the 1..25 score (products of two 1..5 values).
RATING_BOUNDS = ((3, RiskRating.LOW), (6, RiskRating.MEDIUM), (12, RiskRating.HIGH))


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood x impact, each 1..5."""
    if likelihood not in SCALE or impact not in SCALE:
        raise ValueError("Likelihood and impact are each 1 to 5.")
    return likelihood * impact


def risk_rating(score: int) -> RiskRating:
    """Low 1-3, medium 4-6, high 8-12, critical 15-25."""
    for upper, rating in RATING_BOUNDS:
        if score <= upper:
            return rating
    return RiskRating.CRITICAL


def is_open(status: RiskStatus | str) -> bool:
    """Open and mitigating risks are live; closed ones are history."""
    return RiskStatus(status) is not RiskStatus.CLOSED


def review_overdue(next_review_on: date | None, status: RiskStatus | str, today: date) -> bool:
    """A live risk whose review date has passed."""
    return is_open(status) and next_review_on is not None and next_review_on < today


def review_due(next_review_on: date | None, status: RiskStatus | str, today: date) -> bool:
    """A live risk due for review today or earlier."""
    return is_open(status) and next_review_on is not None and next_review_on <= today


def heat_map(pairs: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Counts of (likelihood, impact) pairs as a 5 x 5 grid.

    Row 0 is likelihood 5 (drawn at the top), column 0 is impact 1.
    """
    grid = [[0] * 5 for _ in SCALE]
    for likelihood, impact in pairs:
        if likelihood in SCALE and impact in SCALE:
            grid[5 - likelihood][impact - 1] += 1
    return grid


def risk_problems(likelihood, impact, next_review_on: date | None, status, today: date):
    """Field errors that no single field can see: live risks need a review date."""
    problems: dict[str, str] = {}
    if likelihood not in SCALE:
        problems["likelihood"] = "Choose a likelihood from 1 (rare) to 5 (almost certain)."
    if impact not in SCALE:
        problems["impact"] = "Choose an impact from 1 (minor) to 5 (severe)."
    if status is not None and is_open(status) and next_review_on is None:
        problems["next_review_on"] = "An open risk needs a next review date."
    return problems
