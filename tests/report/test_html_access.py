"""The printable page as a screen reader meets it: pictures named once, headers with scope."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
from pathlib import Path

import pytest

from decision_aid.core.loading import load_bank
from decision_aid.pipeline import read_answers, render, summarise
from decision_aid.report.html import render_html

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json"))


class Spoken(html.parser.HTMLParser):
    """What a screen reader reads: text outside aria-hidden, and an image's name instead
    of what it holds; with the heading levels and the table header cells."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.words: list[str] = []
        self.headings: list[int] = []
        self.headers: list[dict[str, str | None]] = []
        self.lang: str | None = None
        self._silent: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "th":
            self.headers.append(found)
        if self._silent:
            self._silent.append(tag)
        elif found.get("aria-hidden") == "true":
            self._silent.append(tag)
        elif found.get("role") == "img":
            self.words.append(f"[image: {found.get('aria-label')}]")
            self._silent.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._silent:
            self._silent.pop()

    def handle_data(self, data: str) -> None:
        if not self._silent:
            self.words.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def test_a_picture_is_one_image_named_by_its_caption() -> None:
    """Each picture of a code block is read as its caption, once; no dot is read."""
    page = render_html(
        "# T\n\n## S\n\n- Finding.\n\n      ●●○○\n      2 of 4 people had it (about\n"
        "      50 of 100)\n\n      ●○○○\n      1 of 4 people had it\n"
    )
    spoken = Spoken(page)
    assert "●" not in spoken.text and "○" not in spoken.text
    assert "[image: 2 of 4 people had it (about 50 of 100)]" in spoken.text
    assert "[image: 1 of 4 people had it]" in spoken.text
    assert spoken.text.count("2 of 4") == 1
    # On paper nothing moved: the same lines, in one block of monospace text.
    assert "●●○○\n2 of 4 people had it (about\n50 of 100)" in re.sub(r"<[^>]+>", "", page)


def test_dots_in_running_text_are_hidden_but_a_single_mark_is_read() -> None:
    """A run of dots in a sentence is hidden (the sentence says the number); the single
    mark a sentence explains ("each ● is a person") is still read."""
    spoken = Spoken(render_html("# T\n\nEach ● is a person.\n\nThree of five: ●●●○○ here.\n"))
    assert "Each ● is a person." in spoken.text
    assert "Three of five: here." in spoken.text


def test_table_headers_have_scope_and_no_empty_header() -> None:
    """Column headers scope="col", each row's label a row header; an empty corner is a cell."""
    page = render_html("# T\n\n| | A | B |\n| --- | --- | --- |\n| Cost | high | low |\n")
    assert '<td></td>\n<th scope="col">A</th>' in page
    assert '<th scope="row">Cost</th>\n<td>high</td>' in page
    assert "<th>" not in page


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_page_reads_well(example: Path) -> None:
    """A language, headings that never skip a level, every header cell scoped, and not one
    dot read aloud, while every dot is still printed."""
    bank = load_bank()
    summary = summarise(bank, read_answers(example, bank), dt.date(2026, 11, 25))
    page = render(summary, "html")
    spoken = Spoken(page)
    assert spoken.lang == "en"
    assert spoken.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(spoken.headings, spoken.headings[1:], strict=False))
    assert all(h.get("scope") in ("col", "row") for h in spoken.headers)
    markdown = render(summary)
    dots = sum(markdown.count(mark) for mark in "●○")
    legend = len(re.findall(r"(?<![●○])[●○](?![●○ ]*[●○])", markdown))
    assert sum(page.count(mark) for mark in "●○") == dots
    assert sum(spoken.text.count(mark) for mark in "●○") <= legend
