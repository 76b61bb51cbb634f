"""Who may award which candidate, and the warnings shown first."""

from vendor_tracker.selection.rules import award_check, effective_model, is_open

BASE = dict(
    request_status="evaluating",
    is_top_ranked=True,
    reason="",
    vendor_status="approved",
    standing_band="good",
    user_is_admin=False,
    kind="BPO",
    service_line_model="BPO",
)


def check(**changes):
    return award_check(**{**BASE, **changes})


def test_top_ranked_pick_needs_no_reason():
    assert check().ok and check().warnings == ()


def test_other_pick_needs_a_reason_of_ten_characters():
    assert "reason" in check(is_top_ranked=False).errors
    assert "reason" in check(is_top_ranked=False, reason="   cheaper ").errors
    assert check(is_top_ranked=False, reason="Lower price, same quality").ok


def test_on_watch_warns_but_does_not_block():
    result = check(vendor_status="on_watch")
    assert result.ok and "on watch" in result.warnings[0]
    assert check(standing_band="watch").warnings


def test_poor_standing_needs_an_admin_and_a_reason():
    assert "candidate_id" in check(standing_band="poor").errors
    assert "reason" in check(standing_band="poor", user_is_admin=True).errors
    assert check(standing_band="poor", user_is_admin=True, reason="Only provider with clearance").ok


def test_offboarded_vendor_and_closed_request_are_refused():
    assert "candidate_id" in check(vendor_status="offboarded").errors
    assert "_request" in check(request_status="awarded").errors
    assert "_request" in check(request_status="cancelled").errors


def test_kind_must_be_chosen_and_match_the_service_line():
    assert "kind" in check(kind="hybrid").errors
    assert "kind" in check(kind=None).errors
    assert "kind" in check(kind="KPO").errors
    assert check(kind="KPO", service_line_model="KPO").ok


def test_override_wins_over_advice():
    assert effective_model("BPO", None) == "BPO"
    assert effective_model("hybrid", "KPO") == "KPO"
    assert effective_model(None, None) is None
    assert is_open("draft") and not is_open("awarded")
