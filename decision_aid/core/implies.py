"""Answers that imply other answers (``implies:`` in bank.yaml), folded into rule conditions.

The contract lets an answer imply another for the rules: ``pregnancy.antiphospholipid:
yes`` is a clotting disorder for the clot points, whether or not ``clot.risk_factors``
lists one. Rather than teach every reader of conditions about this, each comparison on
an implied question is rewritten, once, when the bank is loaded, into a plain condition
that reads "the answer as given, or the implied one when its reason holds". A condition
rewritten so gives the same result for any caller of ``condition_holds``, with no state
beside the answers, and the person's answers themselves never change.
"""

from __future__ import annotations

from dataclasses import replace

from decision_aid.core.bank import (
    ChoiceQuestion,
    Condition,
    Implication,
    QuestionBank,
    Scalar,
    SeveralQuestion,
)

ALWAYS = Condition(all=[])
"""A condition that always holds (all of nothing)."""
NEVER = Condition(any=[])
"""A condition that never holds (any of nothing)."""


def _with_implied(
    leaf: Condition, implied: str, alone: list[str], several: bool
) -> Condition | None:
    """``leaf`` evaluated on the answers with ``implied`` added: a constant, or a new leaf.

    ``None`` means "the same as ``leaf``" (the implied choice does not change its result).
    """
    operator, answer = leaf.operator, leaf.answer
    options: list[Scalar] = (
        answer if isinstance(answer, list) else [] if answer is None else [answer]
    )
    if operator == "exists":
        return ALWAYS if answer else NEVER
    if not several:
        # A one-choice answer is replaced by the implied one.
        holds = implied in options
        return (ALWAYS if holds else NEVER) if operator != "!=" else (NEVER if holds else ALWAYS)
    if operator in ("=", "!="):
        if answer == implied:
            return ALWAYS if operator == "=" else NEVER
        if answer in alone:
            return NEVER if operator == "=" else ALWAYS
        return None
    if operator == "in":
        if implied in options:
            return ALWAYS
        kept = [o for o in options if o not in alone]
        if not kept:
            return NEVER
        return None if kept == options else replace(leaf, answer=kept)
    return None  # ordering operators: not allowed on choices (loading checks it)


def imply(
    condition: Condition, implication: Implication, several: bool, alone: list[str]
) -> Condition:
    """``condition`` with every comparison on ``implication.question`` reading the implied
    answer too, whenever ``implication.when`` holds."""
    if condition.question is not None:
        if condition.question != implication.question:
            return condition
        implied = _with_implied(condition, implication.answer, alone, several)
        if implied is None:
            return condition
        reason = implication.when
        if implied is ALWAYS:
            return Condition(any=[reason, condition])
        if implied is NEVER:
            return Condition(all=[Condition(not_=reason), condition])
        return Condition(
            any=[
                Condition(all=[reason, implied]),
                Condition(all=[Condition(not_=reason), condition]),
            ]
        )
    if condition.all is not None:
        return replace(
            condition, all=[imply(c, implication, several, alone) for c in condition.all]
        )
    if condition.any is not None:
        return replace(
            condition, any=[imply(c, implication, several, alone) for c in condition.any]
        )
    assert condition.not_ is not None
    return replace(condition, not_=imply(condition.not_, implication, several, alone))


def with_implications(bank: QuestionBank) -> QuestionBank:
    """``bank`` with every consideration's condition reading the bank's implied answers.

    Expects a bank that ``loading.cross_check`` found whole (each implication names a
    choice question of the bank and one of its options).
    """
    if not bank.bank.implies:
        return bank
    considerations = list(bank.considerations)
    for implication in bank.bank.implies:
        question = bank.question(implication.question)
        several = isinstance(question, SeveralQuestion)
        alone = list(question.exclusive) if isinstance(question, SeveralQuestion) else []
        assert isinstance(question, ChoiceQuestion | SeveralQuestion)
        considerations = [
            replace(c, when=imply(c.when, implication, several, alone)) for c in considerations
        ]
    return replace(bank, considerations=considerations)
