"""Inline citation markers: ``[@source-id]`` in content, ``[n]`` in the report.

Sources are numbered in the order the report first cites them, so the numbering
depends only on the bank and the answers.
"""

from __future__ import annotations

import functools
import re

MARKER = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")
"""A well-formed citation marker."""
LOOSE_MARKER = re.compile(r"\[@[^\]]*\]?")
"""Anything that starts like a marker, to catch broken ones."""
_GROUP = re.compile(r"(?:\[@[a-z0-9][a-z0-9-]*\])(?:\s*\[@[a-z0-9][a-z0-9-]*\])*")
"""Markers side by side (spaces between them allowed): shown as one ``[1, 2]``."""

# The functions below depend on the text alone, and a report cites the same bank texts
# as every other report: memoised, `run` over many answers files parses each text once
# (bench/run.py figure 2). They return tuples or strings, so a caller cannot change
# what the memo holds.


@functools.lru_cache(maxsize=4096)
def _cited(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(MARKER.findall(text)))


def cited_ids(text: str) -> list[str]:
    """Source ids cited in ``text``, in order, without repeats."""
    return list(_cited(text))


def broken_markers(text: str) -> list[str]:
    """Markers that start with ``[@`` but are not of the form ``[@source-id]``."""
    return [m for m in LOOSE_MARKER.findall(text) if not MARKER.fullmatch(m)]


@functools.lru_cache(maxsize=4096)
def strip_markers(text: str) -> str:
    """The text without its markers (for readability measures and plain JSON)."""
    return re.sub(r"\s+([.,;:])", r"\1", MARKER.sub("", text)).replace("  ", " ").strip()


@functools.lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """``text`` cut around its groups of markers: the texts between them (one more than
    the groups) and each group's source ids in the order written."""
    between: list[str] = []
    groups: list[tuple[str, ...]] = []
    start = 0
    for match in _GROUP.finditer(text):
        between.append(text[start : match.start()])
        groups.append(tuple(MARKER.findall(match.group(0))))
        start = match.end()
    between.append(text[start:])
    return tuple(between), tuple(groups)


class Citer:
    """Numbers sources by first use and rewrites markers as ``[n]``."""

    def __init__(self) -> None:
        self.order: list[str] = []
        """Source ids in order of first citation."""

    def number(self, source_id: str) -> int:
        """The number of a source, giving it the next one on first use."""
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def cite(self, text: str) -> str:
        """``text`` with every ``[@id]`` replaced by ``[n]``; adjacent ones merged as ``[1, 2]``."""
        between, groups = _pieces(text)
        if not groups:
            return text
        parts = [between[0]]
        for ids, after in zip(groups, between[1:], strict=True):
            # Numbered in order of first use (left to right), then shown ascending: [11, 14].
            numbers = sorted({self.number(i) for i in ids})
            parts.append("[" + ", ".join(map(str, numbers)) + "]")
            parts.append(after)
        return "".join(parts)
