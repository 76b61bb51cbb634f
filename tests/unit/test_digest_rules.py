"""The weekly digest's key (ISO week), subject and plain-text body, worked out by hand."""

from datetime import UTC, date, datetime, timedelta

from vendor_tracker.core.inbox import InboxItem
from vendor_tracker.notifications.digest import MAX_LINES, Digest, week_key


def test_week_key_follows_iso_weeks_across_new_year():
    assert week_key(date(2026, 12, 1)) == "digest:2026-W49"  # a Tuesday
    assert week_key(date(2026, 1, 4)) == "digest:2026-W01"  # Sunday ends ISO week 1
    # 29 Dec 2025 (a Monday) already opens ISO week 1 of 2026 ...
    assert week_key(date(2025, 12, 29)) == "digest:2026-W01"
    # ... and 2026 has 53 weeks: 1 Jan 2027 (a Friday) is still in week 53 of 2026.
    assert week_key(date(2026, 12, 31)) == week_key(date(2027, 1, 1)) == "digest:2026-W53"
    assert week_key(date(2027, 1, 4)) == "digest:2027-W01"


def test_every_day_of_one_iso_week_has_the_same_key():
    monday = date(2026, 11, 30)
    assert {week_key(monday + timedelta(days=n)) for n in range(7)} == {"digest:2026-W49"}
    assert week_key(monday - timedelta(days=1)) == "digest:2026-W48"  # the Sunday before
    assert week_key(monday + timedelta(days=7)) == "digest:2026-W50"  # the Monday after


def _digest(unread=0, items=0):
    return Digest(
        user_id=1,
        email="manager@example.com",
        unread=[
            (f"Event {n}", datetime(2026, 11, 27 - n % 3, 9, 0, tzinfo=UTC)) for n in range(unread)
        ],
        items=[
            InboxItem(
                "overdue_action_item", f"Item {n}", "Call centre EMEA", "/x", date(2026, 12, 4)
            )
            for n in range(items)
        ],
    )


def test_subject_counts_what_the_digest_holds_in_words():
    day = date(2026, 12, 1)
    assert _digest(unread=1).subject(day) == (
        "Weekly summary, week 49 of 2026: 1 unread notification"
    )
    assert _digest(unread=3, items=1).subject(day) == (
        "Weekly summary, week 49 of 2026: 3 unread notifications, 1 item needs attention"
    )
    assert _digest(items=2).subject(day) == (
        "Weekly summary, week 49 of 2026: 2 items need attention"
    )


def test_body_lists_unread_subjects_with_dates_then_items_with_due_dates():
    body = _digest(unread=2, items=1).body()
    assert body.splitlines() == [
        "Unread notifications of the last 7 days:",
        "- Event 0 (27 Nov 2026)",
        "- Event 1 (26 Nov 2026)",
        "",
        "Needs your attention:",
        "- Item 0: Call centre EMEA (due 04 Dec 2026)",
    ]


def test_long_lists_are_cut_with_a_count_of_the_rest():
    lines = _digest(unread=MAX_LINES + 4).body().splitlines()
    assert len(lines) == 1 + MAX_LINES + 1
    assert lines[-1] == "- and 4 more"
    assert not _digest(unread=MAX_LINES).body().endswith("more")


def test_empty_digest_is_empty():
    assert _digest().empty
    assert not _digest(unread=1).empty and not _digest(items=1).empty
