"""The printable report: one safe, self-contained HTML page that prints whole on A4 and Letter.

The print test renders every example report in headless Chromium (Debian's `chromium`,
installed by `.ci/install-system-deps`) and reads the PDF back with `pdftotext`.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.core.answers import load_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import load_bank
from decision_aid.core.summary import build_summary
from decision_aid.report.html import CSP, join_table_rows, render_html
from decision_aid.report.markdown import table
from decision_aid.report.render import TABLE_WIDTHS, render_markdown
from tests.helpers import CONTRACT_SECTIONS

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.y*ml")) + sorted(
    (ROOT / "tests" / "data" / "answers").glob("*.yaml")
)
DATE = dt.date(2026, 11, 25)
PAPERS = {"A4": "A4", "Letter": "letter"}


class Page(html.parser.HTMLParser):
    """What a reader should find on paper: headings, table cells, sources, icon arrays."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.cells: list[str] = []
        self.sources: list[str] = []
        self.pictures: list[str] = []
        self.tags: list[str] = []
        self._stack: list[str] = []
        self._text: list[str] = []
        self._in_sources = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in ("h2", "th", "td", "pre") or (tag == "li" and self._in_sources):
            self._stack.append(tag)
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or self._stack[-1] != tag:
            return
        self._stack.pop()
        text = "".join(self._text)
        if tag == "h2":
            self.sections.append(text)
            self._in_sources = text == "Sources"
        elif tag in ("th", "td"):
            self.cells.append(text)
        elif tag == "pre":
            self.pictures.append(text)
        else:
            self.sources.append(text)

    def handle_data(self, data: str) -> None:
        if self._stack:
            self._text.append(data)


def squash(text: str) -> str:
    """Text as compared on paper: no whitespace, no hyphens, no compatibility forms.

    Lines break differently on paper, pdftotext joins a word broken after a hyphen
    ("Meta-" + "Analysis" reads "MetaAnalysis"), and a ligature may come back as one sign.
    """
    return "".join(unicodedata.normalize("NFKC", text).replace("-", "").split())


def test_page_is_self_contained_and_safe() -> None:
    """No scripts, images, frames or outside files; raw HTML in the Markdown is only text."""
    page = render_html(
        "# Title & more\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "![a picture](https://example.org/p.png) [a link](javascript:alert(1))\n\n"
        "Text <https://example.org/page> stays a link.\n"
    )
    assert page.startswith("<!DOCTYPE html>\n")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "<title>Title &amp; more</title>" in page
    parsed = Page(page)
    for tag in ("script", "img", "iframe", "link", "object", "embed"):
        assert tag not in parsed.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page.replace("[a link](javascript:alert(1))", "")
    assert 'href="javascript' not in page
    assert (
        "url(" not in page
        and "@import" not in page
        and "src=" not in page.replace("&lt;img src=x", "")
    )
    assert '<a href="https://example.org/page">https://example.org/page</a>' in page


def test_same_markdown_same_bytes() -> None:
    """The page is a pure function of the Markdown."""
    text = "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert render_html(text) == render_html(text)


def test_continuation_rows_are_joined_by_row_labels() -> None:
    """The report's wrapped table comes back as one HTML row per options-table row."""
    rows = [
        ["Does it help a pregnancy after miscarriages?", "One small lupus study. " * 3, "Yes."],
        ["Cost", "About $10,330 a course in 2011 US hospital costs.", "Not known " * 5],
    ]
    markdown = (
        table(["", "Add IVIG", "Standard"], rows, TABLE_WIDTHS)
        + "\n\n### Does it help a pregnancy after miscarriages?\n\n### Cost\n"
    )
    assert len(markdown.split("\n")) > 6  # the cells really were wrapped
    joined = [line for line in join_table_rows(markdown).split("\n") if line.startswith("| ")]
    assert joined[1:] == ["| " + " | ".join(" ".join(c.split()) for c in r) + " |" for r in rows]


def test_continuation_rows_without_labels_use_the_widths() -> None:
    """Any other pipe table: a line continues a row when the words could not fit before."""
    rows = [["Short", "a b c", "d"], ["A label that wraps", "one two three four five six", "x"]]
    markdown = table(["", "A", "B"], rows, [8, 10, 10])
    joined = join_table_rows(markdown).split("\n")
    assert joined[2:] == [
        "| Short | a b c | d |",
        "| A label that wraps | one two three four five six | x |",
    ]


words = st.text(alphabet="abcdefghij", min_size=1, max_size=9)
cell = st.lists(words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=8, unique_by=lambda r: r[0]))
def test_any_wrapped_table_with_labels_comes_back_whole(rows: list[tuple[str, str, str]]) -> None:
    """Whatever the wrapping, the row labels after the table restore every row exactly."""
    markdown = table(["", "A", "B"], [list(r) for r in rows], TABLE_WIDTHS)
    markdown += "\n\n" + "\n\n".join(f"### {r[0]}" for r in rows) + "\n"
    joined = [line for line in join_table_rows(markdown).split("\n") if line.startswith("| ")]
    assert joined[1:] == ["| " + " | ".join(r) + " |" for r in rows]


def test_plain_text_is_unchanged() -> None:
    """Text without tables passes through as it is."""
    text = "# T\n\nA | not a table\n\n- a\n"
    assert join_table_rows(text) == text


# --- on paper -----------------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run .ci/install-system-deps (never skipped)"
    return path


def print_to_pdf(page: str, paper: str, folder: Path) -> Path:
    """Print the page with headless Chromium on the given paper size, as a person would."""
    source = folder / f"report-{paper}.html"
    # The page leaves the paper to the printer; the test picks it the way a print dialog does.
    source.write_text(page.replace("</style>", f"@page {{ size: {paper}; }}\n</style>", 1))
    pdf = folder / f"report-{paper}.pdf"
    subprocess.run(
        [
            _tool("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert pdf.stat().st_size > 0
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    result = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.split("\f")[:-1]  # every page ends with a form feed


@pytest.fixture(scope="module")
def shipped_bank() -> QuestionBank:
    return load_bank()


def test_there_are_examples_to_print() -> None:
    """The print test below has real reports to print (never an empty list)."""
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_printed_report_has_every_section_source_and_picture(
    path: Path, shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """On A4 and on Letter: every section, every source, every icon, the table on one page."""
    answers = load_answers(path, shipped_bank)
    markdown = render_markdown(build_summary(shipped_bank, answers, answers.date or DATE))
    page = render_html(markdown)
    expected = Page(page)
    assert expected.sections == CONTRACT_SECTIONS
    assert expected.sources and expected.pictures
    for paper in PAPERS.values():
        pages = pdf_pages(print_to_pdf(page, paper, tmp_path))
        assert 1 < len(pages) < 40, f"{paper}: {len(pages)} pages"
        everything = squash("".join(pages))
        position = 0
        for section in expected.sections:
            found = everything.find(squash(section), position)
            assert found >= 0, f"{paper}: section {section!r} missing or out of order"
            position = found
        for source in expected.sources:
            assert squash(source) in everything, f"{paper}: source missing: {source[:60]}"
        for picture in expected.pictures:
            for line in picture.splitlines():
                assert squash(line) in everything, f"{paper}: icon array line lost: {line}"
        for mark in "●○":
            assert everything.count(mark) == squash(markdown).count(mark), f"{paper}: {mark}"
        assert table_is_whole_on_one_page(expected.cells, pages), paper


def tokens(text: str) -> list[str]:
    return [squash(word) for word in text.split() if squash(word)]


def table_is_whole_on_one_page(cells: list[str], pages: list[str]) -> bool:
    """Every word of the table follows its header on the first page that has the header.

    Words, not lines: pdftotext may interleave the lines of neighbouring cells. Were the
    table split, the rest of that page would be only the first part of the table.
    """
    header = tokens(" ".join(cells[:3]))
    for page in pages:
        words = tokens(page)
        for start in range(len(words) - len(header) + 1):
            if words[start : start + len(header)] == header:
                missing = Counter(tokens(" ".join(cells))) - Counter(words[start:])
                assert not missing, f"not on the table's page: {sorted(missing)[:10]}"
                return True
    return False


def test_a_table_longer_than_a_page_splits_and_the_check_sees_it(tmp_path: Path) -> None:
    """Kept whole only where it fits: a 60-row table splits, and the check above notices."""
    rows = [[f"Row {i}", "some words here " * 4, "other words there " * 4] for i in range(60)]
    page = render_html(
        "# T\n\n## S\n\n" + table(["", "Add IVIG", "Standard"], rows, TABLE_WIDTHS) + "\n"
    )
    pages = pdf_pages(print_to_pdf(page, "A4", tmp_path))
    assert len(pages) > 1
    assert sum(squash(p).count("AddIVIGStandard") for p in pages) == len(pages)  # header repeats
    with pytest.raises(AssertionError, match="not on the table's page"):
        table_is_whole_on_one_page(Page(page).cells, pages)
