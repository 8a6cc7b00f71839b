"""Text that reaches the report from answers cannot add structure, and content cannot run code.

Answers are codes and numbers checked against the bank, so the text an answer puts in the
report is the bank's: the chosen options' labels, the question's short name, the scale's
labels, the unit and the "not known" label, and the number itself. Each of those paths is
attacked here with Markdown and HTML that would make headings, links, images, raw HTML,
emphasis, code, or break the table; the report read by a Markdown parser must have the
same structure as with plain words, and show the text as it was written. The printable
HTML page is checked the same way.

Content editors write the rest of the bank; ``{{ }}``, ``{% %}`` or Python in any text
of theirs must come out as that text, never evaluated.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from decision_aid.core.loading import BANK_FILES
from tests.helpers import TINY, TINY_ANSWERS
from tests.properties.runner import assert_no_internal_error, cli
from tests.properties.strategies import dump_yaml

DATE = "2026-11-25"

ATTACKS = [
    "# Heading",
    "## Sub",
    "Title\n===",
    "- item",
    "* item",
    "+ item",
    "1. item",
    "1) item",
    "> quote",
    "| a | b |",
    "|---|",
    "a | b",
    "```",
    "~~~",
    "    indented code",
    "`code`",
    "*em*",
    "**strong**",
    "_em_",
    "__strong__",
    "~~strike~~",
    "[link](https://example.com)",
    "[ref][1]",
    "[1]: https://example.com",
    "![image](https://example.com/x.png)",
    "<https://example.com>",
    "<b>bold</b>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- comment -->",
    "&amp;",
    "&lt;b&gt;",
    "&#60;script&#62;",
    "\\",
    "\\*",
    "line\nbreak",
    "trailing  ",
    "---",
    "***",
    "[^1]",
    "{{ 7*7 }}",
    "{% if true %}",
    "$x$",
    ":smile:",
]

attack_text = st.lists(
    st.one_of(
        st.sampled_from(ATTACKS),
        st.text(
            alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]),
            max_size=6,
        ),
    ),
    min_size=1,
    max_size=6,
).map(lambda parts: " ".join(parts).replace("[@", "[ @"))
"""Markdown and HTML fragments with words around them ("[@" starts a citation: kept out)."""


def parser() -> MarkdownIt:
    """CommonMark with GitHub's tables and strikethrough, HTML allowed (as viewers do)."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def shape(tokens: list[Token]) -> list[tuple[str, ...]]:
    """The structure of a parsed report: block tokens, and inline tokens but plain text."""
    out: list[tuple[str, ...]] = []
    for token in tokens:
        out.append((token.type, token.tag))
        for child in token.children or []:
            if child.type not in ("text", "softbreak", "text_special"):
                out.append(("inline", child.type, child.tag))
    return out


def plain(tokens: list[Token]) -> str:
    """All the text a reader sees, with whitespace made single spaces."""
    blocks: list[str] = []
    for token in tokens:
        words = []
        for child in token.children or []:
            if child.type in ("text", "text_special", "code_inline"):
                words.append(child.content)
            elif child.type == "softbreak":
                words.append(" ")
        blocks.append("".join(words))
    return " ".join(" ".join(blocks).split())


def tiny_bank_with(text: str) -> dict[str, Any]:
    """The tiny bank's files with ``text`` in every label an answer can put in the report."""
    files = {name: yaml.safe_load((TINY / name).read_text(encoding="utf-8")) for name in BANK_FILES}
    bank = copy.deepcopy(files["bank.yaml"])
    for question in bank["questions"]:
        question["short"] = f"{question['id']} {text}"
        for option in question.get("options", []):
            option["label"] = f"{option['value']} {text}"
        if question["kind"] == "scale":
            question["labels"] = {k: f"{k} {text}" for k in question["labels"]}
        if question["kind"] == "number_or_unknown":
            question["unit"] = f"unit {text}"
            question["unknown_label"] = f"unknown {text}"
    files["bank.yaml"] = bank
    return files


def report_for(files: dict[str, Any], answers: dict[str, Any], folder: Path) -> tuple[str, str]:
    """(Markdown report, HTML page) from ``run`` for a bank and answers."""
    bank = folder / "bank"
    bank.mkdir()
    for name, data in files.items():
        (bank / name).write_text(dump_yaml(data), encoding="utf-8")
    source = folder / "mine.yaml"
    document = {"format": "ivig-decision-aid/answers/1", "date": DATE, "answers": answers}
    source.write_text(dump_yaml(document), encoding="utf-8")
    pages = []
    for fmt in ("md", "html"):
        outcome = cli(
            "run",
            str(source),
            "--out",
            str(folder / fmt),
            "--format",
            fmt,
            "--questions",
            str(bank),
        )
        assert_no_internal_error(outcome)
        assert outcome.code == 0, outcome.err
        pages.append((folder / fmt / f"mine.{fmt}").read_text(encoding="utf-8"))
    return pages[0], pages[1]


ANSWER_SETS = [
    TINY_ANSWERS,
    {
        **TINY_ANSWERS,
        "kidney.egfr": "unknown",
        "treatment.prior": ["mycophenolate", "cyclophosphamide"],
    },
    {
        "nephritis.status": "none",
        "kidney.egfr": 12.5,
        "pregnancy.losses": 0,
        "treatment.prior": ["none"],
    },
]


def html_body(page: str) -> str:
    return page[page.index("<body") :]


@given(text=attack_text, which=st.integers(0, len(ANSWER_SETS) - 1))
def test_answer_text_cannot_add_structure(text: str, which: int) -> None:
    """Whatever the labels say, the report parses to the same structure as with plain words,
    every label reads back as written, and the HTML page gains no tag, link or script."""
    answers = ANSWER_SETS[which]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "plain").mkdir()
        (folder / "hostile").mkdir()
        plain_md, plain_html = report_for(tiny_bank_with("words"), answers, folder / "plain")
        hostile_md, hostile_html = report_for(tiny_bank_with(text), answers, folder / "hostile")
    md = parser()
    plain_tokens, hostile_tokens = md.parse(plain_md), md.parse(hostile_md)
    assert shape(hostile_tokens) == shape(plain_tokens), (text, hostile_md)
    shown = plain(hostile_tokens)
    written = " ".join(text.split())
    assert shown.count(written) >= plain(plain_tokens).count("words"), (written, shown)
    for tag in ("<script", "<img", "<a ", "<b>", "<!--", "<iframe", "<style"):
        assert html_body(hostile_html).count(tag) == html_body(plain_html).count(tag), tag


PAYLOADS = [
    "{{ 7*7 }}",
    "{{ config }}",
    "{% for x in range(3) %}again{% endfor %}",
    "{# hidden #}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "${7*7}",
    "#{7*7}",
    "__import__('os').system('touch PWNED')",
    "eval('6*7')",
    "f'{6*7}'",
]


def with_payload(data: Any, payload: str, key: str = "") -> Any:
    """Every text a person reads, with the payload after it (ids and codes left alone)."""
    readable = {
        "title", "text", "short", "why", "label", "intro", "summary", "paragraphs", "about",
        "answers_intro", "unanswered_intro", "options_intro", "considerations_intro",
        "no_considerations", "values_intro", "no_values", "sure_intro", "questions_to_ask",
        "sources_intro", "about_report", "if_no", "ivig_name", "standard_name", "authors",
        "journal", "design", "participants", "unit", "unknown_label", "report_date",
        "how_sure", "bears_on", "out_of", "content_version", "evidence_reviewed",
        "level_words", "strength_words", "labels", "volume_pages",
    }  # fmt: skip
    if isinstance(data, dict):
        return {
            k: with_payload(v, payload, str(k) if key not in readable else key)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [with_payload(v, payload, key) for v in data]
    if isinstance(data, str) and key in readable:
        return f"{data} {payload}"
    return data


def test_content_cannot_run_code(tmp_path: Path) -> None:
    """Template syntax and Python in every text of the bank are printed, never evaluated."""
    payload = " ".join(PAYLOADS)
    files = {
        name: with_payload(yaml.safe_load((TINY / name).read_text(encoding="utf-8")), payload)
        for name in BANK_FILES
    }
    report, page = report_for(files, TINY_ANSWERS, tmp_path)
    shown = plain(parser().parse(report))
    for item in PAYLOADS:
        assert item in shown, item
    assert " 49 " not in f" {shown} " and "again again" not in shown and "42" not in shown
    assert "{{ 7*7 }}" in page and "<class" not in page
    bank = tmp_path / "bank"
    for command in (["check"], ["template"], ["export", "questionnaire"]):
        outcome = cli(*command, "--questions", str(bank))
        assert_no_internal_error(outcome)
        assert outcome.code in (0, 65), outcome.err
    assert "{{ 7*7 }}" in cli("template", "--questions", str(bank)).out
    assert not list(Path.cwd().glob("PWNED")) and not list(tmp_path.rglob("PWNED"))
    shutil.rmtree(bank)
