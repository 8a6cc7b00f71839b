"""Implied answers (bank.yaml ``implies``): the rules read them, the answers never change."""

from __future__ import annotations

from typing import Any

import pytest

from decision_aid.core.bank import Condition, Implication, QuestionBank
from decision_aid.core.conditions import condition_holds
from decision_aid.core.implies import imply
from decision_aid.core.loading import load_bank

APL = Condition(question="pregnancy.antiphospholipid", operator="=", answer="yes")
IMPLIES = Implication(
    when=APL, question="clot.risk_factors", answer="clotting_disorder", why="For the test."
)


def holds(condition: Condition, answers: dict[str, Any]) -> bool:
    rewritten = imply(condition, IMPLIES, several=True, alone=["none"])
    return condition_holds(rewritten, answers)


def comparison(operator: str, answer: Any) -> Condition:
    return Condition(question="clot.risk_factors", operator=operator, answer=answer)


@pytest.mark.parametrize(
    ("condition", "given", "expected_with", "expected_without"),
    [
        # "includes the implied choice": true whenever the reason holds.
        (comparison("=", "clotting_disorder"), ["none"], True, False),
        # "includes none": none no longer counts once a choice is implied.
        (comparison("=", "none"), ["none"], False, True),
        (comparison("!=", "none"), ["none"], True, False),
        (comparison("!=", "clotting_disorder"), ["smoking"], False, True),
        # Another choice: the person's own answer decides, implied or not.
        (comparison("=", "smoking"), ["smoking"], True, True),
        (comparison("=", "smoking"), ["none"], False, False),
        (comparison("in", ["smoking", "clotting_disorder"]), ["none"], True, False),
        (comparison("in", ["smoking", "none"]), ["none"], False, True),
        (comparison("in", ["smoking", "none"]), ["smoking"], True, True),
        (comparison("exists", False), None, False, True),
    ],
)
def test_a_comparison_reads_the_implied_choice_only_when_its_reason_holds(
    condition: Condition, given: Any, expected_with: bool, expected_without: bool
) -> None:
    """Each operator, with the reason holding and not, on a several-choices question."""
    answers: dict[str, Any] = {} if given is None else {"clot.risk_factors": given}
    assert holds(condition, {**answers, "pregnancy.antiphospholipid": "yes"}) is expected_with
    assert holds(condition, {**answers, "pregnancy.antiphospholipid": "no"}) is expected_without


def test_conditions_on_other_questions_are_left_alone() -> None:
    """Only comparisons on the implied question change; all/any/not are walked."""
    other = Condition(question="clot.history", operator="=", answer="no")
    assert imply(other, IMPLIES, several=True, alone=["none"]) is other
    group = Condition(all=[other, Condition(not_=comparison("=", "none"))])
    answers = {"clot.history": "no", "clot.risk_factors": ["none"]}
    assert not holds(group, {**answers, "pregnancy.antiphospholipid": "no"})
    assert holds(group, {**answers, "pregnancy.antiphospholipid": "yes"})


@pytest.fixture(scope="module")
def shipped() -> QuestionBank:
    return load_bank()


def _holding(bank: QuestionBank, answers: dict[str, Any]) -> set[str]:
    return {c.id for c in bank.considerations if condition_holds(c.when, answers)}


def test_antiphospholipid_antibodies_in_pregnancy_are_a_clotting_disorder(
    shipped: QuestionBank,
) -> None:
    """The shipped rules: antibodies with "none" ticked give the clot point, never "no known"."""
    answers: dict[str, Any] = {
        "pregnancy.plans": "pregnant_now",
        "pregnancy.antiphospholipid": "yes",
        "clot.history": "no",
        "clot.risk_factors": ["none"],
    }
    holding = _holding(shipped, answers)
    assert "clot-clotting-disorder" in holding
    assert "clot-none-known" not in holding
    answers["pregnancy.antiphospholipid"] = "no"
    holding = _holding(shipped, answers)
    assert "clot-none-known" in holding and "clot-clotting-disorder" not in holding


def test_antiphospholipid_antibodies_outside_pregnancy_are_never_no_known_risk(
    shipped: QuestionBank,
) -> None:
    """Not planning a pregnancy, the clotting-disorder choice gives the same clot point."""
    answers = {
        "pregnancy.plans": "not_planning",
        "clot.history": "no",
        "clot.risk_factors": ["clotting_disorder"],
    }
    holding = _holding(shipped, answers)
    assert "clot-clotting-disorder" in holding and "clot-none-known" not in holding


def test_the_bank_says_the_implication_in_data(shipped: QuestionBank) -> None:
    """The link is data in bank.yaml, not a rule that names antiphospholipid antibodies."""
    (implication,) = shipped.bank.implies
    assert implication.question == "clot.risk_factors"
    assert implication.answer == "clotting_disorder"
    assert implication.when.questions() == ["pregnancy.antiphospholipid"]
    rule = next(c for c in shipped.considerations if c.id == "clot-clotting-disorder")
    assert rule.topic == "clot-risk"
