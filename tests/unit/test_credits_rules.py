"""Service credits, the at-risk cap and earn-back; every amount computed by hand."""

from datetime import date
from decimal import Decimal as D

from vendor_tracker.engagements.bpo.compliance import LevelInput, Result, evaluate_engagement
from vendor_tracker.engagements.bpo.credits import (
    CreditedLevel,
    CreditTerms,
    EarnBack,
    at_risk_problem,
    cents,
    credit_ledger,
    earn_back_state,
)
from vendor_tracker.engagements.bpo.sla import (
    Classification,
    Direction,
    LevelTerms,
    MonthStatus,
)

MET, WARN, BREACH = MonthStatus.MET, MonthStatus.WARNING, MonthStatus.BREACH
GAP, OPEN = MonthStatus.NOT_REPORTED, MonthStatus.OPEN
JAN, FEB, MAR, APR, MAY, JUN = (date(2026, m, 1) for m in range(1, 7))


def critical(allocation):
    return LevelTerms(Direction.HIGHER, D("80"), D("75"), Classification.CRITICAL, D(allocation))


def test_credit_and_at_risk_amounts():
    terms = CreditTerms(D("100000.00"), D("12"), 3)
    assert terms.at_risk_amount == D("12000.00")
    # 100 000 x 12 x 25 / 10 000
    assert terms.credit_for(D("25")) == D("3000.00")
    assert terms.credit_for(None) == D("0.00")


def test_credit_rounds_half_up_to_cents():
    # 1 233.80 x 10 x 25 / 10 000 = 30.845 -> 30.85 (banker's rounding would give 30.84)
    assert CreditTerms(D("1233.80"), D("10")).credit_for(D("25")) == D("30.85")
    assert cents(D("0.005")) == D("0.01")
    assert cents(D("0.0049")) == D("0.00")


def test_no_fee_or_no_at_risk_means_no_credits():
    assert CreditTerms(None, D("10")).credit_for(D("50")) == D("0.00")
    assert CreditTerms(D("1000"), D("0")).at_risk_amount == D("0.00")


def test_at_risk_percentage_range():
    assert at_risk_problem(D("12")) is None
    assert at_risk_problem(D("0")) is None
    assert at_risk_problem(D("20")) is None
    assert at_risk_problem(D("20.01")) is not None
    assert at_risk_problem(D("-1")) is not None


def test_earn_back_earned_after_n_met_months():
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: MET, APR: MET}) is EarnBack.EARNED


def test_earn_back_pending_until_all_months_reported():
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: MET}) is EarnBack.PENDING
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: MET, APR: OPEN}) is EarnBack.PENDING
    assert earn_back_state(JAN, 3, {}) is EarnBack.PENDING


def test_earn_back_final_as_soon_as_one_month_is_not_met():
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: WARN}) is EarnBack.FINAL
    assert earn_back_state(JAN, 3, {FEB: BREACH}) is EarnBack.FINAL
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: GAP}) is EarnBack.FINAL  # a gap is not met


def test_earn_back_final_when_engagement_ends_too_soon_or_no_window():
    # Ends in March: only 2 further months exist, 3 are needed.
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: MET}, end_month=MAR) is EarnBack.FINAL
    assert earn_back_state(JAN, 3, {FEB: MET, MAR: MET, APR: MET}, APR) is EarnBack.EARNED
    assert earn_back_state(JAN, 0, {FEB: MET}) is EarnBack.FINAL


def _levels():
    return [
        CreditedLevel(1, "Service level", critical("100")),
        CreditedLevel(2, "CSAT", critical("80")),
        CreditedLevel(3, "FCR", critical("60")),  # allocations total 240 %: pool above 100 %
        CreditedLevel(4, "AHT", LevelTerms(Direction.LOWER, D("360"))),  # key: no credits
    ]


def test_ledger_pool_allocation_above_100_and_cap_binding():
    terms = CreditTerms(D("100000.00"), D("10"), 2)
    statuses = {
        1: {JAN: BREACH, FEB: MET, MAR: MET},
        2: {JAN: BREACH, FEB: BREACH, MAR: MET},
        3: {JAN: WARN, FEB: MET, MAR: MET},
        4: {JAN: BREACH, FEB: BREACH, MAR: BREACH},
    }
    ledger = credit_ledger(terms, _levels(), statuses, [JAN, FEB])
    jan, feb = ledger.months
    # Jan: level 1 10 000.00 (earned back by Feb+Mar met), level 2 8 000.00 (final: Feb breach)
    assert [(c.level_id, c.amount, c.state) for c in jan.credits] == [
        (1, D("10000.00"), EarnBack.EARNED),
        (2, D("8000.00"), EarnBack.FINAL),
    ]
    assert jan.gross == D("18000.00")
    assert jan.earned_back == D("10000.00")
    assert jan.payable == D("8000.00")
    assert not jan.cap_applied
    # Feb: level 2 8 000.00, Mar met but Apr unknown -> pending, still payable for now.
    assert [(c.level_id, c.state) for c in feb.credits] == [(2, EarnBack.PENDING)]
    assert feb.pending == D("8000.00")
    assert feb.payable == D("8000.00")
    assert ledger.gross == D("26000.00")
    assert ledger.payable == D("16000.00")
    assert ledger.breaches == 3


def test_cap_binds_when_credits_exceed_the_at_risk_amount():
    terms = CreditTerms(D("100000.00"), D("10"), 0)
    statuses = {1: {JAN: BREACH}, 2: {JAN: BREACH}, 3: {JAN: BREACH}}
    (jan,) = credit_ledger(terms, _levels(), statuses, [JAN]).months
    # 10 000 + 8 000 + 6 000 = 24 000 gross, all final (no earn-back), capped at 10 000.
    assert jan.gross == D("24000.00")
    assert jan.not_earned_back == D("24000.00")
    assert jan.payable == D("10000.00")
    assert jan.cap_reduction == D("14000.00")
    assert jan.cap_applied


def test_cap_exactly_reached_is_not_a_reduction():
    terms = CreditTerms(D("100000.00"), D("10"), 0)
    (jan,) = credit_ledger(terms, _levels()[:1], {1: {JAN: BREACH}}, [JAN]).months
    assert jan.payable == D("10000.00")
    assert not jan.cap_applied


def test_gaps_and_warnings_create_no_credit():
    terms = CreditTerms(D("100000.00"), D("10"), 3)
    ledger = credit_ledger(terms, _levels(), {1: {JAN: GAP}, 2: {JAN: WARN}}, [JAN])
    assert ledger.months[0].breaches == 0
    assert ledger.payable == D("0.00")


def test_report_ledger_earn_back_looks_beyond_the_shown_window():
    level = LevelInput(1, "Service level", "%", critical("50"))
    results = {
        (1, JAN): Result(D("70")),  # breach
        (1, FEB): Result(D("85")),
        (1, MAR): Result(D("80")),  # boundary meets
        (1, APR): Result(D("90")),
    }
    report = evaluate_engagement(
        [level],
        results,
        start=date(2025, 1, 1),
        end=None,
        first=JAN,
        last=JAN,
        today=date(2026, 5, 20),
        terms=CreditTerms(D("200000.00"), D("12"), 3),
    )
    (jan,) = report.ledger.months
    # 200 000 x 12 x 50 / 10 000 = 12 000.00, earned back by Feb, Mar, Apr.
    assert jan.credits[0].amount == D("12000.00")
    assert jan.credits[0].state is EarnBack.EARNED
    assert jan.payable == D("0.00")
    assert report.critical.met == 0 and report.critical.reported == 1
