"""Paragraphs, "- " lists and **bold**, drawn by one widget: a light stand-in for Markdown."""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

Block = tuple[Literal["paragraph", "item"], Content]
"""One paragraph or one list item, with its bold parts."""

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
# Anything Markdown would draw differently from plain text, once bold is taken out.
_OTHER_MARKUP = re.compile(r"[*_`\[\]<>#|\\&~]|^\s*(?:[+>]|\d+[.)])\s", re.M)


def _inline(text: str) -> Content:
    parts: list[tuple[str, str] | str] = []
    for index, part in enumerate(_BOLD.split(text)):
        if part:
            parts.append((part, "bold") if index % 2 else part)
    return Content.assemble(*parts)


def parse_prose(text: str) -> list[Block] | None:
    """The blocks of ``text``, or ``None`` if it uses Markdown beyond this subset.

    The subset: paragraphs separated by blank lines, list items starting with ``- ``
    (a line that does not start one continues the item or paragraph), and ``**bold**``.
    """
    if _OTHER_MARKUP.search(_BOLD.sub(r"\1", text)):
        return None
    blocks: list[tuple[Literal["paragraph", "item"], list[str]]] = []
    new_block = True
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            new_block = True
        elif line.startswith("- "):
            blocks.append(("item", [line[2:]]))
            new_block = False
        elif new_block:
            blocks.append(("paragraph", [line]))
            new_block = False
        else:
            blocks[-1][1].append(line)
    return [(kind, _inline(" ".join(lines))) for kind, lines in blocks]


class Prose(Widget):
    """Blocks from :func:`parse_prose`, wrapped to the width; list items hang under a bullet.

    Textual's ``Markdown`` widget makes several widgets per block and brings a Markdown
    parser: showing the welcome text with it cost about 100 ms of every start
    (``bench/run.py`` figure 3).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"prose--bullet"}
    """
    | Class | Description |
    | :- | :- |
    | `prose--bullet` | The bullet before a list item. |
    """

    DEFAULT_CSS = """
    Prose {
        height: auto;
        & > .prose--bullet {
            color: $text-primary;
        }
        &:light > .prose--bullet {
            color: $text-secondary;
        }
    }
    """

    BULLET = "• "

    def __init__(self, blocks: list[Block], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._blocks = blocks
        self._width = -1
        self._lines: list[Content] = []

    def _wrapped(self, width: int) -> list[Content]:
        if width != self._width:
            lines: list[Content] = []
            previous = None
            bullet = Content(self.BULLET).stylize(self.get_visual_style("prose--bullet"))
            indent = Content(" " * len(self.BULLET))
            for kind, content in self._blocks:
                if previous is not None and not (previous == kind == "item"):
                    lines.append(Content(""))
                if kind == "item":
                    wrapped = content.wrap(max(1, width - len(self.BULLET)))
                    lines.extend((bullet if n == 0 else indent) + w for n, w in enumerate(wrapped))
                else:
                    lines.extend(content.wrap(max(1, width)))
                previous = kind
            self._width, self._lines = width, lines
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._wrapped(width))

    def render(self) -> Content:
        return Content("\n").join(self._wrapped(self.content_region.width or self.size.width))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = -1  # the bullet's colour follows the theme
