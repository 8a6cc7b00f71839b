"""The order of the steps (decision_aid.core.consultation), without a screen."""

from __future__ import annotations

from decision_aid.core.bank import QuestionBank
from decision_aid.core.consultation import (
    EVIDENCE,
    GLANCE,
    REVIEW,
    SUMMARY,
    WELCOME,
    Consultation,
    Step,
)
from tests.helpers import TINY_ANSWERS


def test_next_goes_through_every_step_in_order(
    tiny_bank: QuestionBank,
) -> None:
    flow = Consultation(tiny_bank)
    steps = [WELCOME]
    while steps[-1] != SUMMARY:
        steps.append(flow.after(steps[-1]))
    assert steps == [
        WELCOME,
        Step("section", "kidneys"),
        REVIEW,
        GLANCE,
        EVIDENCE,
        Step("section", "values"),
        SUMMARY,
    ]


def test_back_retraces_next(tiny_bank: QuestionBank) -> None:
    flow = Consultation(tiny_bank)
    assert flow.before(SUMMARY) == Step("section", "values")
    assert flow.before(Step("section", "values")) == EVIDENCE
    assert flow.before(EVIDENCE) == GLANCE
    assert flow.before(GLANCE) == REVIEW
    assert flow.before(REVIEW) == Step("section", "kidneys")
    assert flow.before(Step("section", "kidneys")) == WELCOME


def test_an_edit_from_the_review_returns_to_it_on_that_answer(tiny_bank: QuestionBank) -> None:
    flow = Consultation(tiny_bank, TINY_ANSWERS)
    edit = flow.edit("kidney.egfr")
    assert edit == Step("section", "kidneys", "kidney.egfr", from_review=True)
    assert flow.after(edit) == flow.before(edit) == Step("review", focus="kidney.egfr")


def test_an_answer_that_hides_questions_drops_their_answers(tiny_bank: QuestionBank) -> None:
    flow = Consultation(tiny_bank, TINY_ANSWERS)
    assert flow.answer("nephritis.status", "none") == ["nephritis.class"]
    assert "nephritis.class" not in flow.answers
    assert [q.id for q in flow.questions_in("kidneys")][:2] == ["nephritis.status", "kidney.egfr"]


def test_unsaved_counts_only_answers_not_in_a_report(tiny_bank: QuestionBank) -> None:
    """Answers from an answers file are saved already; resumed or new ones are not."""
    assert not Consultation(tiny_bank).unsaved
    assert not Consultation(tiny_bank, TINY_ANSWERS, from_file=True).unsaved
    resumed = Consultation(tiny_bank, TINY_ANSWERS)
    assert resumed.unsaved
    resumed.mark_saved()
    assert not resumed.unsaved
    resumed.answer("kidney.egfr", 50)
    assert resumed.unsaved


def test_positions_round_trip(tiny_bank: QuestionBank) -> None:
    """Where the consultation stopped is kept as a question id or a step name."""
    flow = Consultation(tiny_bank, {"nephritis.status": "none"})
    section = Step("section", "kidneys")
    assert flow.position(section) == "nephritis.status"
    assert flow.step_at("kidney.egfr") == section
    assert flow.step_at("review") == REVIEW
    assert flow.step_at("summary") == REVIEW  # required answers are missing
    assert flow.step_at("welcome") == WELCOME


def test_missing_lists_required_questions_asked_and_unanswered(tiny_bank: QuestionBank) -> None:
    flow = Consultation(tiny_bank, {"nephritis.status": "none"})
    assert [q.id for q in flow.missing(flow.clinical)] == [
        "kidney.egfr",
        "pregnancy.losses",
        "treatment.prior",
        "treatment.response",
    ]
    assert flow.missing(flow.values) == []  # values are optional
