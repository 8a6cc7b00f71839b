"""How each kind of question is shown as numbered lines, and how a typed line becomes an answer."""

from __future__ import annotations

import re

from decision_aid.core.answers import UNKNOWN, check_value
from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.conditions import AnswerValue
from decision_aid.plain import words

_SEPARATORS = re.compile(r"[\s,]+")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def choices(question: Question) -> list[str]:
    """The numbered lines under a question ("1. No"), or the scale's points ("0: …")."""
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        return [f"{n}. {o.label}" for n, o in enumerate(question.options, start=1)]
    if isinstance(question, ScaleQuestion):
        return [f"{point}: {question.labels[point]}" for point in sorted(question.labels)]
    return []


def how_to_answer(question: Question) -> str:
    """The line that says what to type."""
    if isinstance(question, ChoiceQuestion):
        return words.ASK_CHOICE.format(last=len(question.options))
    if isinstance(question, SeveralQuestion):
        return words.ASK_SEVERAL
    if isinstance(question, WholeNumberQuestion):
        return words.ASK_WHOLE.format(low=question.minimum, high=question.maximum)
    if isinstance(question, NumberQuestion):
        unit = f" {question.unit}" if question.unit else ""
        return words.ASK_NUMBER.format(
            low=_number(question.minimum),
            high=_number(question.maximum),
            unit=unit,
            unknown=question.unknown_label,
        )
    return words.ASK_SCALE.format(low=question.minimum, high=question.maximum)


def parse(question: Question, typed: str) -> tuple[AnswerValue | None, str]:
    """The answer a typed line gives, or ``(None, why it cannot be used)``."""
    ask = how_to_answer(question)
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        picked: list[str] = []
        for part in _SEPARATORS.split(typed.strip()):
            if not part.isdigit() or not 1 <= int(part) <= len(question.options):
                return None, words.NOT_A_CHOICE.format(found=part, ask=ask)
            picked.append(question.options[int(part) - 1].value)
        if isinstance(question, ChoiceQuestion):
            if len(picked) != 1:
                return None, words.NOT_A_CHOICE.format(found=typed.strip(), ask=ask)
            return picked[0], ""
        if len(set(picked)) != len(picked):
            return None, words.TWICE.format(ask=ask)
        for alone in question.exclusive:
            if alone in picked and len(picked) > 1:
                label = next(o.label for o in question.options if o.value == alone)
                return None, words.ALONE.format(label=label, ask=ask)
        value, problem = check_value(question, picked)
        return value, "" if problem is None else ask
    text = typed.strip()
    found: object = text
    if isinstance(question, NumberQuestion):
        if text.lower() in ("u", UNKNOWN, question.unknown_label.lower()):
            return UNKNOWN, ""
        try:
            found = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
        except ValueError:
            found = text
    elif re.fullmatch(r"[+-]?\d+", text):
        found = int(text)
    value, problem = check_value(question, found)
    if problem is not None:
        return None, words.NOT_A_NUMBER.format(found=text, ask=ask)
    return value, ""
