"""The BPO/KPO advisor with hand-computed scores."""

import json
from pathlib import Path

import pytest

from vendor_tracker.selection.advisor import (
    Advice,
    IncompleteAnswers,
    Question,
    advise,
    answer_problems,
    classify,
    management_guidance,
)

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [
    Question(
        code=row["code"], text=row["text"], low=row["low"], high=row["high"], weight=row["weight"]
    )
    for row in json.loads((ROOT / "seed_data/advisor_questions.json").read_text())["questions"]
]
TWO = [Question("a", "A?", "a-low", "a-high", 1), Question("b", "B?", "b-low", "b-high", 3)]


def test_score_is_the_weighted_mean_on_0_to_100():
    # a=5 -> 100 points x1, b=2 -> 25 points x3: (100 + 75) / 4 = 43.75
    result = advise(TWO, {"a": 5, "b": 2})
    assert result.score == pytest.approx(43.75)
    assert result.advice is Advice.HYBRID


def test_all_bpo_end_is_bpo_with_every_answer_pushing_bpo():
    result = advise(QUESTIONS, {q.code: 1 for q in QUESTIONS})
    assert result.score == 0
    assert result.advice is Advice.BPO
    assert len(result.towards_bpo) == len(QUESTIONS) and result.towards_kpo == ()
    # The checklist question weighs 2, so it is the strongest push.
    assert result.towards_bpo[0].code == "checklist"
    assert result.towards_bpo[0].strength == 4


def test_all_kpo_end_is_kpo():
    result = advise(QUESTIONS, {q.code: 5 for q in QUESTIONS})
    assert result.score == 100
    assert result.advice is Advice.KPO


def test_middle_answers_are_hybrid_and_push_neither_way():
    result = advise(QUESTIONS, {q.code: 3 for q in QUESTIONS})
    assert result.score == 50
    assert result.advice is Advice.HYBRID
    assert result.towards_bpo == () and result.towards_kpo == ()


def test_mixed_answers_list_pushes_both_ways_strongest_first():
    answers = {q.code: 3 for q in QUESTIONS}
    answers.update(checklist=1, volume=2, specialization=5, output=4)
    # points: checklist 0 x2, volume 25, specialization 100, output 75, four others 50 -> 400 / 9
    result = advise(QUESTIONS, answers)
    assert result.score == pytest.approx(400 / 9)
    assert [p.code for p in result.towards_bpo] == ["checklist", "volume"]
    assert [p.code for p in result.towards_kpo] == ["specialization", "output"]
    assert result.towards_kpo[0].description == QUESTIONS[3].high


@pytest.mark.parametrize(
    ("score", "advice"),
    [(0, "BPO"), (39.99, "BPO"), (40, "hybrid"), (60, "hybrid"), (60.01, "KPO"), (100, "KPO")],
)
def test_thresholds_are_inclusive_for_hybrid(score, advice):
    assert classify(score) == advice


def test_a_score_exactly_on_a_threshold_is_hybrid():
    questions = [Question("a", "A", "", "", 2), Question("b", "B", "", "", 3)]
    # a=5 (100 x2 = 200), b=1 (0) -> 200 / 5 = 40 exactly
    result = advise(questions, {"a": 5, "b": 1})
    assert result.score == 40
    assert result.advice is Advice.HYBRID


def test_conference_example_calling_from_a_script_is_bpo():
    answers = dict(
        checklist=1,
        complexity=1,
        volume=1,
        specialization=1,
        strategic=1,
        collaboration=2,
        unpredictability=1,
        output=1,
    )
    result = advise(QUESTIONS, answers)
    assert result.score == pytest.approx(25 / 9)
    assert result.advice is Advice.BPO


def test_conference_example_researching_the_contacts_is_kpo():
    answers = dict(
        checklist=5,
        complexity=4,
        volume=3,
        specialization=4,
        strategic=3,
        collaboration=3,
        unpredictability=4,
        output=3,
    )
    # 100x2 + 75 + 50 + 75 + 50 + 50 + 75 + 50 = 625 over weight 9
    result = advise(QUESTIONS, answers)
    assert result.score == pytest.approx(625 / 9)
    assert result.advice is Advice.KPO


def test_missing_and_off_scale_answers_are_named():
    problems = answer_problems(TWO, {"a": 6, "zzz": 3})
    assert set(problems) == {"a", "b", "zzz"}
    assert "1 to 5" in problems["a"]
    with pytest.raises(IncompleteAnswers) as raised:
        advise(TWO, {"a": 2})
    assert raised.value.problems == {"b": "Answer this question."}


def test_non_integer_answers_are_refused():
    assert set(answer_problems(TWO, {"a": "3", "b": True})) == {"a", "b"}


def test_guidance_names_the_governing_instrument():
    assert "service levels" in management_guidance("BPO")
    assert "rubric" in management_guidance("KPO")
    assert "split" in management_guidance("hybrid")
