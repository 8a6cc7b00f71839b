"""Markdown building blocks that stay readable at 80 columns: wrapping, tables, icon arrays.

Paragraphs are hard-wrapped, which every Markdown viewer re-flows, so the same bytes read
well in a terminal and in a viewer. Nothing here changes the words.
"""

from __future__ import annotations

import functools
import re
import textwrap

WIDTH = 80
"""No line of the report is longer (a long address may be, as it cannot be broken)."""

# A wrapped line must not start with something Markdown reads as structure. An autolink
# (<https://...>) is inline, so it may start a line.
_STRUCTURE = re.compile(
    r"^(?:[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|#{1,6}(?:\s|$)|[=-]+\s*$|[>|]|<(?!https?://)"
    r"|~~~|```|(?:[-*_][ \t]*){3,}$)"  # the last: a thematic break such as "--- ---"
)
# Inline characters from answers that could make links, emphasis, HTML or table cells,
# character references (&lt;) that a viewer would turn into other text, or strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]<>|{}&~])")


# Memoised: the texts escaped are question names and answer labels from the bank, the
# same few hundred in every report.
@functools.lru_cache(maxsize=4096)
def escape(text: str) -> str:
    """Escape text that comes from answers so it cannot add Markdown structure."""
    text = _INLINE.sub(r"\\\1", " ".join(str(text).split()))
    if _STRUCTURE.match(text):
        text = "\\" + text
    return text


# Memoised: a report wraps the same bank paragraphs as every other report, so `run` over
# many answers files wraps each only once (bench/run.py figure 2). The result depends on
# the arguments alone, so a cached line can never be stale.
@functools.lru_cache(maxsize=4096)
def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> str:
    """Hard-wrap one paragraph; no continuation line may start a Markdown block."""
    words = text.split()
    for narrower in range(16):
        lines = _greedy_lines(words, width - narrower, first, rest)
        if not any(_STRUCTURE.match(line[len(rest) :]) for line in lines[1:]):
            return "\n".join(lines)
    # Still a block start at every width: keep that word on the line before it instead.
    lines = _greedy_lines(words, width, first, rest)
    joined = [lines[0]]
    for line in lines[1:]:
        body = line[len(rest) :]
        while body and _STRUCTURE.match(body):
            head, _, body = body.partition(" ")
            joined[-1] += " " + head
        if body:
            joined.append(rest + body)
    return "\n".join(joined)


def _greedy_lines(words: list[str], width: int, first: str, rest: str) -> list[str]:
    """The lines ``textwrap.wrap(" ".join(words), width, initial_indent=first,
    subsequent_indent=rest, break_long_words=False, break_on_hyphens=False)`` gives.

    The same greedy fill, for words that hold no whitespace: textwrap's general chunk
    loop was 85% of rendering a report (7 of 8 ms for the shipped bank).
    """
    lines: list[str] = []
    indent, room = first, width - len(first)
    line: list[str] = []
    used = 0
    for word in words:
        if not line:
            line, used = [word], len(word)  # a word longer than the room stands alone
        elif used + 1 + len(word) <= room:
            line.append(word)
            used += 1 + len(word)
        else:
            lines.append(indent + " ".join(line))
            indent, room = rest, width - len(rest)
            line, used = [word], len(word)
    if line:
        lines.append(indent + " ".join(line))
    return lines


@functools.lru_cache(maxsize=4096)
def bullet(text: str, marker: str = "-") -> str:
    """A list item with a hanging indent."""
    first = f"{marker} "
    return wrap(text, first=first, rest=" " * len(first))


def table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    """A pipe table whose cells wrap onto continuation rows to keep within ``widths``.

    Continuation rows leave the first column empty, so the table reads down each column
    in a terminal and in a viewer.
    """

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for row in rows:
        wrapped = [_cell_lines(cell, width) for cell, width in zip(row, widths, strict=True)]
        height = max(len(c) for c in wrapped)
        for index in range(height):
            out.append(line([c[index] if index < len(c) else "" for c in wrapped]))
    return "\n".join(out)


@functools.lru_cache(maxsize=1024)
def _cell_lines(text: str, width: int) -> tuple[str, ...]:
    # Memoised like `wrap`: the table's cells come from the bank, the same in every report.
    return tuple(
        textwrap.wrap(
            " ".join(text.split()), width=width, break_long_words=True, break_on_hyphens=False
        )
    ) or ("",)


FILLED, EMPTY = "●", "○"


@functools.lru_cache(maxsize=1024)
def icon_array(events: int, total: int, label: str, indent: str = "") -> str:
    """A text picture of ``events`` of ``total`` people, readable without colour.

    Up to 50 people are drawn one icon each; more are drawn as 100, with the count
    rounded and said in words, so every picture uses the same "x of 100" form.
    """
    if total <= 50:
        shown, count = events, total
        words = f"{events:,} of {total:,} {label}"
    else:
        shown, count = round(events * 100 / total), 100
        # A rare event rounds to no icon at all; say so rather than "about 0 of 100".
        share = f"about {shown}" if shown or not events else "fewer than 1"
        words = f"{events:,} of {total:,} {label} ({share} of 100)"
    icons = FILLED * shown + EMPTY * (count - shown)
    groups = [icons[i : i + 10] for i in range(0, len(icons), 10)]
    lines = [" ".join(groups[i : i + 5]) for i in range(0, len(groups), 5)]
    picture = "\n".join(indent + row for row in lines)
    return picture + "\n" + wrap(words, first=indent, rest=indent)
