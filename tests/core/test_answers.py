"""Answers files: every rule of the contract, each problem named with file, id and expectation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from decision_aid.core.answers import AnswerSet, dump_answers, load_answers, parse_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.errors import AnswerFileError
from tests.helpers import TINY_ANSWERS


def problems_for(bank: QuestionBank, answers: dict[str, Any], **top: Any) -> list[str]:
    document = {"format": "ivig-decision-aid/answers/1", **top, "answers": answers}
    with pytest.raises(AnswerFileError) as caught:
        parse_answers(document, bank, "mine.yaml")
    return caught.value.lines()


def test_valid_answers_come_back_in_bank_order(tiny_bank: QuestionBank) -> None:
    """A complete file is accepted and its answers are ordered as the bank asks them."""
    shuffled = dict(reversed(list(TINY_ANSWERS.items())))
    result = parse_answers(
        {"format": "ivig-decision-aid/answers/1", "answers": shuffled}, tiny_bank, "x"
    )
    assert list(result.answers) == list(TINY_ANSWERS)


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (
            {"kidny.egfr": 40},
            ["mine.yaml: kidny.egfr:", "unknown id", "did you mean 'kidney.egfr'"],
        ),
        (
            {"nephritis.class": "VII"},
            ["mine.yaml: nephritis.class:", "expected one of IV, V", "found 'VII'"],
        ),
        ({"kidney.egfr": 480}, ["kidney.egfr:", "from 0 to 200", "found 480"]),
        ({"kidney.egfr": "48"}, ["kidney.egfr:", "a number", "found '48'"]),
        ({"kidney.egfr": True}, ["kidney.egfr:", "found true"]),
        ({"pregnancy.losses": 2.5}, ["pregnancy.losses:", "whole number", "found 2.5"]),
        (
            {"treatment.prior": ["none", "mycophenolate"]},
            ["treatment.prior:", "'none' on its own"],
        ),
        ({"treatment.prior": []}, ["treatment.prior:", "found an empty list"]),
        (
            {"treatment.prior": ["mycophenolat"]},
            ["treatment.prior:", "did you mean 'mycophenolate'"],
        ),
        ({"values.kidney_protection": 5}, ["values.kidney_protection:", "from 0 to 4"]),
    ],
)
def test_each_bad_value_names_question_expectation_and_finding(
    tiny_bank: QuestionBank, change: dict[str, Any], fragments: list[str]
) -> None:
    """Each bad value gives one line naming the file, the id, what was expected and found."""
    answers = {**TINY_ANSWERS, **change}
    lines = problems_for(tiny_bank, answers)
    joined = "\n".join(lines)
    for fragment in fragments:
        assert fragment in joined


def test_answer_to_a_hidden_question_is_an_error(tiny_bank: QuestionBank) -> None:
    """Answering the class when the status hides it says when it is asked."""
    answers = {**TINY_ANSWERS, "nephritis.status": "none"}
    (line,) = problems_for(tiny_bank, answers)
    assert "nephritis.class:" in line
    assert "asked only when nephritis.status is biopsy_proven" in line


def test_missing_required_answer_is_an_error(tiny_bank: QuestionBank) -> None:
    """A required question that is asked must be answered."""
    answers = {k: v for k, v in TINY_ANSWERS.items() if k != "kidney.egfr"}
    (line,) = problems_for(tiny_bank, answers)
    assert "kidney.egfr: expected an answer" in line


def test_optional_question_may_be_left_out_or_empty(tiny_bank: QuestionBank) -> None:
    """Optional questions can be absent, and an empty line counts as not answered."""
    answers = {k: v for k, v in TINY_ANSWERS.items() if k != "values.kidney_protection"}
    assert (
        "values.kidney_protection"
        not in parse_answers(
            {"format": "ivig-decision-aid/answers/1", "answers": answers}, tiny_bank, "x"
        ).answers
    )
    answers["values.kidney_protection"] = None
    assert (
        "values.kidney_protection"
        not in parse_answers(
            {"format": "ivig-decision-aid/answers/1", "answers": answers}, tiny_bank, "x"
        ).answers
    )


def test_one_wrong_answer_does_not_cascade(tiny_bank: QuestionBank) -> None:
    """A bad treatment.prior is reported once, not again as a missing follow-up."""
    answers = {**TINY_ANSWERS, "treatment.prior": ["nonsense"]}
    del answers["treatment.response"]
    lines = problems_for(tiny_bank, answers)
    assert len(lines) == 1 and "treatment.prior" in lines[0]


def test_every_problem_is_reported_at_once(tiny_bank: QuestionBank) -> None:
    """Several mistakes give several lines in one run."""
    answers = {**TINY_ANSWERS, "kidney.egfr": -1, "pregnancy.losses": "three"}
    assert len(problems_for(tiny_bank, answers)) == 2


@pytest.mark.parametrize(
    ("top", "fragment"),
    [
        (
            {"format": "ivig-decision-aid/answers/2"},
            "format: expected 'ivig-decision-aid/answers/1'",
        ),
        ({"date": "25/11/2026"}, "date: expected a date as YYYY-MM-DD"),
        ({"answer": {}}, "answer: unknown key (did you mean 'answers'?)"),
    ],
)
def test_top_level_problems(tiny_bank: QuestionBank, top: dict[str, Any], fragment: str) -> None:
    """The format string, the date and unknown top-level keys are checked."""
    document: dict[str, Any] = {"format": "ivig-decision-aid/answers/1", "answers": TINY_ANSWERS}
    document.update(top)
    with pytest.raises(AnswerFileError) as caught:
        parse_answers(document, tiny_bank, "mine.yaml")
    assert any(fragment in line for line in caught.value.lines()), caught.value.lines()


def test_not_a_mapping(tiny_bank: QuestionBank) -> None:
    """A file that is a list or a word is refused with what was expected."""
    with pytest.raises(AnswerFileError, match="expected a mapping"):
        parse_answers(["a"], tiny_bank, "mine.yaml")


def test_yaml_no_and_json_files_read_the_same(
    tiny_bank: QuestionBank, write_answers: Callable[..., Path]
) -> None:
    """A YAML file and a JSON file with the same answers give the same AnswerSet."""
    from_yaml = load_answers(write_answers(TINY_ANSWERS, "a.yaml", date="2026-11-25"), tiny_bank)
    from_json = load_answers(write_answers(TINY_ANSWERS, "a.json", date="2026-11-25"), tiny_bank)
    assert from_yaml == from_json


def test_dump_reads_back_to_the_same_answers(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """What the consultation saves reads back to exactly the same answers and date."""
    import datetime as dt

    original = parse_answers(
        {"format": "ivig-decision-aid/answers/1", "answers": TINY_ANSWERS}, tiny_bank, "x"
    )
    dated = AnswerSet(answers=original.answers, date=dt.date(2026, 11, 25))
    path = tmp_path / "saved.answers.yaml"
    path.write_text(dump_answers(dated, tiny_bank), encoding="utf-8")
    assert load_answers(path, tiny_bank) == dated


def test_missing_answer_is_not_repeated_for_its_follow_up(tiny_bank: QuestionBank) -> None:
    """With treatment.prior missing, only it is named, not treatment.response too."""
    answers = {
        k: v for k, v in TINY_ANSWERS.items() if k not in {"treatment.prior", "treatment.response"}
    }
    lines = problems_for(tiny_bank, answers)
    assert len(lines) == 1 and "treatment.prior: expected an answer" in lines[0]
