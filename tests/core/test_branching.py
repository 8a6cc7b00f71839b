"""Which questions are asked: one pass in bank order, hidden answers never count."""

from __future__ import annotations

from decision_aid.core.bank import QuestionBank
from decision_aid.core.branching import (
    asked_questions,
    describe_asked_when,
    next_question,
    previous_question,
    prune,
)


def ids(questions: list) -> list[str]:
    return [q.id for q in questions]


def test_follow_up_is_asked_only_when_its_condition_holds(tiny_bank: QuestionBank) -> None:
    """nephritis.class follows a proven biopsy; treatment.response follows a medicine."""
    none = asked_questions(tiny_bank, {"nephritis.status": "none", "treatment.prior": ["none"]})
    assert "nephritis.class" not in ids(none)
    assert "treatment.response" not in ids(none)
    proven = asked_questions(
        tiny_bank, {"nephritis.status": "biopsy_proven", "treatment.prior": ["mycophenolate"]}
    )
    assert "nephritis.class" in ids(proven)
    assert "treatment.response" in ids(proven)


def test_prune_drops_answers_that_became_hidden(tiny_bank: QuestionBank) -> None:
    """Changing an answer so that a follow-up is hidden drops the follow-up's answer."""
    kept, dropped = prune(
        tiny_bank, {"nephritis.status": "none", "nephritis.class": "V", "kidney.egfr": 50}
    )
    assert dropped == ["nephritis.class"]
    assert kept == {"nephritis.status": "none", "kidney.egfr": 50}


def test_next_and_previous_skip_hidden_questions(tiny_bank: QuestionBank) -> None:
    """Next after the status skips the class when it is hidden; back returns past it too."""
    answers = {"nephritis.status": "none"}
    after = next_question(tiny_bank, answers, "nephritis.status")
    assert after is not None and after.id == "kidney.egfr"
    before = previous_question(tiny_bank, answers, "kidney.egfr")
    assert before is not None and before.id == "nephritis.status"
    assert previous_question(tiny_bank, answers, "nephritis.status") is None
    first = next_question(tiny_bank, {}, None)
    assert first is not None and first.id == "nephritis.status"
    assert next_question(tiny_bank, answers, "values.kidney_protection") is None


def test_describe_asked_when(tiny_bank: QuestionBank) -> None:
    """The condition reads as the file says it."""
    assert describe_asked_when(tiny_bank, tiny_bank.question("nephritis.class")) == (
        "nephritis.status is biopsy_proven"
    )
    assert describe_asked_when(tiny_bank, tiny_bank.question("kidney.egfr")) == "always"
