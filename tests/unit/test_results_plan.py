"""The one planner for monthly results: every outcome, worked out by hand (no app, no database)."""

from datetime import date
from decimal import Decimal

import pytest

from vendor_tracker.engagements.bpo.results import (
    ACTUAL_MISSING,
    NOTE_TOO_LONG,
    VOLUME_PROBLEM,
    VOLUME_TOO_LARGE,
    IncomingRow,
    Intent,
    LevelSpec,
    ProblemKind,
    ResultValues,
    StoredResult,
    plan_results,
)
from vendor_tracker.engagements.bpo.sla import Window

SL = LevelSpec(1, "Service level", "%")
AHT = LevelSpec(2, "AHT", "s")
LEVELS = [SL, AHT]
# The engagement runs Jan 2026 to Jun 2026; "today" is in Apr 2026.
WINDOW = Window.of(date(2026, 1, 15), date(2026, 6, 30), date(2026, 4, 9))
MAR, APR = date(2026, 3, 1), date(2026, 4, 1)
STORED_SL = StoredResult(10, 1, MAR, Decimal("81.5000"), 42000, "", 3)
STORED_AHT = StoredResult(11, 2, MAR, Decimal("350"), None, "storm", 1)
STORED = {(1, MAR): STORED_SL, (2, MAR): STORED_AHT}


def plan(rows, intent=Intent.ADD, stored=None, **options):
    return plan_results(
        LEVELS, WINDOW, STORED if stored is None else stored, rows, intent, **options
    )


def reasons(result):
    return [(p.ref, p.field, p.reason) for p in result.problems]


def test_new_results_are_inserted_with_their_values():
    result = plan(
        [
            IncomingRow(2, "Service level", "2026-04", "80.5", "41000", " note "),
            IncomingRow(3, 2, APR, Decimal("355")),
        ]
    )
    assert result.ok and result.rows == 2
    assert result.insert == (
        ResultValues(1, APR, Decimal("80.5"), 41000, "note"),
        ResultValues(2, APR, Decimal("355"), None, ""),
    )
    assert (result.update, result.clear, result.unchanged) == ((), (), 0)
    assert result.periods == [APR]


def test_equal_values_are_unchanged_whatever_the_intent_and_trailing_zeros():
    rows = [
        IncomingRow(2, "1", "2026-03", "81.5", "42000", ""),
        IncomingRow(3, "ahT", MAR, "350.0", "", "storm"),
    ]
    for intent in Intent:
        result = plan(rows, intent)
        assert result.ok and result.unchanged == 2 and not result.insert and not result.update


def test_a_different_stored_result_is_a_conflict_when_adding_and_an_update_when_replacing():
    row = IncomingRow(2, "Service level", "2026-03", "79", "42000", "")
    conflict = plan([row], Intent.ADD)
    assert not conflict.ok
    assert conflict.problems[0].kind is ProblemKind.CONFLICT
    assert reasons(conflict) == [
        (
            2,
            "period",
            "Service level already has a different result for Mar 2026 (81.5); "
            "choose “replace existing” to overwrite it.",
        )
    ]
    replaced = plan([row], Intent.REPLACE)
    assert replaced.ok and replaced.update == (
        (STORED_SL, ResultValues(1, MAR, Decimal("79"), 42000, "")),
    )
    assert replaced.stored_affected == 1


def test_a_changed_note_alone_is_a_change():
    replaced = plan([IncomingRow(1, 2, MAR, "350", None, "storm, second day")], Intent.REPLACE)
    assert len(replaced.update) == 1 and replaced.update[0][1].note == "storm, second day"


def test_values_are_checked_against_the_unit_with_the_same_words_for_every_writer():
    result = plan(
        [
            IncomingRow(2, "Service level", "2026-04", "101"),
            IncomingRow(3, "AHT", "2026-04", "-1"),
            IncomingRow(4, "AHT", "2026-02", "abc", "-4"),
            IncomingRow(5, "AHT", "2026-01", "1", "2.5"),
            IncomingRow(6, "Service level", "2026-02", "1", "2000000001"),
            IncomingRow(7, "Service level", "2026-01", "1", None, "x" * 2001),
            IncomingRow(8, "AHT", "2026-02", "1e10"),
        ]
    )
    assert reasons(result) == [
        (2, "actual", "A percentage must lie between 0 and 100."),
        (3, "actual", "A value in s cannot be negative."),
        (4, "actual", "Give the result as a number in s (a dot for decimals)."),
        (4, "volume", VOLUME_PROBLEM),
        (5, "volume", VOLUME_PROBLEM),
        (6, "volume", VOLUME_TOO_LARGE),
        (7, "note", NOTE_TOO_LONG),
        (8, "actual", "This value is too large."),
    ]
    assert result.problem_total == 8 and not result.insert


def test_the_edges_of_the_units_are_accepted():
    result = plan(
        [
            IncomingRow(1, "Service level", "2026-04", "0"),
            IncomingRow(2, "Service level", "2026-02", "100"),
            IncomingRow(3, "AHT", "2026-04", "0", "0"),
            IncomingRow(4, "AHT", "2026-02", "9999999999.9999", "2000000000", "x" * 2000),
        ]
    )
    assert result.ok and len(result.insert) == 4


def test_unknown_levels_and_months_outside_the_window_are_named():
    result = plan(
        [
            IncomingRow(2, "Nope", "2025-13", "1"),
            IncomingRow(3, 99, "2025-12", "1"),
            IncomingRow(4, "AHT", "2026-05", "1"),
            IncomingRow(5, "AHT", date(2026, 7, 1), "1"),
        ]
    )
    assert reasons(result) == [
        (2, "service_level", "No service level named or numbered “Nope” on this engagement."),
        (2, "period", "“2025-13” is not a month as YYYY-MM."),
        (3, "service_level", "No service level numbered 99 on this engagement."),
        (3, "period", "The engagement starts in Jan 2026."),
        (4, "period", "This month has not begun yet. Results can be given up to Apr 2026."),
        (5, "period", "The engagement ended in Jun 2026."),
    ]


def test_the_window_is_the_engagement_and_never_the_future():
    assert WINDOW.start == date(2026, 1, 1) and WINDOW.last == APR
    assert WINDOW.months() == [APR, MAR, date(2026, 2, 1), date(2026, 1, 1)]
    ended = Window.of(date(2025, 1, 1), date(2025, 3, 31), date(2026, 4, 9))
    assert ended.last == date(2025, 3, 1) and ended.problem(date(2025, 3, 1)) is None
    assert Window.of(date(2026, 5, 1), None, date(2026, 4, 9)).months() == []


def test_the_second_row_for_a_level_and_month_is_the_problem():
    result = plan([IncomingRow(2, "AHT", "2026-04", "300"), IncomingRow(3, "2", "2026-04", "301")])
    assert reasons(result) == [
        (3, "period", "Line 2 already gives this service level for this month.")
    ]
    api = plan([IncomingRow(0, 2, APR, "300"), IncomingRow(1, 2, APR, "300")], row_word="Item")
    assert reasons(api) == [
        (1, "period", "Item 0 already gives this service level for this month.")
    ]


def test_a_name_wins_over_an_id_written_as_text():
    named_two = LevelSpec(3, "2", "s")
    result = plan_results(
        [SL, AHT, named_two], WINDOW, {}, [IncomingRow(1, "2", APR, "5")], Intent.ADD
    )
    assert result.insert[0].level_id == 3


def test_a_blank_result_is_required_unless_the_writer_lists_every_level():
    row = IncomingRow(2, "AHT", "2026-04", "  ")
    assert reasons(plan([row])) == [
        (2, "actual", "Give the result as a number in s (a dot for decimals).")
    ]
    form = plan([row], blank_keeps=True)
    assert form.ok and form.rows == 0 and form.kept_blank == 0


def test_a_blank_input_never_clears_a_stored_result():
    rows = [IncomingRow(0, 1, MAR, "", "", "", 3), IncomingRow(1, 2, MAR, None, None, None, 1)]
    result = plan(rows, Intent.REPLACE, blank_keeps=True, check_versions=True)
    assert result.ok and result.clear == () and result.update == ()
    assert result.kept_blank == 2 and result.stored_affected == 0


def test_a_volume_or_note_without_a_result_is_refused():
    result = plan([IncomingRow(0, 2, APR, "", "12", "")], Intent.REPLACE, blank_keeps=True)
    assert reasons(result) == [(0, "actual", ACTUAL_MISSING)]


def test_clearing_is_explicit_and_only_touches_what_is_stored():
    rows = [
        IncomingRow(0, 1, MAR, "81.5", "42000", "", 3, clear=True),
        IncomingRow(1, 2, APR, "", None, "", None, clear=True),  # nothing stored: nothing to do
    ]
    result = plan(rows, Intent.REPLACE, blank_keeps=True, check_versions=True)
    assert result.ok and result.clear == (STORED_SL,) and result.rows == 1
    assert result.stored_affected == 1 and result.periods == [MAR]


def test_versions_refuse_a_result_that_changed_or_was_cleared_since_it_was_read():
    rows = [
        IncomingRow(0, 1, MAR, "79", "42000", "", 2),  # read at version 2, stored is 3
        IncomingRow(1, 2, MAR, "340", None, "storm", None),  # read empty, stored meanwhile
        IncomingRow(2, 2, APR, "340", None, "", 4),  # read at 4, cleared meanwhile
        IncomingRow(3, 1, MAR, "", None, "", 1, clear=True),
    ]
    result = plan(rows[:3], Intent.REPLACE, blank_keeps=True, check_versions=True)
    assert [p.kind for p in result.problems] == [ProblemKind.STALE] * 3
    assert reasons(result)[0] == (
        0,
        "actual",
        "Someone changed this result meanwhile (now 81.5); reload the month.",
    )
    assert reasons(result)[2][2] == "Someone cleared this result meanwhile; reload the month."
    stale_clear = plan(rows[3:], Intent.REPLACE, blank_keeps=True, check_versions=True)
    assert stale_clear.problems[0].kind is ProblemKind.STALE and not stale_clear.clear
    # Without check_versions (file and API writers) the version is not asked for.
    assert plan(rows[:1], Intent.REPLACE).ok


def test_problems_are_counted_past_the_reported_limit():
    rows = [IncomingRow(n, "AHT", "2026-04", "x") for n in range(2, 12)]
    result = plan(rows, max_problems=3)
    assert len(result.problems) == 3 and result.problem_total == 10 and not result.ok


@pytest.mark.parametrize("intent", list(Intent))
def test_a_plan_with_one_problem_writes_nothing_else(intent):
    rows = [IncomingRow(2, "AHT", "2026-04", "300"), IncomingRow(3, "AHT", "2026-02", "-1")]
    result = plan(rows, intent)
    assert not result.ok and result.problem_total == 1
    # The caller never applies it: apply_plan refuses a plan with problems.


def test_the_confirmation_fingerprint_follows_what_the_plan_does_to_stored_results():
    change = plan(
        [IncomingRow(0, 1, MAR, "79", "42000", "", 3)], Intent.REPLACE, check_versions=True
    )
    same = plan([IncomingRow(5, 1, MAR, "79", "42000", "", 3)], Intent.REPLACE, check_versions=True)
    other = plan(
        [IncomingRow(0, 1, MAR, "78", "42000", "", 3)], Intent.REPLACE, check_versions=True
    )
    cleared = plan(
        [IncomingRow(0, 1, MAR, "79", "42000", "", 3, True)], Intent.REPLACE, check_versions=True
    )
    assert change.fingerprint() == same.fingerprint()
    assert len({change.fingerprint(), other.fingerprint(), cleared.fingerprint()}) == 3
