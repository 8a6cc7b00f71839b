"""Measured content checks: grade, report prose, balance and directive words."""

from __future__ import annotations

import dataclasses

from pydantic import TypeAdapter

from decision_aid.core import quality
from decision_aid.core.bank import Figure, QuestionBank, Statement
from decision_aid.core.loading import load_bank
from decision_aid.errors import Problem

EASY = "The cat sat on the mat. It was a warm day. We had tea."
HARD = (
    "Immunosuppressive pharmacotherapeutic interventions notwithstanding, glomerulonephritis "
    "characterised histopathologically necessitates multidisciplinary individualised "
    "consideration of comparative effectiveness and considerable administrative complexity."
)


def with_statements(bank: QuestionBank, statements: list[Statement]) -> QuestionBank:
    return dataclasses.replace(bank, statements=statements)


def statement(
    option: str,
    kind: str,
    text: str = "Three of the ten people in the study got better. [@levy-2000]",
    **extra: object,
) -> Statement:
    return TypeAdapter(Statement).validate_python(
        {
            "id": f"s-{option}-{kind}",
            "option": option,
            "kind": kind,
            "strength": "low",
            "facts": ["f"],
            "text": text,
            **extra,
        }
    )


def evidence_problems(bank: QuestionBank) -> list[Problem]:
    """Grade problems in evidence.yaml only (the tiny bank's other texts are not ours)."""
    return [
        p for p in quality.check_grades(bank, "tiny").problems if p.file.endswith("evidence.yaml")
    ]


# --- grade ------------------------------------------------------------------------------------


def test_grade_ranks_plain_text_below_dense_text() -> None:
    """Short words in short sentences grade far lower than long words in one long sentence."""
    assert quality.grade(EASY) < 3 < quality.GRADE_LIMIT < quality.grade(HARD)


def test_grade_ignores_citation_markers() -> None:
    """A marker is not read, so it does not change the grade."""
    assert quality.grade(EASY + " [@levy-2000] [@triolo-2003]") == quality.grade(EASY)


def test_every_prose_text_is_graded(tiny_bank: QuestionBank) -> None:
    """Each prose text is graded once, and a problem is raised exactly for those above 8."""
    result = quality.check_grades(tiny_bank, "tiny")
    graded = {(g.file, g.where) for g in result.graded}
    assert ("tiny/evidence.yaml", "statements[0] (ivig-kidney-small-report).text") in graded
    assert ("tiny/report.yaml", "certainty[0].paragraphs[0]") in graded
    assert ("tiny/bank.yaml", "questions[0] (nephritis.status).why") in graded
    assert len(graded) == len(result.graded)
    too_hard = {(g.file, g.where) for g in result.graded if g.grade > quality.GRADE_LIMIT}
    assert {(p.file, p.where) for p in result.problems} == too_hard
    assert result.worst == max(result.graded, key=lambda g: g.grade)
    assert result.labels > 0


def test_hard_text_fails_with_file_place_and_grade(tiny_bank: QuestionBank) -> None:
    """A dense statement is named by file, place and grade."""
    bank = with_statements(tiny_bank, [statement("ivig", "benefit", HARD + " [@levy-2000]")])
    result = quality.check_grades(bank, "tiny")
    [problem] = [p for p in result.problems if p.file == "tiny/evidence.yaml"]
    assert problem.where == "statements[0] (s-ivig-benefit).text"
    assert "expected plain language at grade 8 or lower, found grade" in problem.message
    assert result.worst is not None and result.worst.where == problem.where


def test_labels_are_not_graded_but_their_length_is_checked(tiny_bank: QuestionBank) -> None:
    """A figure's label is a label: a hard word passes, but a label of many words does not."""
    short = statement(
        "ivig", "benefit", figures=[Figure(events=1, total=2, label="Glomerulonephritis")]
    )
    assert evidence_problems(with_statements(tiny_bank, [short])) == []
    long_label = " ".join(["word"] * (quality.LABEL_WORDS + 1))
    wordy = statement("ivig", "benefit", figures=[Figure(events=1, total=2, label=long_label)])
    [problem] = evidence_problems(with_statements(tiny_bank, [wordy]))
    assert problem.where == "statements[0] (s-ivig-benefit).figures[0].label"
    assert f"found {quality.LABEL_WORDS + 1} words" in problem.message


def test_codes_and_sources_are_not_patient_text(tiny_bank: QuestionBank) -> None:
    """Ids, option codes, conditions and source titles are never treated as prose."""
    texts = quality.bank_texts(tiny_bank, "tiny")
    places = [t.where for t in texts]
    assert not any(p.endswith((".id", ".value", ".question", ".operator")) for p in places)
    assert not any(t.file.endswith("sources.yaml") for t in texts)
    assert any(p.endswith(".why") for p in places)


# --- report prose -----------------------------------------------------------------------------

REPORT = """# IVIG for lupus

## About this decision

This report helps you talk with your care team. [1]

| | Add IVIG | Standard care |
|---|---|---|
| Harms | Immunosuppressive pharmacotherapeutic | Glomerulonephritis |

- **Past blood clot:** No
- In a trial of 40 women, more had a baby. [2, 3]

      ●●●○○ ○○○○○
      3 of 10 people had it

## Sources

1. Characterisation of immunoglobulin pharmacokinetics in glomerulonephritis. PMID 1.
"""


def test_report_prose_keeps_sentences_and_drops_structure() -> None:
    """Headings, tables, icons, their captions, citation numbers and Sources are removed."""
    prose = quality.report_prose(REPORT)
    assert prose.splitlines() == [
        "This report helps you talk with your care team.",
        "Past blood clot: No.",
        "In a trial of 40 women, more had a baby.",
    ]


def test_report_grade_is_the_grade_of_its_prose() -> None:
    """The grade of a report is the grade of its prose as a whole."""
    assert quality.report_grade(REPORT) == quality.grade(quality.report_prose(REPORT))
    value, problems = quality.check_report_grade(REPORT, "r.md")
    assert problems == [] and value < quality.GRADE_LIMIT
    value, problems = quality.check_report_grade(f"## About\n\n{HARD}\n", "r.md")
    assert [p.file for p in problems] == ["r.md"] and value > quality.GRADE_LIMIT


# --- balance ----------------------------------------------------------------------------------


def test_balance_counts_benefits_harms_and_numbers(tiny_bank: QuestionBank) -> None:
    """Figures or a digit that is not a year count as numbers; uncertainty is not counted."""
    bank = with_statements(
        tiny_bank,
        [
            statement("ivig", "benefit", "A 2014 review said so. [@levy-2000]"),
            statement("ivig", "harm", "3 of 10 had a headache. [@levy-2000]"),
            statement(
                "standard",
                "benefit",
                "Some got better.",
                figures=[Figure(events=1, total=2, label="x")],
            ),
            statement("standard", "harm", "It can cause infections. [@levy-2000]"),
            statement("standard", "uncertainty", "12 of 20. [@levy-2000]"),
        ],
    )
    table = quality.balance(bank)
    assert table.rows() == [("benefit", 1, 1), ("harm", 1, 1), ("numbers", 1, 2)]


def test_balance_fails_where_one_option_has_less_than_two_thirds(tiny_bank: QuestionBank) -> None:
    """Two IVIG harms against three standard harms passes; one against three does not."""
    harms = [statement("standard", "harm")] * 3
    ok = with_statements(tiny_bank, [statement("ivig", "harm")] * 2 + harms)
    assert [m for m, *_ in quality.check_balance(ok, "tiny")[1]] == []
    short = with_statements(tiny_bank, [statement("ivig", "harm")] + harms)
    table, problems = quality.check_balance(short, "tiny")
    assert ("harm", 1, 3) in table.rows()
    assert [p.where for p in problems] == ["balance of harm statements"]
    assert "expected option 'ivig' to have at least 67% of option 'standard'" in problems[0].message


def test_has_numbers_ignores_years() -> None:
    assert not quality.has_numbers("A 2014 review and a 1999 letter. [@levy-2000]")
    assert quality.has_numbers("7 people")
    assert quality.has_numbers("No digits here", figure_count=1)


# --- directive words --------------------------------------------------------------------------


def test_directive_phrases_are_found() -> None:
    for text in (
        "You should ask for IVIG.",
        "We recommend standard care.",
        "IVIG is the best option here.",
        "This treatment is recommended for you.",
        "you must stop it",
        "Choose IVIG if you can.",
        "Standard care is the right choice for you.",
    ):
        assert quality.directive_phrases(text), text


def test_reporting_what_a_guideline_says_is_not_directive() -> None:
    for text in (
        "KDIGO recommends hydroxychloroquine for everyone with lupus.",
        "The label says it should not be given to people with these antibodies.",
        "EULAR 2023 says to think about adding belimumab. [@eular-2023-sle]",
        "You may want to ask whether a test is needed first.",
        "Do you feel sure about the best choice for you?",
    ):
        assert quality.directive_phrases(text) == [], text


def test_directive_text_in_the_bank_is_a_problem(tiny_bank: QuestionBank) -> None:
    assert quality.check_directive_bank(tiny_bank, "tiny") == []
    bank = with_statements(
        tiny_bank, [statement("ivig", "benefit", "You should try it. [@levy-2000]")]
    )
    [problem] = quality.check_directive_bank(bank, "tiny")
    assert (problem.file, problem.where) == (
        "tiny/evidence.yaml",
        "statements[0] (s-ivig-benefit).text",
    )
    assert "'you should'" in problem.message


def test_directive_text_in_a_report_is_a_problem() -> None:
    assert quality.check_directive_report(REPORT, "r.md") == []
    [problem] = quality.check_directive_report(REPORT + "\nWe recommend IVIG.\n", "r.md")
    assert problem.file == "r.md" and "'we recommend'" in problem.message


# --- the shipped bank -------------------------------------------------------------------------


def test_shipped_bank_meets_every_measure() -> None:
    """The real questions/ folder: grade 8 or lower, balanced, no directive words."""
    bank = load_bank()
    grades = quality.check_grades(bank)
    assert grades.problems == [], [str(p) for p in grades.problems]
    assert len(grades.graded) > 100
    table, problems = quality.check_balance(bank)
    assert problems == [], [str(p) for p in problems]
    assert all(ivig > 0 and standard > 0 for _, ivig, standard in table.rows())
    assert quality.check_directive_bank(bank) == []
