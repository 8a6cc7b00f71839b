"""Inline citation markers: ``[@source-id]`` in content, ``[n]`` in the report.

Sources are numbered in the order the report first cites them, so the numbering
depends only on the bank and the answers.
"""

from __future__ import annotations

import re

MARKER = re.compile(r"\[@([a-z0-9][a-z0-9-]*)\]")
"""A well-formed citation marker."""
LOOSE_MARKER = re.compile(r"\[@[^\]]*\]?")
"""Anything that starts like a marker, to catch broken ones."""


def cited_ids(text: str) -> list[str]:
    """Source ids cited in ``text``, in order, without repeats."""
    return list(dict.fromkeys(MARKER.findall(text)))


def broken_markers(text: str) -> list[str]:
    """Markers that start with ``[@`` but are not of the form ``[@source-id]``."""
    return [m for m in LOOSE_MARKER.findall(text) if not MARKER.fullmatch(m)]


def strip_markers(text: str) -> str:
    """The text without its markers (for readability measures and plain JSON)."""
    return re.sub(r"\s+([.,;:])", r"\1", MARKER.sub("", text)).replace("  ", " ").strip()


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

        def group(match: re.Match[str]) -> str:
            ids = MARKER.findall(match.group(0))
            # Numbered in order of first use, then shown in ascending order: [11, 14].
            numbers = sorted({self.number(i) for i in ids})
            return "[" + ", ".join(str(n) for n in numbers) + "]"

        return re.sub(r"(?:\[@[a-z0-9][a-z0-9-]*\])(?:\s*\[@[a-z0-9][a-z0-9-]*\])*", group, text)
