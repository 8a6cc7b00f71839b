"""Random but valid answers for any bank: every path through the branching gets walked."""

from __future__ import annotations

import random
from typing import Any

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.branching import is_enabled


def random_value(question: Question, rng: random.Random) -> Any:
    """One allowed answer to ``question``."""
    if isinstance(question, ChoiceQuestion):
        return rng.choice([o.value for o in question.options])
    if isinstance(question, SeveralQuestion):
        alone = [o.value for o in question.options if o.value in question.exclusive]
        others = [o.value for o in question.options if o.value not in question.exclusive]
        if alone and rng.random() < 0.25:
            return [rng.choice(alone)]
        picked = rng.sample(others, rng.randint(1, min(4, len(others))))
        return picked  # any order: the answers file keeps the bank's
    if isinstance(question, WholeNumberQuestion | ScaleQuestion):
        return rng.randint(question.minimum, question.maximum)
    assert isinstance(question, NumberQuestion)
    roll = rng.random()
    if roll < 0.25:
        return "unknown"
    if roll < 0.6:
        return rng.randint(int(question.minimum), int(question.maximum))
    return round(rng.uniform(question.minimum, question.maximum), 1)


def random_answers(bank: QuestionBank, seed: int) -> dict[str, Any]:
    """An answers file's ``answers``: only asked questions, optional ones sometimes left out."""
    rng = random.Random(seed)
    answers: dict[str, Any] = {}
    for question in bank.questions:
        if not is_enabled(question, answers):
            continue
        if not question.required and rng.random() < 0.4:
            continue
        answers[question.id] = random_value(question, rng)
    return answers
