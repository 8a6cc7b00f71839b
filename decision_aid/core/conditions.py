"""Evaluating conditions against answers, with the semantics of FHIR ``enableWhen``.

Conditions are data from ``questions/``; nothing here evaluates text as code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from decision_aid.core.bank import Condition, EnableWhen

AnswerValue = str | int | float | list[str]
Answers = Mapping[str, AnswerValue]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _values(answers: Answers, question_id: str) -> list[object]:
    value = answers.get(question_id)
    if value is None:
        return []
    if isinstance(value, list):
        return list(value)
    return [value]


def _equal(a: object, b: object) -> bool:
    if _is_number(a) and _is_number(b):
        return a == b
    return type(a) is type(b) and a == b


def compare(question_id: str, operator: str, expected: object, answers: Answers) -> bool:
    """One comparison, as FHIR R4 defines it for ``enableWhen``.

    ``=``: some answer equals; ``!=``: no answer equals (so true when unanswered);
    ordering operators: some numeric answer compares so (``unknown`` never does);
    ``exists``: answered is ``expected``; ``in``: some answer equals one of ``expected``.
    """
    values = _values(answers, question_id)
    if operator == "exists":
        return bool(values) == bool(expected)
    if operator == "=":
        return any(_equal(v, expected) for v in values)
    if operator == "!=":
        return not any(_equal(v, expected) for v in values)
    if operator == "in":
        options = expected if isinstance(expected, list) else [expected]
        return any(_equal(v, o) for v in values for o in options)
    order = _ORDER[operator]
    return any(_is_number(v) and _is_number(expected) and order(v, expected) for v in values)


def enable_when_holds(rule: EnableWhen, answers: Answers) -> bool:
    """Whether one ``asked_when`` entry holds."""
    return compare(rule.question, rule.operator, rule.answer, answers)


def condition_holds(condition: Condition, answers: Answers) -> bool:
    """Whether a rule condition (a comparison or all/any/not of others) holds."""
    if condition.all is not None:
        return all(condition_holds(part, answers) for part in condition.all)
    if condition.any is not None:
        return any(condition_holds(part, answers) for part in condition.any)
    if condition.not_ is not None:
        return not condition_holds(condition.not_, answers)
    assert condition.question is not None and condition.operator is not None
    return compare(condition.question, condition.operator, condition.answer, answers)
