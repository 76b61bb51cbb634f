"""Waived credits: the breach stays, the money goes; every amount worked out by hand.

Terms throughout: a fee of 100 000.00 a month with 10 % at risk, so 10 000.00 at risk a month.
Level A carries 100 % of the pool (a breach costs 100 000 x 10 x 100 / 10 000 = 10 000.00),
level B 60 % (6 000.00).
"""

from datetime import date
from decimal import Decimal as D

from vendor_tracker.engagements.bpo.compliance import LevelInput, Result, evaluate_engagement
from vendor_tracker.engagements.bpo.credits import (
    CreditedLevel,
    CreditTerms,
    EarnBack,
    credit_ledger,
)
from vendor_tracker.engagements.bpo.sla import Classification, Direction, LevelTerms, MonthStatus

MET, BREACH, OPEN = MonthStatus.MET, MonthStatus.BREACH, MonthStatus.OPEN
JAN, FEB, MAR, APR = (date(2026, m, 1) for m in range(1, 5))


def critical(allocation):
    return LevelTerms(Direction.HIGHER, D("80"), D("75"), Classification.CRITICAL, D(allocation))


A = CreditedLevel(1, "Service level", critical("100"))
B = CreditedLevel(2, "CSAT", critical("60"))


def terms(window=0):
    return CreditTerms(D("100000.00"), D("10"), window)


def test_the_cap_with_and_without_the_waived_credit():
    statuses = {A.id: {JAN: BREACH}, B.id: {JAN: BREACH}}
    owed = credit_ledger(terms(), [A, B], statuses, [JAN])
    line = owed.months[0]
    # 10 000 + 6 000 = 16 000 owed, capped at 10 000: 6 000 taken off by the cap.
    assert (line.gross, line.payable, line.cap_reduction) == (
        D("16000.00"),
        D("10000.00"),
        D("6000.00"),
    )
    assert line.cap_applied and line.waived == D("0.00")

    waived_a = credit_ledger(terms(), [A, B], statuses, [JAN], {(A.id, JAN)}).months[0]
    # As if A had never been owed: 6 000 under the 10 000 cap, nothing taken off.
    assert waived_a.breaches == 2  # the breach still happened
    assert (waived_a.gross, waived_a.payable) == (D("6000.00"), D("6000.00"))
    assert waived_a.cap_reduction == D("0.00") and not waived_a.cap_applied
    assert waived_a.waived == D("10000.00")
    assert [c.waived for c in waived_a.credits] == [True, False]

    waived_b = credit_ledger(terms(), [A, B], statuses, [JAN], {(B.id, JAN)}).months[0]
    # A's 10 000 alone reaches the cap exactly: payable 10 000, no reduction.
    assert (waived_b.gross, waived_b.payable, waived_b.cap_reduction) == (
        D("10000.00"),
        D("10000.00"),
        D("0.00"),
    )


def test_waiving_one_credit_leaves_the_earn_back_of_the_others():
    # Earn-back window 2. A breaches in Jan, is met in Feb and Mar: earned back.
    # B breaches in Feb, is met in Mar, Apr is open: pending.
    statuses = {
        A.id: {JAN: BREACH, FEB: MET, MAR: MET, APR: OPEN},
        B.id: {JAN: MET, FEB: BREACH, MAR: MET, APR: OPEN},
    }
    plain = credit_ledger(terms(2), [A, B], statuses, [JAN, FEB])
    waived = credit_ledger(terms(2), [A, B], statuses, [JAN, FEB], {(A.id, JAN)})
    assert [c.state for c in plain.credits()] == [EarnBack.EARNED, EarnBack.PENDING]
    assert [c.state for c in waived.credits()] == [EarnBack.EARNED, EarnBack.PENDING]
    # Jan: A's 10 000 waived, so nothing earned back and nothing payable that month.
    jan = waived.months[0]
    assert (jan.gross, jan.earned_back, jan.payable, jan.waived) == (
        D("0.00"),
        D("0.00"),
        D("0.00"),
        D("10000.00"),
    )
    # Feb: B's 6 000 pending and payable, exactly as without the waiver.
    assert waived.months[1] == plain.months[1]
    assert (waived.pending, waived.payable) == (D("6000.00"), D("6000.00"))
    assert plain.earned_back == D("10000.00") and waived.earned_back == D("0.00")


def test_a_waived_credit_that_was_pending_earn_back():
    # Window 3. Jan: A breaches (met in Feb, Mar still to come: pending) and B breaches
    # (breaches again in Feb: final). Feb: B's second credit is pending.
    statuses = {
        A.id: {JAN: BREACH, FEB: MET},
        B.id: {JAN: BREACH, FEB: BREACH},
    }
    plain = credit_ledger(terms(3), [A, B], statuses, [JAN, FEB])
    jan = plain.months[0]
    # 10 000 pending + 6 000 final = 16 000, capped at 10 000.
    assert (jan.pending, jan.payable, jan.cap_reduction) == (
        D("10000.00"),
        D("10000.00"),
        D("6000.00"),
    )
    assert (plain.pending, plain.payable) == (D("16000.00"), D("16000.00"))

    waived = credit_ledger(terms(3), [A, B], statuses, [JAN, FEB], {(A.id, JAN)})
    jan = waived.months[0]
    a_credit = jan.credits[0]
    assert a_credit.waived and a_credit.state is EarnBack.PENDING  # its own state still shown
    # Only B's final 6 000 remains in Jan, under the cap; Feb is unchanged (6 000 pending).
    assert (jan.gross, jan.pending, jan.payable, jan.cap_reduction) == (
        D("6000.00"),
        D("0.00"),
        D("6000.00"),
        D("0.00"),
    )
    assert waived.months[1] == plain.months[1]
    assert (waived.pending, waived.payable, waived.waived) == (
        D("6000.00"),
        D("12000.00"),
        D("10000.00"),
    )
    assert waived.breaches == plain.breaches == 3


def test_a_waived_breach_still_makes_the_earlier_credit_final():
    # Window 1: A's Jan credit needs Feb met; Feb is a breach (its credit waived), so Jan is
    # final: the waiver takes Feb's money away, not Feb's breach.
    statuses = {A.id: {JAN: BREACH, FEB: BREACH, MAR: MET}}
    ledger = credit_ledger(terms(1), [A], statuses, [JAN, FEB], {(A.id, FEB)})
    assert [c.state for c in ledger.credits()] == [EarnBack.FINAL, EarnBack.EARNED]
    assert [line.payable for line in ledger.months] == [D("10000.00"), D("0.00")]
    assert ledger.payable == D("10000.00") and ledger.waived == D("10000.00")


def test_a_waiver_without_a_credit_changes_nothing():
    statuses = {A.id: {JAN: BREACH, FEB: MET}, B.id: {JAN: MET, FEB: MET}}
    plain = credit_ledger(terms(), [A, B], statuses, [JAN, FEB])
    assert credit_ledger(terms(), [A, B], statuses, [JAN, FEB], {(A.id, FEB), (B.id, JAN)}) == plain


def test_evaluate_engagement_passes_the_waivers_to_the_ledger():
    levels = [LevelInput(A.id, A.name, "%", A.terms), LevelInput(B.id, B.name, "%", B.terms)]
    results = {(A.id, JAN): Result(D("70")), (B.id, JAN): Result(D("70"))}
    args = (levels, results, JAN, None, JAN, JAN, date(2026, 2, 15), terms())
    assert evaluate_engagement(*args).ledger.payable == D("10000.00")
    report = evaluate_engagement(*args, waived=frozenset({(A.id, JAN)}))
    assert report.ledger.payable == D("6000.00")
    # The compliance grid still shows both breaches.
    assert [lr.cells[JAN].status for lr in report.levels] == [BREACH, BREACH]
