"""Which questions are asked, given the answers so far, and in what order.

A question's ``asked_when`` may only look at questions before it (``loading`` checks
this), so one pass in bank order decides every question and there can be no cycle.
A hidden question is not asked, not saved and not reported; its answer does not count
towards any later condition.
"""

from __future__ import annotations

from decision_aid.core.bank import Question, QuestionBank
from decision_aid.core.conditions import Answers, AnswerValue, enable_when_holds


def is_enabled(question: Question, answers: Answers) -> bool:
    """Whether ``question`` is asked, given answers to the questions before it."""
    if not question.asked_when:
        return True
    results = (enable_when_holds(rule, answers) for rule in question.asked_when)
    return all(results) if question.enable_behavior == "all" else any(results)


def asked_questions(bank: QuestionBank, answers: Answers) -> list[Question]:
    """The questions asked for these answers, in bank order."""
    asked: list[Question] = []
    visible: dict[str, AnswerValue] = {}
    for question in bank.questions:
        if is_enabled(question, visible):
            asked.append(question)
            if question.id in answers:
                visible[question.id] = answers[question.id]
    return asked


def prune(bank: QuestionBank, answers: Answers) -> tuple[dict[str, AnswerValue], list[str]]:
    """Split answers into those to asked questions (bank order) and the ids now hidden."""
    asked = {q.id for q in asked_questions(bank, answers)}
    kept = {q.id: answers[q.id] for q in bank.questions if q.id in answers and q.id in asked}
    dropped = [q.id for q in bank.questions if q.id in answers and q.id not in asked]
    return kept, dropped


def next_question(bank: QuestionBank, answers: Answers, after: str | None) -> Question | None:
    """The first asked question after ``after`` (the first of all when ``None``)."""
    asked = asked_questions(bank, answers)
    if after is None:
        return asked[0] if asked else None
    order = bank.question_ids
    position = order.index(after)
    for question in asked:
        if order.index(question.id) > position:
            return question
    return None


def previous_question(bank: QuestionBank, answers: Answers, before: str) -> Question | None:
    """The last asked question before ``before``, or ``None`` at the start."""
    order = bank.question_ids
    position = order.index(before)
    earlier = [q for q in asked_questions(bank, answers) if order.index(q.id) < position]
    return earlier[-1] if earlier else None


def describe_asked_when(bank: QuestionBank, question: Question) -> str:
    """When ``question`` is asked, in the file's own words (for messages and the template)."""
    if not question.asked_when:
        return "always"
    joiner = " and " if question.enable_behavior == "all" else " or "
    parts = []
    for rule in question.asked_when:
        if rule.operator == "exists":
            parts.append(f"{rule.question} is {'answered' if rule.answer else 'not answered'}")
        else:
            word = {"=": "is", "!=": "is not"}.get(rule.operator, rule.operator)
            answer = str(rule.answer).lower() if isinstance(rule.answer, bool) else rule.answer
            parts.append(f"{rule.question} {word} {answer}")
    return joiner.join(parts)
