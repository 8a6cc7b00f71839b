"""The Markdown report: golden files, 80 columns, escaping, and every [n] resolving."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.core.answers import parse_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.summary import build_summary
from decision_aid.report.markdown import escape, icon_array, wrap
from decision_aid.report.render import render_markdown
from tests.helpers import CONTRACT_SECTIONS, TINY_ANSWERS

GOLDEN = Path(__file__).parents[1] / "golden"
FORMAT = "ivig-decision-aid/answers/1"
DATE = dt.date(2026, 11, 25)

ANSWER_SETS: dict[str, dict[str, Any]] = {
    "tiny-complete": TINY_ANSWERS,
    "tiny-no-nephritis": {
        "nephritis.status": "none",
        "kidney.egfr": "unknown",
        "pregnancy.losses": 0,
        "treatment.prior": ["none"],
    },
    "tiny-many-unknowns": {
        "nephritis.status": "biopsy_proven",
        "nephritis.class": "IV",
        "kidney.egfr": 29.5,
        "pregnancy.losses": 4,
        "treatment.prior": ["cyclophosphamide", "mycophenolate"],
        "treatment.response": "none",
        "values.kidney_protection": 0,
    },
}


def render(bank: QuestionBank, answers: dict[str, Any]) -> str:
    parsed = parse_answers({"format": "ivig-decision-aid/answers/1", "answers": answers}, bank, "x")
    return render_markdown(build_summary(bank, parsed, DATE))


@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_golden_report(tiny_bank: QuestionBank, name: str) -> None:
    """The report's bytes are the contract: a change is reviewed as a diff of the golden file.

    Regenerate after reviewing with: UPDATE_GOLDEN=1 pytest tests/report/test_render.py
    """
    text = render(tiny_bank, ANSWER_SETS[name])
    path = GOLDEN / f"{name}.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", sorted(ANSWER_SETS))
def test_report_shape(tiny_bank: QuestionBank, name: str) -> None:
    """Every contract section in order, lines within 80 columns, every [n] resolves."""
    text = render(tiny_bank, ANSWER_SETS[name])
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == CONTRACT_SECTIONS
    assert all(len(line) <= 80 for line in text.splitlines())
    body, sources = text.split("\n## Sources\n")
    cited = {
        int(n) for group in re.findall(r"\[(\d+(?:, \d+)*)\]", body) for n in group.split(", ")
    }
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", sources, flags=re.M)}
    assert cited == listed and cited
    assert text.endswith("\n") and not text.endswith("\n\n") and "\r" not in text


def test_escape_stops_markdown_structure() -> None:
    """Answer text cannot make headings, links, HTML or table cells."""
    assert escape("# heading") == "\\# heading"
    assert escape("[x](http://a)") == "\\[x\\](http://a)"
    assert escape("<script>") == "\\<script\\>"
    assert escape("a | b") == "a \\| b"
    assert escape("line\nbreak") == "line break"


def test_wrap_never_starts_a_line_with_structure() -> None:
    """A wrapped line never begins with something Markdown would read as a list or heading."""
    text = "word " * 14 + "- 5 of 10 people # had + this"
    for width in range(30, 81):
        for line in wrap(text, width=width).splitlines()[1:]:
            assert not re.match(r"^([-+*#>]|\d+[.)])", line)


def test_icon_array_reads_without_colour() -> None:
    """Filled and empty icons differ in shape; large groups are shown per 100."""
    assert icon_array(9, 10, "people") == "●●●●●●●●●○\n9 of 10 people"
    big = icon_array(122, 11785, "had a clot")
    assert big.count("●") == 1 and big.count("○") == 99
    assert "122 of 11,785 had a clot (about 1 of 100)" in big


def test_numbers_are_not_escaped() -> None:
    """A decimal answer such as 29.5 is not a list marker and stays as typed."""
    assert escape("29.5 mL/min") == "29.5 mL/min"
    assert escape("1. item") == "\\1. item"


def test_icon_array_says_when_a_rare_event_rounds_to_nothing() -> None:
    """4 of 1,284 draws no filled icon at 100, and the words say "fewer than 1 of 100"."""
    rare = icon_array(4, 1284, "had bladder bleeding")
    assert rare.count("●") == 0
    assert "4 of 1,284 had bladder bleeding (fewer than 1 of 100)" in rare


def test_options_section_is_never_served_for_other_rows(
    tiny_bank: QuestionBank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The options section is kept for the rows it was rendered from: reports from two
    banks in turn, each equal to the same report rendered with nothing kept."""
    from decision_aid.core.answers import load_answers
    from decision_aid.core.loading import load_bank
    from decision_aid.report import render as module

    shipped = load_bank()
    example = Path(__file__).parents[2] / "examples" / "several-unknowns.yaml"
    summaries = {
        "tiny": build_summary(
            tiny_bank,
            parse_answers({"format": FORMAT, "answers": TINY_ANSWERS}, tiny_bank, "x"),
            DATE,
        ),
        "shipped": build_summary(shipped, load_answers(example, shipped), DATE),
    }
    fresh = {}
    for name, summary in summaries.items():
        monkeypatch.setattr(module, "_last_options", None)
        fresh[name] = render_markdown(summary)
    assert fresh["tiny"] != fresh["shipped"]
    for name in ["tiny", "shipped", "tiny", "tiny", "shipped"]:
        assert render_markdown(summaries[name]) == fresh[name]


def test_options_section_keeps_rows_by_identity(tiny_bank: QuestionBank) -> None:
    """The same rows: the section kept is used. Equal rows that are other objects, or
    another name: rendered again."""
    import dataclasses

    from decision_aid.report import render as module

    answers = parse_answers({"format": FORMAT, "answers": TINY_ANSWERS}, tiny_bank, "x")
    summary = build_summary(tiny_bank, answers, DATE)
    kept = module.options_section(summary)
    assert module.options_section(build_summary(tiny_bank, answers, DATE)) is kept
    copied = dataclasses.replace(summary, rows=[dataclasses.replace(r) for r in summary.rows])
    again = module.options_section(copied)
    assert again is not kept and again.text == kept.text
    renamed = module.options_section(dataclasses.replace(summary, ivig_name="Other"))
    assert "Other" in renamed.text and "Other" not in kept.text


LINE = st.sampled_from(
    ["", "", "x", "## y", "a  ", " ", "\t", "b\r", "c\r\n", "d\x0b", "e\x85", "f\u2028", "\x0c"]
)
TEXT = st.lists(LINE, max_size=8).map("\n".join)
ENDING = st.sampled_from(["", "\n", "\n\n", " \n", "\r", "\r\n", "\n \n"])


@settings(max_examples=1500, deadline=None)
@given(before=TEXT, before_end=ENDING, section=TEXT, section_end=ENDING, after=TEXT)
def test_a_section_tidied_apart_gives_the_same_report(
    before: str, before_end: str, section: str, section_end: str, after: str
) -> None:
    """Any text around any section: tidying the section once and putting its lines in
    gives exactly what tidying the whole text gives (or the whole text is tidied)."""
    from decision_aid.report.render import _finish, _section, _tidied, _tidy

    head, body = before + before_end, section + section_end
    whole = _finish(_tidy(head + body + after))
    assert _tidied(lambda options: head + options + after, _section((), body)) == whole
