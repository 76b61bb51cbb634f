"""The BPO/KPO advisor: questionnaire answers in, a BPO-to-KPO score and a recommendation out.

Every question runs on a 1..5 scale from the BPO end (1) to the KPO end (5). The score is the
weighted mean of the answers mapped onto 0..100: 0 is pure BPO, 100 is pure KPO,
`sum(w x (answer - 1) / 4 x 100) / sum(w)`. Thresholds (documented on the page too):

- score < 40        -> BPO: run it on service levels;
- 40 <= score <= 60 -> hybrid: the work mixes both and should be split into two requests;
- score > 60        -> KPO: run it on deliverables and review rounds.

An answer under 3 pushes towards BPO, over 3 towards KPO, 3 pushes neither way; pushes are
listed strongest first (weight x distance from 3).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

SCALE_MIN = 1
SCALE_MAX = 5
NEUTRAL = 3
BPO_BELOW = 40
KPO_ABOVE = 60


class Advice(StrEnum):
    """What the advisor recommends."""

    BPO = "BPO"
    KPO = "KPO"
    HYBRID = "hybrid"

    @property
    def label(self) -> str:
        return {"BPO": "BPO", "KPO": "KPO", "hybrid": "Hybrid (split the work)"}[self.value]


@dataclass(frozen=True)
class Question:
    """One advisor question; `low` describes answer 1 (BPO end), `high` answer 5 (KPO end)."""

    code: str
    text: str
    low: str
    high: str
    weight: int = 1


@dataclass(frozen=True)
class Push:
    """An answer that moved the score away from the middle."""

    code: str
    text: str
    answer: int
    description: str
    strength: float


@dataclass(frozen=True)
class AdvisorResult:
    """The advisor's verdict for one set of answers."""

    score: float
    advice: Advice
    towards_bpo: tuple[Push, ...]
    towards_kpo: tuple[Push, ...]


class IncompleteAnswers(ValueError):
    """Some questions are unanswered or answered off the scale."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


def answer_problems(questions: Sequence[Question], answers: Mapping[str, object]) -> dict[str, str]:
    """Per question code, why its answer is missing or not on the 1..5 scale."""
    problems: dict[str, str] = {}
    for question in questions:
        value = answers.get(question.code)
        if value is None or value == "":
            problems[question.code] = "Answer this question."
            continue
        on_scale = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and SCALE_MIN <= value <= SCALE_MAX
        )
        if not on_scale:
            problems[question.code] = f"Pick a whole number from {SCALE_MIN} to {SCALE_MAX}."
    for code in answers:
        if code not in {q.code for q in questions}:
            problems[code] = "There is no such question."
    return problems


def classify(score: float) -> Advice:
    """Apply the thresholds: under 40 BPO, over 60 KPO, 40..60 inclusive hybrid."""
    if score < BPO_BELOW:
        return Advice.BPO
    if score > KPO_ABOVE:
        return Advice.KPO
    return Advice.HYBRID


def advise(questions: Sequence[Question], answers: Mapping[str, int]) -> AdvisorResult:
    """Score the answers on the BPO-to-KPO scale and recommend BPO, KPO or hybrid."""
    problems = answer_problems(questions, answers)
    if problems:
        raise IncompleteAnswers(problems)
    total_weight = sum(q.weight for q in questions)
    if total_weight <= 0:
        raise IncompleteAnswers({"_questions": "The questionnaire has no weighted question."})
    points = sum(
        Fraction(q.weight) * Fraction(answers[q.code] - SCALE_MIN, SCALE_MAX - SCALE_MIN) * 100
        for q in questions
    )
    # Exact fractions so a score landing on a threshold is classified by the documented rule.
    score = points / total_weight
    towards_bpo, towards_kpo = [], []
    for q in questions:
        answer = answers[q.code]
        if answer == NEUTRAL:
            continue
        push = Push(
            code=q.code,
            text=q.text,
            answer=answer,
            description=q.low if answer < NEUTRAL else q.high,
            strength=float(q.weight * abs(answer - NEUTRAL)),
        )
        (towards_bpo if answer < NEUTRAL else towards_kpo).append(push)
    order = {q.code: i for i, q in enumerate(questions)}
    return AdvisorResult(
        score=float(score),
        advice=classify(score),
        towards_bpo=tuple(sorted(towards_bpo, key=lambda p: (-p.strength, order[p.code]))),
        towards_kpo=tuple(sorted(towards_kpo, key=lambda p: (-p.strength, order[p.code]))),
    )


def management_guidance(advice: str) -> str:
    """What the recommendation means for how the engagement will be managed."""
    return {
        Advice.BPO: (
            "Govern it with service levels: agree KPIs with targets and minimums, measure them "
            "monthly, and tie service credits to breaches. The award adds the suggested KPIs "
            "from the library to the planned engagement."
        ),
        Advice.KPO: (
            "Govern it with deliverables and review rounds: agree what is delivered and when, "
            "review each version against a rubric, and track first-pass acceptance. The award "
            "gives the planned engagement the suggested rubric."
        ),
        Advice.HYBRID: (
            "The work mixes routine processing and knowledge work: split it. Run the scripted, "
            "high-volume part as BPO on service levels and the research or analysis part as KPO "
            "on deliverables, each with its own sourcing request."
        ),
    }[Advice(advice)]
