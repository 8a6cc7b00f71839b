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
    document = {"format": "ivig-decision-aid/answers/2", **top, "answers": answers}
    with pytest.raises(AnswerFileError) as caught:
        parse_answers(document, bank, "mine.yaml")
    return caught.value.lines()


def test_valid_answers_come_back_in_bank_order(tiny_bank: QuestionBank) -> None:
    """A complete file is accepted and its answers are ordered as the bank asks them."""
    shuffled = dict(reversed(list(TINY_ANSWERS.items())))
    result = parse_answers(
        {"format": "ivig-decision-aid/answers/2", "answers": shuffled}, tiny_bank, "x"
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
            {"format": "ivig-decision-aid/answers/2", "answers": answers}, tiny_bank, "x"
        ).answers
    )
    answers["values.kidney_protection"] = None
    assert (
        "values.kidney_protection"
        not in parse_answers(
            {"format": "ivig-decision-aid/answers/2", "answers": answers}, tiny_bank, "x"
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
            {"format": "ivig-decision-aid/answers/3"},
            "format: expected 'ivig-decision-aid/answers/2' (or 'ivig-decision-aid/answers/1')",
        ),
        ({"date": "25/11/2026"}, "date: expected a date as YYYY-MM-DD"),
        ({"answer": {}}, "answer: unknown key (did you mean 'answers'?)"),
    ],
)
def test_top_level_problems(tiny_bank: QuestionBank, top: dict[str, Any], fragment: str) -> None:
    """The format string, the date and unknown top-level keys are checked."""
    document: dict[str, Any] = {"format": "ivig-decision-aid/answers/2", "answers": TINY_ANSWERS}
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
        {"format": "ivig-decision-aid/answers/2", "answers": TINY_ANSWERS}, tiny_bank, "x"
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


# --- format 2 and format 1 on the shipped bank --------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data" / "answers"


@pytest.fixture(scope="module")
def shipped() -> QuestionBank:
    from decision_aid.core.loading import load_bank

    return load_bank()


def _contract_answers() -> dict[str, Any]:
    import yaml

    return dict(yaml.safe_load((DATA / "contract-example.answers.yaml").read_text())["answers"])


def test_the_contract_example_is_read_as_format_2(shipped: QuestionBank) -> None:
    """The contract's own example reads, with the new questions, and nothing counts as not asked."""
    answers = load_answers(DATA / "contract-example.answers.yaml", shipped)
    assert answers.answers["allergy.past_reaction"] == "no"
    assert answers.answers["decision.leaning"] == "unsure"
    assert answers.not_asked == frozenset()


def test_format_2_asks_everyone_about_a_past_reaction(shipped: QuestionBank) -> None:
    """allergy.past_reaction is required of everyone in format 2, whatever the IgA level."""
    answers = _contract_answers()
    del answers["allergy.past_reaction"]
    lines = problems_for(shipped, answers)
    assert lines == [
        "mine.yaml: allergy.past_reaction: expected an answer (this question is required "
        "here): one of yes, no, unknown; found none"
    ]


def test_format_2_names_the_new_id_for_the_format_1_one(shipped: QuestionBank) -> None:
    """iga.past_reaction in a format 2 file: the message names allergy.past_reaction, once."""
    answers = _contract_answers()
    answers["iga.past_reaction"] = answers.pop("allergy.past_reaction")
    lines = problems_for(shipped, answers)
    assert len(lines) == 1
    assert "mine.yaml: iga.past_reaction:" in lines[0]
    assert "'allergy.past_reaction'" in lines[0]


def test_format_1_past_reaction_is_read_as_the_allergy_question(shipped: QuestionBank) -> None:
    """Format 1's iga.past_reaction (asked with low IgA) becomes allergy.past_reaction."""
    answers = _contract_answers()
    del answers["allergy.past_reaction"], answers["decision.leaning"]
    answers.update({"iga.status": "deficient", "iga.past_reaction": "yes"})
    document = {"format": "ivig-decision-aid/answers/1", "answers": answers}
    result = parse_answers(document, shipped, "old.yaml")
    assert result.answers["allergy.past_reaction"] == "yes"
    assert "iga.past_reaction" not in result.answers
    assert result.not_asked == frozenset()


def test_format_1_without_a_past_reaction_counts_it_as_not_asked(shipped: QuestionBank) -> None:
    """A format 1 file with normal IgA never had the question: not asked, not an error."""
    result = load_answers(DATA / "format-1.answers.yaml", shipped)
    assert "allergy.past_reaction" not in result.answers
    assert result.not_asked == frozenset({"allergy.past_reaction"})


def test_format_1_with_both_ids_is_an_error(shipped: QuestionBank) -> None:
    """The old and the new id together are one answer given twice."""
    answers = _contract_answers()
    answers["iga.past_reaction"] = "no"
    document = {"format": "ivig-decision-aid/answers/1", "answers": answers}
    with pytest.raises(AnswerFileError) as caught:
        parse_answers(document, shipped, "old.yaml")
    assert caught.value.lines() == [
        "old.yaml: iga.past_reaction: expected one answer for 'allergy.past_reaction' "
        "(format 1 calls it 'iga.past_reaction'), found both ids"
    ]


def test_answers_are_written_in_format_2(shipped: QuestionBank) -> None:
    """dump_answers writes format 2, and a format 1 file's answers come back as format 2."""
    old = parse_answers(
        {
            "format": "ivig-decision-aid/answers/1",
            "answers": {
                **{k: v for k, v in _contract_answers().items() if k != "allergy.past_reaction"},
                "iga.status": "deficient",
                "iga.past_reaction": "no",
            },
        },
        shipped,
        "old.yaml",
    )
    text = dump_answers(old, shipped)
    assert text.startswith("format: ivig-decision-aid/answers/2\n")
    assert '  allergy.past_reaction: "no"\n' in text
    import yaml

    assert parse_answers(yaml.safe_load(text), shipped, "new.yaml") == old


def test_a_format_1_set_with_a_question_not_asked_is_written_as_format_1(
    shipped: QuestionBank,
) -> None:
    """Format 2 cannot say "not asked": such answers are written as the format 1 they were."""
    import yaml

    old = load_answers(DATA / "format-1.answers.yaml", shipped)
    text = dump_answers(old, shipped)
    assert text.startswith("format: ivig-decision-aid/answers/1\n")
    assert "past_reaction" not in text
    assert parse_answers(yaml.safe_load(text), shipped, "again.yaml") == old
