"""Pure rules of what each side says about a month: the provider reports, the client decides.

Two small state machines, the standard library only:

- A month's report. A provider's write to a month makes it `submitted` (from any state: a
  correction of a disputed or even a verified month must be looked at again); a client manager
  then `verifies` it or `disputes` it with a reason per service level; only a submitted month can
  be verified or disputed. A month without a report was keyed in by the client and counts as
  verified. Months resting on a submitted or disputed report are provisional.
- A service-credit dispute. The provider disputes one credit (one breached critical level in one
  month) with a category and a reason; a client manager resolves an open dispute as `upheld`
  (the credit stands) or `waived` (the credit is not payable; the breach still shows).
"""

from collections.abc import Iterable, Mapping
from enum import StrEnum

REASON_MAX = 2000


class ReportState(StrEnum):
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    DISPUTED = "disputed"

    @property
    def label(self) -> str:
        return {
            "submitted": "Submitted, awaiting verification",
            "verified": "Verified",
            "disputed": "Disputed, back with the provider",
        }[self.value]


class ReportAction(StrEnum):
    SUBMIT = "submit"
    VERIFY = "verify"
    DISPUTE = "dispute"


def effective_state(state: ReportState | None) -> ReportState:
    """A month without a report was keyed in by the client: it counts as verified."""
    return ReportState.VERIFIED if state is None else ReportState(state)


def is_provisional(state: ReportState | None) -> bool:
    """True when the month's results are the provider's word, not yet verified by the client."""
    return effective_state(state) is not ReportState.VERIFIED


def transition_problem(state: ReportState | None, action: ReportAction) -> str | None:
    """Why `action` is not allowed on a month in `state` (None: no report), or None when it is."""
    if action is ReportAction.SUBMIT:
        return None
    if state is None:
        return "The client keyed in this month's results: there is no report to decide on."
    if ReportState(state) is not ReportState.SUBMITTED:
        done = "verified" if action is ReportAction.VERIFY else "disputed"
        return f"Only a submitted month can be {done}; this one is {ReportState(state).value}."
    return None


def next_state(state: ReportState | None, action: ReportAction) -> ReportState:
    """The state after `action`; raises ValueError when `transition_problem` names a reason."""
    if problem := transition_problem(state, action):
        raise ValueError(problem)
    return {
        ReportAction.SUBMIT: ReportState.SUBMITTED,
        ReportAction.VERIFY: ReportState.VERIFIED,
        ReportAction.DISPUTE: ReportState.DISPUTED,
    }[action]


def dispute_reason_problems(reasons: Mapping[int, str], level_ids: Iterable[int]) -> dict[str, str]:
    """Field problems of a month's dispute: at least one level, each a level of the engagement,
    each with a reason of at most REASON_MAX characters."""
    known = set(level_ids)
    if not reasons:
        return {"service_level_ids": "Name at least one service level and say what is wrong."}
    problems: dict[str, str] = {}
    unknown = sorted(level for level in reasons if level not in known)
    if unknown:
        problems["service_level_ids"] = (
            "Not a service level of this engagement: " + ", ".join(map(str, unknown)) + "."
        )
    for level, reason in reasons.items():
        text = (reason or "").strip()
        if not text:
            problems[f"reason_{level}"] = "Say what is wrong with this result."
        elif len(text) > REASON_MAX:
            problems[f"reason_{level}"] = f"Use at most {REASON_MAX} characters."
    return problems


# --- service-credit disputes ---------------------------------------------------------------


class DisputeCategory(StrEnum):
    CLIENT_CAUSED = "client_caused"
    FORCE_MAJEURE = "force_majeure"
    MEASUREMENT_ERROR = "measurement_error"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "client_caused": "Caused by the client",
            "force_majeure": "Force majeure",
            "measurement_error": "Measurement error",
            "other": "Other",
        }[self.value]


class DisputeState(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "upheld": "Upheld (the credit stands)",
            "waived": "Waived (not payable)",
        }[self.value]


class Decision(StrEnum):
    UPHELD = "upheld"
    WAIVED = "waived"

    @property
    def label(self) -> str:
        return {
            "upheld": "Uphold: the credit stands",
            "waived": "Waive: the credit is not payable",
        }[self.value]


def credit_dispute_problem(
    has_credit: bool, earned_back: bool, states: Iterable[DisputeState]
) -> str | None:
    """Why a credit may not be disputed: no credit that month for that level, one already earned
    back, an open dispute, or one already waived. None when it may."""
    found = {DisputeState(s) for s in states}
    if not has_credit:
        return "That month has no service credit for that service level."
    if earned_back:
        return "That credit was earned back: nothing is payable to dispute."
    if DisputeState.OPEN in found:
        return "This credit already has an open dispute."
    if DisputeState.WAIVED in found:
        return "This credit was already waived."
    return None


def resolve_problem(state: DisputeState) -> str | None:
    """Only an open dispute can be resolved."""
    if DisputeState(state) is not DisputeState.OPEN:
        return f"This dispute was already resolved ({DisputeState(state).value})."
    return None


def resolved_state(state: DisputeState, decision: Decision) -> DisputeState:
    """The dispute's state after the client's decision; ValueError when it is not open."""
    if problem := resolve_problem(state):
        raise ValueError(problem)
    return DisputeState(Decision(decision).value)
