"""The BPO kinds of the needs-attention inbox, counted and paged in SQL: every count equals the
number of items listed, every page is a slice of the full list (most urgent first), the items
are what the pure rules (`services.compliance_report`) say, also on later days than the one the
monthly rollups were computed on (a credit's awaited month ended unreported since), and the
number of queries does not grow with the data."""

from datetime import date, timedelta

from tests import factories
from tests.factories_bpo import (
    attention_tuples,
    make_credit_dispute,
    make_level,
    make_report,
    make_result,
    reference_attention,
)
from tests.integration.test_bpo_summaries import _build
from vendor_tracker.engagements.bpo import attention
from vendor_tracker.engagements.bpo.sla import first_of_month, shift_month
from vendor_tracker.extensions import db
from vendor_tracker.reporting.attention import Inbox

TODAY = date.today()
THIS_MONTH = first_of_month(TODAY)
NEXT_MONTH_DAY = shift_month(THIS_MONTH, 1) + timedelta(days=4)
CREDIT_KINDS = ("bpo_breach", "bpo_credit_pending")


def _check_counts_and_pages(today: date) -> dict[str, int]:
    """Counts equal the full list per kind; every slice is the full list's, most urgent first
    (soonest due, then by engagement); returns the counts."""
    every = attention.attention_items(today)
    counts = attention.attention_counts(today)
    kinds = {item.kind for item in every}
    assert set(counts) == kinds
    for kind in attention.KINDS:
        listed = sorted(
            (i for i in every if i.kind == kind), key=lambda i: (i.due is None, i.due or today)
        )
        assert counts.get(kind, 0) == len(listed), kind
        assert attention.attention_slice(today, kind, None) == listed, kind
        paged = []
        for offset in range(0, len(listed) + 2, 2):
            paged += attention.attention_slice(today, kind, 2, offset)
        assert paged == listed, kind
    return counts


def test_random_portfolios_match_the_pure_rules_today_and_on_later_days(ctx):
    """Random windows, terms, gaps and results on several seeds; on later days the rollups are
    older than today (they were computed today), as at the start of every month."""
    stale_days = [NEXT_MONTH_DAY, shift_month(THIS_MONTH, 2) + timedelta(days=11)]
    seen = {day: set() for day in [TODAY, *stale_days]}
    for seed in (5, 12, 40):
        _build(vendors=3, engagements=16, seed=seed)
        for day in seen:
            expected = reference_attention(day)
            assert attention_tuples(attention.attention_items(day)) == expected, (seed, day)
            counts = _check_counts_and_pages(day)
            seen[day] |= {kind for kind in counts if counts[kind]}
    assert seen[TODAY] == set(CREDIT_KINDS)
    assert "bpo_credit_pending" in seen[NEXT_MONTH_DAY]


def _engagement(vendor, title, earn_back_months=3, status="active"):
    return factories.make_engagement(
        vendor,
        title=title,
        start=shift_month(THIS_MONTH, -14),
        end=None,
        earn_back_months=earn_back_months,
        status=status,
    )


def _critical(engagement, name="Calls answered", allocation="50"):
    return make_level(
        engagement, name=name, classification="critical", allocation=allocation, minimum=None
    )


def _months_back(count: int) -> date:
    return shift_month(THIS_MONTH, -count)


def test_every_kind_with_several_engagements(ctx):
    vendor = factories.make_vendor("Acme")
    # Breach last month, nothing since: breach and pending, resolved at the end of +2 months.
    both = _engagement(vendor, "Both")
    make_result(_critical(both), _months_back(1), "60")
    # Breach two months back, met since, window of 2: pending only, resolved this month.
    short = _engagement(vendor, "Short window", earn_back_months=2)
    level = _critical(short)
    make_result(level, _months_back(2), "60")
    make_result(level, _months_back(1), "90")
    # A key level's breach last month: a breach, no credit.
    key_only = _engagement(vendor, "Key level")
    make_result(make_level(key_only, classification="key"), _months_back(1), "60")
    # Window of 1, breach last month, met this month: earned back, only the breach is left.
    earned = _engagement(vendor, "Earned", earn_back_months=1)
    level = _critical(earned)
    make_result(level, _months_back(1), "60")
    make_result(level, THIS_MONTH, "90")
    # Breach three months back, met in both months since: pending, resolved this month too.
    older = _engagement(vendor, "Older")
    level = _critical(older)
    make_result(level, _months_back(3), "60")
    make_result(level, _months_back(2), "90")
    make_result(level, _months_back(1), "95")
    # Two critical levels breached last month; one met this month, the other not reported.
    split = _engagement(vendor, "Split")
    waits = _critical(split, "Accuracy", allocation="20")
    met_now = _critical(split, "Resolution", allocation="30")
    make_result(waits, _months_back(1), "60")
    make_result(met_now, _months_back(1), "60")
    make_result(met_now, THIS_MONTH, "90")
    # A finished engagement shows nothing.
    make_result(_critical(_engagement(vendor, "Done", status="completed")), _months_back(1), "1")
    make_credit_dispute(waits, _months_back(1))
    make_report(older, _months_back(1))
    db.session.commit()

    counts = _check_counts_and_pages(TODAY)
    assert counts == {
        "bpo_breach": 4,
        "bpo_credit_pending": 4,
        "bpo_credit_dispute": 1,
        "bpo_report_submitted": 1,
    }
    pending = attention.attention_slice(TODAY, "bpo_credit_pending", 10)
    end_of = lambda month: shift_month(month, 1) - timedelta(days=1)  # noqa: E731
    assert [(i.detail.split(":")[0], i.due) for i in pending] == [
        ("Acme · Short window", end_of(THIS_MONTH)),
        ("Acme · Older", end_of(THIS_MONTH)),
        ("Acme · Both", end_of(shift_month(THIS_MONTH, 2))),
        ("Acme · Split", end_of(shift_month(THIS_MONTH, 2))),
    ]
    assert pending[0].title == "USD 5,000.00 of service credits pending earn-back"
    assert pending[3].title == "USD 5,000.00 of service credits pending earn-back"
    breaches = attention.attention_slice(TODAY, "bpo_breach", 10)
    assert [i.detail.split(":")[0] for i in breaches] == [
        "Acme · Both",
        "Acme · Key level",
        "Acme · Earned",
        "Acme · Split",
    ]
    assert attention_tuples(attention.attention_items(TODAY)) == reference_attention(TODAY)

    # Next month: the credits that waited for this month are final (it ends unreported); the
    # level met this month keeps its credit pending, though the rollup was computed today.
    assert _check_counts_and_pages(NEXT_MONTH_DAY) == {
        "bpo_credit_pending": 1,
        "bpo_credit_dispute": 1,
        "bpo_report_submitted": 1,
    }
    [left] = attention.attention_slice(NEXT_MONTH_DAY, "bpo_credit_pending", 10)
    assert left.title == "USD 3,000.00 of service credits pending earn-back"
    assert left.detail == f"Acme · Split: Resolution ({_months_back(1):%b %Y})"
    later = attention.attention_items(NEXT_MONTH_DAY)
    assert attention_tuples(later) == reference_attention(NEXT_MONTH_DAY)


def test_a_waived_credit_still_pending_is_listed_as_the_rules_list_it(ctx):
    """The rules keep a waived credit on the ledger with its earn-back state; the inbox lists
    what the rules list, even when the waived credit is the only one pending."""
    vendor = factories.make_vendor("Acme")
    engagement = _engagement(vendor, "Waived")
    level = _critical(engagement)
    make_result(level, _months_back(1), "60")
    make_credit_dispute(level, _months_back(1), state="waived", note="Client outage.")
    db.session.commit()
    assert attention.attention_counts(TODAY) == {"bpo_breach": 1, "bpo_credit_pending": 1}
    assert attention_tuples(attention.attention_items(TODAY)) == reference_attention(TODAY)


def _queries(query_counter) -> int:
    """Statements of the BPO part of the inbox page: the counts, two pages of every kind."""
    with query_counter() as statements:
        for kind in attention.attention_counts(TODAY):
            attention.attention_slice(TODAY, kind, 10)
            attention.attention_slice(TODAY, kind, 10, 10)
    return len(statements)


def test_the_query_count_does_not_grow_with_the_data(app, query_counter):
    with app.test_request_context():
        vendor = factories.make_vendor("Acme")
        for n in range(2):
            engagement = _engagement(vendor, f"Small {n}")
            level = _critical(engagement)
            make_result(level, _months_back(1), "60")
            make_credit_dispute(level, _months_back(1))
            make_report(engagement, _months_back(1))
        db.session.commit()
        few = _queries(query_counter)
        assert set(Inbox(TODAY).counts()) >= set(attention.KINDS)
        for n in range(30):
            engagement = _engagement(vendor, f"Big {n}", earn_back_months=1 + n % 4)
            level = _critical(engagement)
            for back in range(1, 1 + n % 5):
                make_result(level, _months_back(back), "60" if back % 2 else "90")
            make_credit_dispute(level, _months_back(1))
            make_report(engagement, _months_back(1 + n % 3))
        db.session.commit()
        counts = Inbox(TODAY).counts()
        assert counts["bpo_credit_pending"] > 20 and counts["bpo_report_submitted"] == 32
        assert _queries(query_counter) == few
