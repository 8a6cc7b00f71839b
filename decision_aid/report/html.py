"""The printable report: the Markdown report as one self-contained HTML page.

The page is rendered from the report's own Markdown, so it says exactly what the Markdown
report says. markdown-it runs with raw HTML off (``html: False``), images
off, and a Content-Security-Policy that forbids scripts and every outside file; the
only style is ``print.css``, inlined.

The Markdown options table wraps long cells onto continuation rows so that it reads at
80 columns in a terminal. On paper those would look like extra rows, so before rendering
the continuation rows are joined back into the row they continue (:func:`join_table_rows`).

The page is also read aloud by screen readers (:func:`_accessible`, checked with axe-core
at WCAG 2.1 AA): a picture of dots is one image whose name is its caption, so the numbers
are said once and the dots are never read out one by one; table headers are tied to
their cells with ``scope``.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from typing import Any

_SEPARATOR = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")
DOTS = "●○"
"""The marks of a picture of dots (a person it happened to, a person it did not)."""
_DOT_LINE = re.compile(r"^\s*[●○][●○ ]*$")
_DOT_RUN = re.compile(r"[●○](?:[●○ ]*[●○])?")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")

CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
"""No scripts, no images, fonts, frames or styles from anywhere: the page is all there is."""


@cache
def stylesheet() -> str:
    """The page's CSS (``print.css`` in this package)."""
    return resources.files("decision_aid.report").joinpath("print.css").read_text("utf-8")


@cache
def _markdown() -> Any:
    # Deferred: only the printable report needs markdown-it.
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    # An image would be an outside file; as text, its alt text and address still show.
    md.disable("image")
    return md


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip() for cell in _CELL_SPLIT.split(inner)]


def _continues(previous: list[str], current: list[str], widths: list[int]) -> bool:
    """Whether ``current`` is the wrapped rest of the row whose last line is ``previous``.

    It is when the first column is empty (a row always has a label), or when every
    filled cell continues a filled cell whose line had no room for its first word.
    """
    if not current[0]:
        return True
    for before, now, width in zip(previous, current, widths, strict=False):
        if not now:
            continue
        if not before:
            return False  # that cell had ended: this is a new row
        first_word = now.split()[0]
        if len(before) + 1 + len(first_word) <= width:
            return False  # the word would have fitted on the line before
    return True


def _join(before: str, after: str, width: int) -> str:
    if not before:
        return after
    if not after:
        return before
    # A word longer than the column was broken at exactly the width: no space inside it.
    glue = "" if len(before.split()[-1]) == width and " " not in before else " "
    return before + glue + after


def _norm(text: str) -> str:
    return " ".join(text.split())


def _starts_from_labels(rows: list[list[str]], labels: list[str]) -> list[bool] | None:
    """Which lines start a row, read from the row labels; ``None`` if they do not match.

    A line starts a row when its first cell is filled and the row before has its whole
    label. Exact when the labels are the table's first column, which is then checked.
    """
    starts: list[bool] = []
    current = -1
    label_so_far = ""
    for cells in rows:
        piece = cells[0]
        if piece and (current < 0 or label_so_far == _norm(labels[current])):
            current += 1
            if current >= len(labels):
                return None
            label_so_far = piece
            starts.append(True)
        else:
            if current < 0:
                return None
            label_so_far = _norm(f"{label_so_far} {piece}")
            starts.append(False)
        if not _norm(labels[current]).startswith(label_so_far):
            return None
    if current != len(labels) - 1 or label_so_far != _norm(labels[current]):
        return None
    return starts


def _labels_after(lines: list[str], index: int) -> list[str]:
    """The ``###`` headings after a table, up to the next ``##``: the report's row labels."""
    labels = []
    for line in lines[index:]:
        if line.startswith(("## ", "# ")):
            break
        if line.startswith("### "):
            labels.append(line[4:].strip())
    return labels


def join_table_rows(markdown_text: str) -> str:
    """Join the continuation rows of every pipe table back into whole rows.

    The report follows its options table with one ``###`` section per row, titled with the
    row's label; when those titles match the first column, they say exactly where each row
    starts. Otherwise (any other table) :func:`_continues` decides line by line.
    """
    lines = markdown_text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        is_table = (
            line.lstrip().startswith("|")
            and index + 1 < len(lines)
            and _SEPARATOR.match(lines[index + 1].strip()) is not None
        )
        if not is_table:
            out.append(line)
            index += 1
            continue
        separator = lines[index + 1].strip()
        widths = [max(len(part.strip()) - 2, 1) for part in separator.strip("|").split("|")]
        out.extend([line, lines[index + 1]])
        index += 2
        physical: list[list[str]] = []
        while index < len(lines) and lines[index].lstrip().startswith("|"):
            cells = _cells(lines[index])
            physical.append(cells + [""] * (len(widths) - len(cells)))
            index += 1
        starts = _starts_from_labels(physical, _labels_after(lines, index))
        if starts is None:
            starts = [
                position == 0 or not _continues(physical[position - 1], cells, widths)
                for position, cells in enumerate(physical)
            ]
        rows: list[list[str]] = []
        for cells, start in zip(physical, starts, strict=True):
            if start or not rows:
                rows.append(list(cells))
            else:
                rows[-1] = [
                    _join(a, b, w) for a, b, w in zip(rows[-1], cells, widths, strict=False)
                ]
        out.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(out)


def _title(tokens: list[Any]) -> str:
    for position, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            inline = tokens[position + 1]
            return "".join(
                child.content
                for child in inline.children or []
                if child.type in ("text", "code_inline")
            )
    return "Report"


def _picture(lines: list[str]) -> str:
    """One picture (its dot lines, then its caption) as HTML for inside ``<pre><code>``:
    an image named by its caption; the dots themselves hidden from screen readers."""
    dots = [line for line in lines if _DOT_LINE.match(line)]
    caption = " ".join(" ".join(line.split()) for line in lines if not _DOT_LINE.match(line))
    if not caption:  # no caption to name it: say the counts the dots show
        filled = sum(line.count(DOTS[0]) for line in dots)
        caption = f"{filled} of {filled + sum(line.count(DOTS[1]) for line in dots)}"
    inside = []
    for line in lines:
        text = html.escape(line)
        inside.append(f'<span aria-hidden="true">{text}</span>' if _DOT_LINE.match(line) else text)
    return (
        f'<span class="dots" role="img" aria-label="{html.escape(caption)}">'
        + "\n".join(inside)
        + "</span>"
    )


def _code_block(content: str) -> str | None:
    """A code block holding pictures of dots, as accessible HTML; ``None`` for any other."""
    lines = content.rstrip("\n").split("\n")
    if not any(_DOT_LINE.match(line) and line.strip() for line in lines):
        return None
    groups: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            # A dot line after a caption starts the next picture.
            if groups[-1] and _DOT_LINE.match(line) and not _DOT_LINE.match(groups[-1][-1]):
                groups.append([])
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    pictures = [_picture(group) for group in groups if group]
    return "<pre><code>" + "\n\n".join(pictures) + "\n</code></pre>\n"


def _accessible(tokens: list[Any]) -> None:
    """Make the tokens read well aloud (in place): pictures of dots as images named by
    their captions, a run of dots in running text hidden (the sentence says the numbers),
    column and row headers with ``scope``, an empty header cell as a plain cell."""
    from markdown_it.token import Token

    section, first = "", False
    for position, token in enumerate(tokens):
        if token.type in ("code_block", "fence"):
            picture = _code_block(token.content)
            if picture is not None:
                tokens[position] = Token("html_block", "", 0, content=picture, block=True)
        elif token.type in ("thead_open", "tbody_open"):
            section = token.type
        elif token.type == "tr_open":
            first = True
        elif token.type == "th_open":
            inline = tokens[position + 1]
            if not inline.content.strip():
                token.tag = tokens[position + 2].tag = "td"
            else:
                token.attrSet("scope", "col")
        elif token.type == "td_open" and section == "tbody_open" and first:
            token.tag = tokens[position + 2].tag = "th"
            token.attrSet("scope", "row")
        if token.type in ("th_open", "td_open"):
            first = False
        if token.type == "inline" and token.children:
            token.children = _hide_dot_runs(token.children)


def _hide_dot_runs(children: list[Any]) -> list[Any]:
    """Inline tokens with each run of two or more dots hidden from screen readers."""
    from markdown_it.token import Token

    out: list[Any] = []
    for child in children:
        if child.type != "text" or not _DOT_RUN.search(child.content):
            out.append(child)
            continue
        text, start = child.content, 0
        for match in _DOT_RUN.finditer(text):
            if len(match.group(0).replace(" ", "")) < 2:
                continue  # one mark is a word of its sentence ("each ● is a person …")
            out.append(Token("text", "", 0, content=text[start : match.start()]))
            hidden = f'<span aria-hidden="true">{html.escape(match.group(0))}</span>'
            out.append(Token("html_inline", "", 0, content=hidden))
            start = match.end()
        out.append(Token("text", "", 0, content=text[start:]))
    return out


def render_html(markdown_text: str) -> str:
    """The report's Markdown as one self-contained HTML page (same text, print styles).

    The same Markdown gives the same bytes.
    """
    md = _markdown()
    tokens = md.parse(join_table_rows(markdown_text))
    _accessible(tokens)
    body = md.renderer.render(tokens, md.options, {})
    # Raw HTML is off, so every <table> here is one the Markdown made.
    body = body.replace("<table>", '<div class="options">\n<table>').replace(
        "</table>", "</table>\n</div>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_title(tokens))}</title>\n"
        f"<style>\n{stylesheet()}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{body}"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )
