"""Text as short plain lines: wrapped for a braille display, with no control codes at all."""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterator

WIDTH = 72
"""No line is longer: a 40- or 80-cell braille display shows a line whole in one or two
pans, and a screen reader reads it as one line."""

_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>])")


def plain_inline(text: str) -> str:
    """Markdown's strong emphasis and backslash escapes taken out: a screen reader would
    read them as stars and backslashes."""
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", text))


def printable(text: str) -> str:
    """``text`` with every control or format character (escape, bidi override) dropped:
    what is shown comes from files a person may have edited, and must not drive the
    terminal."""
    if text.isprintable():
        return text
    return "".join(
        " " if ch == "\t" else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch == "\t"
    )


def wrap(text: str, indent: str = "", hanging: str | None = None) -> list[str]:
    """One paragraph as lines of at most :data:`WIDTH` characters.

    Args:
        text: the paragraph (its own line breaks count as spaces).
        indent: put before the first line.
        hanging: put before every further line (default: ``indent``).
    """
    words = " ".join(printable(plain_inline(text)).split())
    if not words:
        return [indent.rstrip()] if indent.strip() else [""]
    return textwrap.wrap(
        words,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if hanging is None else hanging,
        break_long_words=True,  # a path longer than a line is cut, never left too long
        break_on_hyphens=False,
    )


def markdown_lines(markdown: str) -> Iterator[str]:
    """A part of the Markdown report as plain lines: headings as text, paragraphs and list
    items wrapped again, each table row as one item ("first cell: other cells")."""
    headers: list[str] = []
    paragraph: list[str] = []

    def flush() -> Iterator[str]:
        if paragraph:
            match = _LIST_ITEM.match(paragraph[0])
            text = " ".join(line.strip() for line in paragraph)
            paragraph.clear()
            if match:
                bullet = match.group(2)
                body = text[len(match.group(0).strip()) :].strip() if match else text
                mark = "-" if bullet in "-*+" else bullet
                lead = " " * len(match.group(1)) + mark + " "
                yield from wrap(body, lead, " " * len(lead))
            else:
                yield from wrap(text)

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if not line.strip():
            yield from flush()
            headers = []
            yield ""
            continue
        if line.startswith("#"):
            yield from flush()
            yield from wrap(line.lstrip("#").strip())
            continue
        if line.lstrip().startswith("|"):
            yield from flush()
            if _TABLE_RULE.match(line.strip()):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not headers:
                headers = cells
                yield from wrap(" / ".join(c for c in cells if c))
                continue
            parts = []
            for header, cell in zip(headers[1:], cells[1:], strict=False):
                parts.append(f"{header}: {cell}" if header else cell)
            yield from wrap(f"{cells[0]}: " + "; ".join(parts), "- ", "  ")
            continue
        if _LIST_ITEM.match(line) and paragraph:
            yield from flush()
        paragraph.append(line)
    yield from flush()


def squeeze(lines: Iterator[str] | list[str]) -> list[str]:
    """Lines without leading, trailing or repeated blank lines."""
    out: list[str] = []
    for line in lines:
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return out
