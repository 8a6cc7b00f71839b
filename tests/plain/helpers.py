"""Answer lines for the plain consultation, made from an answers file."""

from __future__ import annotations

from pathlib import Path

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    QuestionBank,
    SeveralQuestion,
)
from decision_aid.core.branching import asked_questions
from decision_aid.pipeline import read_answers


def typed(question: object, value: object) -> str:
    """What a person types for ``value``: option numbers, a number, or u for unknown."""
    if isinstance(question, ChoiceQuestion):
        return str([o.value for o in question.options].index(str(value)) + 1)
    if isinstance(question, SeveralQuestion):
        values = [o.value for o in question.options]
        assert isinstance(value, list)
        return ", ".join(str(values.index(v) + 1) for v in value)
    if isinstance(question, NumberQuestion) and value == "unknown":
        return "u"
    return str(value)


def answer_lines(bank: QuestionBank, answers_file: Path) -> list[str]:
    """Every line typed to give these answers: each asked question in turn (an empty line
    for one left unanswered), Enter at the review, Enter to save with the proposed name."""
    answers = read_answers(answers_file, bank).answers
    steps = {s.id: s.step for s in bank.bank.sections}
    lines: list[str] = []
    review_done = False
    for question in asked_questions(bank, answers):
        if steps[question.section] == "values" and not review_done:
            lines.append("")  # the review: go on
            review_done = True
        lines.append(typed(question, answers[question.id]) if question.id in answers else "")
    if not review_done:
        lines.append("")
    lines.append("")  # save with the proposed name
    return lines
