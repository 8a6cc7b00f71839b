"""Varied, valid answers files for the benchmark, built by walking a question bank.

Each file answers every question its own earlier answers make asked (FHIR
``enableWhen``, as the product decides it), with values drawn from each question's
domain, and sometimes leaves an optional question out. Every file is checked with the
product's own reader before it is written, so the benchmark never times an error path.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from decision_aid.core.answers import AnswerSet, dump_answers, parse_answers
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
from decision_aid.core.conditions import AnswerValue

REPORT_DATE = dt.date(2026, 11, 25)
"""A fixed date, so the same seed gives the same files and the same reports."""


def random_value(question: Question, rng: random.Random) -> AnswerValue:
    """One allowed answer to ``question``: "unknown", whole and decimal numbers included."""
    if isinstance(question, ChoiceQuestion):
        return rng.choice(question.options).value
    if isinstance(question, SeveralQuestion):
        alone = [o.value for o in question.options if o.value in question.exclusive]
        others = [o.value for o in question.options if o.value not in question.exclusive]
        if alone and (not others or rng.random() < 0.25):
            return [rng.choice(alone)]
        return rng.sample(others, rng.randint(1, min(4, len(others))))  # any order
    if isinstance(question, WholeNumberQuestion | ScaleQuestion):
        return rng.randint(question.minimum, question.maximum)
    assert isinstance(question, NumberQuestion)
    roll = rng.random()
    if roll < 0.25:
        return "unknown"
    if roll < 0.6:
        return rng.randint(int(question.minimum), int(question.maximum))
    return round(rng.uniform(question.minimum, question.maximum), 1)


def random_answers(bank: QuestionBank, rng: random.Random) -> dict[str, AnswerValue]:
    """One person's answers: every asked question in bank order, optional ones sometimes.

    Also the FHIR round-trip tests' generator (tests/fhir/test_fhir_response.py), so every
    branch and every kind of value is walked by one piece of code.
    """
    answers: dict[str, AnswerValue] = {}
    for question in bank.questions:
        if not is_enabled(question, answers):
            continue
        if not question.required and rng.random() < 0.4:
            continue
        answers[question.id] = random_value(question, rng)
    return answers


def write_answers_files(bank: QuestionBank, folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` valid answers files to ``folder``; returns their paths in order."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        name = f"person-{index:04d}.answers.yaml"
        checked = parse_answers(
            {
                "format": "ivig-decision-aid/answers/1",
                "date": REPORT_DATE,
                "answers": random_answers(bank, rng),
            },
            bank,
            name,
        )
        path = folder / name
        path.write_text(
            dump_answers(AnswerSet(answers=checked.answers, date=REPORT_DATE), bank),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    """``python -m bench.answers FOLDER COUNT [BANK]``: run in a child, so the benchmark's own
    process stays small (a child's peak RSS counts its parent's pages until ``exec``)."""
    from decision_aid.core.loading import load_bank

    folder, count = Path(argv[0]), int(argv[1])
    bank_dir = Path(argv[2]) if len(argv) > 2 else None
    bank = load_bank(bank_dir, str(bank_dir) if bank_dir else None)
    write_answers_files(bank, folder, count)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
