"""The summary: considerations most serious first, sources numbered by first use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from decision_aid.core.answers import parse_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.citations import Citer, strip_markers
from decision_aid.core.summary import Summary, build_summary
from tests.helpers import TINY_ANSWERS

DATE = dt.date(2026, 11, 25)


def summary_for(bank: QuestionBank, answers: dict[str, Any]) -> Summary:
    parsed = parse_answers({"format": "ivig-decision-aid/answers/2", "answers": answers}, bank, "x")
    return build_summary(bank, parsed, DATE)


def test_considerations_are_ordered_most_serious_first(tiny_bank: QuestionBank) -> None:
    """stop before caution before note; equal levels follow the contract's topic order."""
    summary = summary_for(tiny_bank, TINY_ANSWERS)
    assert [(c.level, c.topic) for c in summary.considerations] == [
        ("stop", "prior-treatment"),
        ("caution", "kidney-function"),
        ("note", "nephritis"),
        ("note", "pregnancy"),
    ]


def test_rules_that_do_not_hold_are_absent(tiny_bank: QuestionBank) -> None:
    """No nephritis, good kidneys, no medicines: only rules that hold appear."""
    answers = {
        "nephritis.status": "none",
        "kidney.egfr": 90,
        "pregnancy.losses": 0,
        "treatment.prior": ["none"],
    }
    assert summary_for(tiny_bank, answers).considerations == []


def test_not_condition(tiny_bank: QuestionBank) -> None:
    """The low-eGFR rule needs a medicine taken (a `not` condition)."""
    answers = {**TINY_ANSWERS, "treatment.prior": ["none"]}
    del answers["treatment.response"]
    topics = [c.topic for c in summary_for(tiny_bank, answers).considerations]
    assert "kidney-function" not in topics


def test_sources_are_numbered_by_first_use(tiny_bank: QuestionBank) -> None:
    """The first source cited in the report is number 1, and every number resolves."""
    summary = summary_for(tiny_bank, TINY_ANSWERS)
    assert [(s.number, s.id) for s in summary.sources] == [(1, "levy-2000"), (2, "triolo-2003")]
    assert summary.rows[0].ivig_points[0].text.endswith("[1]")


def test_unanswered_optional_questions_are_listed(tiny_bank: QuestionBank) -> None:
    """An optional question left out is listed as unanswered, not invented."""
    answers = {k: v for k, v in TINY_ANSWERS.items() if k != "values.kidney_protection"}
    summary = summary_for(tiny_bank, answers)
    assert [u.id for u in summary.unanswered] == ["values.kidney_protection"]
    assert summary.values == []


def test_answers_read_as_labels(tiny_bank: QuestionBank) -> None:
    """The report shows labels and units, not codes."""
    summary = summary_for(tiny_bank, {**TINY_ANSWERS, "kidney.egfr": "unknown"})
    shown = {a.id: a.answer for a in summary.answers}
    assert shown["nephritis.status"] == "Yes, shown by a biopsy"
    assert shown["kidney.egfr"] == "Not known"
    assert shown["values.kidney_protection"] == "4 (Most)"
    assert summary_for(tiny_bank, TINY_ANSWERS).answers[2].answer == "45 mL/min/1.73 m²"


def test_citer_merges_adjacent_markers() -> None:
    """Two markers side by side become one [1, 2]; a repeat keeps its number."""
    citer = Citer()
    assert citer.cite("A [@a] [@b]. B [@a].") == "A [1, 2]. B [1]."
    assert strip_markers("A [@a] [@b]. B [@a].") == "A. B."
