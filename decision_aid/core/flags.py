"""The "stop" and "take care" points an answer raises, shown under it as the consultation goes.

A point is placed under the last question, in bank order, that its condition looks at:
the answer that completes the condition is the one that raises it. The line shown is the
point's level word and the first sentence of the same text the report gives in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from decision_aid.core.bank import Consideration, QuestionBank
from decision_aid.core.citations import strip_markers
from decision_aid.core.conditions import AnswerValue, condition_holds

FLAG_LEVELS = ("stop", "caution")
"""The levels raised during the consultation; a "note" waits for the report."""

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def raised_points(
    bank: QuestionBank, answers: Mapping[str, AnswerValue]
) -> dict[str, list[Consideration]]:
    """The stop and caution points that hold, keyed by the question that raises each.

    Points are in the bank's order (most serious first), as the report lists them.
    """
    order = {q.id: index for index, q in enumerate(bank.questions)}
    raised: dict[str, list[Consideration]] = {}
    for point in bank.considerations:
        if point.level not in FLAG_LEVELS or not condition_holds(point.when, answers):
            continue
        looked_at = [qid for qid in point.when.questions() if qid in order]
        if looked_at:
            raised.setdefault(max(looked_at, key=order.__getitem__), []).append(point)
    for points in raised.values():
        points.sort(key=lambda p: FLAG_LEVELS.index(p.level))
    return raised


def flag_line(bank: QuestionBank, point: Consideration) -> str:
    """One line for a raised point: its level word and its text's first sentence."""
    text = strip_markers(point.text)
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    more = "" if first == text else " (More in the report.)"
    return f"! {bank.labels.level_words[point.level]}: {first}{more}"


def answer_lines(bank: QuestionBank, answers: Mapping[str, AnswerValue]) -> dict[str, list[str]]:
    """Everything shown under the answers given: the points raised, then for each "no" to a
    SURE question the next step the report suggests for it."""
    lines = {
        qid: [flag_line(bank, point) for point in points]
        for qid, points in raised_points(bank, answers).items()
    }
    for advice in bank.report.sure_advice:
        if answers.get(advice.question) == "no":
            lines.setdefault(advice.question, []).append(strip_markers(advice.if_no))
    return lines
