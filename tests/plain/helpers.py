"""Answer lines for the plain consultation, made from an answers file."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    QuestionBank,
    SeveralQuestion,
)
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.consultation import WELCOME, Consultation
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


def lines_for(bank: QuestionBank, answers: Mapping[str, AnswerValue]) -> list[str]:
    """Every line typed to give these answers, step by step as the flow model leads: each
    asked question in turn (an empty line for one left unanswered), Enter at every other
    step (the review, any step that shows the report), and Enter to save."""
    flow = Consultation(bank, answers)
    lines: list[str] = []
    step = flow.after(WELCOME)
    while True:
        if step.kind == "section":
            assert step.section is not None
            for question in flow.questions_in(step.section):
                given = question.id in answers
                lines.append(typed(question, answers[question.id]) if given else "")
        else:
            lines.append("")
            if step.kind == "summary":
                return lines
        step = flow.after(step)


def answer_lines(bank: QuestionBank, answers_file: Path) -> list[str]:
    """:func:`lines_for` the answers in ``answers_file``."""
    return lines_for(bank, read_answers(answers_file, bank).answers)
