"""The month-report and credit-dispute state machines, case by case."""

import pytest

from vendor_tracker.engagements.bpo.reporting_rules import (
    REASON_MAX,
    Decision,
    DisputeState,
    ReportAction,
    ReportState,
    credit_dispute_problem,
    dispute_reason_problems,
    effective_state,
    is_provisional,
    next_state,
    resolve_problem,
    resolved_state,
    transition_problem,
)

S, V, D = ReportState.SUBMITTED, ReportState.VERIFIED, ReportState.DISPUTED
SUBMIT, VERIFY, DISPUTE = ReportAction.SUBMIT, ReportAction.VERIFY, ReportAction.DISPUTE


@pytest.mark.parametrize("state", [None, S, V, D])
def test_a_provider_write_always_makes_the_month_submitted(state):
    assert next_state(state, SUBMIT) is S


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [(S, VERIFY, V), (S, DISPUTE, D)],
)
def test_only_a_submitted_month_is_verified_or_disputed(state, action, after):
    assert transition_problem(state, action) is None
    assert next_state(state, action) is after


@pytest.mark.parametrize("state", [None, V, D])
@pytest.mark.parametrize("action", [VERIFY, DISPUTE])
def test_other_months_cannot_be_decided(state, action):
    problem = transition_problem(state, action)
    assert problem
    with pytest.raises(ValueError, match=problem[:20]):
        next_state(state, action)


def test_messages_name_the_state():
    assert transition_problem(V, VERIFY) == (
        "Only a submitted month can be verified; this one is verified."
    )
    assert transition_problem(D, DISPUTE) == (
        "Only a submitted month can be disputed; this one is disputed."
    )
    assert "keyed in" in transition_problem(None, VERIFY)


def test_a_month_without_report_counts_as_verified_and_only_unverified_are_provisional():
    assert effective_state(None) is V
    assert [is_provisional(s) for s in (None, S, V, D)] == [False, True, False, True]


def test_dispute_reasons():
    assert dispute_reason_problems({}, [1, 2]) == {
        "service_level_ids": "Name at least one service level and say what is wrong."
    }
    assert dispute_reason_problems({1: "Wrong export"}, [1, 2]) == {}
    assert dispute_reason_problems({3: "x", 1: " "}, [1, 2]) == {
        "service_level_ids": "Not a service level of this engagement: 3.",
        "reason_1": "Say what is wrong with this result.",
    }
    assert "reason_2" in dispute_reason_problems({2: "x" * (REASON_MAX + 1)}, [2])


OPEN, UPHELD, WAIVED = DisputeState.OPEN, DisputeState.UPHELD, DisputeState.WAIVED


@pytest.mark.parametrize(
    ("has_credit", "earned", "states", "expected"),
    [
        (False, False, [], "That month has no service credit for that service level."),
        (True, True, [], "That credit was earned back: nothing is payable to dispute."),
        (True, False, [OPEN], "This credit already has an open dispute."),
        (True, False, [UPHELD, WAIVED], "This credit was already waived."),
        (True, False, [], None),
        (True, False, [UPHELD], None),  # new grounds after an upheld dispute
    ],
)
def test_which_credits_may_be_disputed(has_credit, earned, states, expected):
    assert credit_dispute_problem(has_credit, earned, states) == expected


def test_resolving_a_dispute():
    assert resolved_state(OPEN, Decision.UPHELD) is UPHELD
    assert resolved_state(OPEN, Decision.WAIVED) is WAIVED
    assert resolve_problem(OPEN) is None
    for done in (UPHELD, WAIVED):
        assert resolve_problem(done) == f"This dispute was already resolved ({done.value})."
        with pytest.raises(ValueError):
            resolved_state(done, Decision.WAIVED)
