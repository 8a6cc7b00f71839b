"""The report read in the consultation a part at a time: **At a glance**, then the evidence.

Both screens show parts of the same Markdown report that is saved, cut at its headings, so
what the two people talk through is word for word what the person takes home. A part is
laid out only when it is reached: the whole report at once took 2 to 4 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Markdown, OptionList
from textual.widgets.option_list import Option

from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.marked_button import MarkedButton
from decision_aid.tui.widgets.step_header import StepHeader

Move = Literal["next", "back"]


@dataclass(frozen=True)
class ReportPart:
    """One ``##`` section of the report, or one ``###`` part of a section."""

    title: str
    """The heading's words, without the ``#`` marks."""
    text: str
    """The Markdown from the heading to the next heading: a section's own text, without
    its parts (each part is read on its own, so no page is long to lay out)."""
    depth: int
    """2 for a section, 3 for a part of one."""


def report_parts(report: str) -> list[ReportPart]:
    """Every section and part of the report, in order (the title lines before the first
    section are left out). Headings inside a code fence do not count."""
    lines = report.splitlines(keepends=True)
    starts: list[tuple[int, int, str]] = []
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        for depth in (2, 3):
            if not fenced and line.startswith("#" * depth + " "):
                starts.append((index, depth, line[depth + 1 :].strip()))
    parts = []
    for number, (start, depth, title) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        parts.append(ReportPart(title, "".join(lines[start:end]).rstrip() + "\n", depth))
    return parts


class StepMoves(Screen[Move]):
    """A screen of the consultation left with Next or Back (keys ``n`` and ``b`` too)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Next", priority=True, id="next"),
        Binding("b", "back", "Back", priority=True, id="back"),
        Binding("escape", "back", "Back", show=False),
    ]

    def nav(self) -> ComposeResult:
        with Horizontal(classes="nav"):
            yield MarkedButton("‹ Back", id="back", compact=True)
            yield MarkedButton("Next ›", id="next", compact=True)

    def action_next(self) -> None:
        self.dismiss("next")

    def action_back(self) -> None:
        self.dismiss("back")

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()


class GlanceScreen(StepMoves):
    """The report's first section (**At a glance**): the page the two people talk through."""

    def __init__(self, part: ReportPart, progress: str) -> None:
        super().__init__()
        self.part = part
        self._progress = progress

    def compose(self) -> ComposeResult:
        yield StepHeader(self.part.title, self._progress)
        with VerticalScroll(id="page"):
            # The heading is the step's title above; links are shown, never opened (the
            # program makes no network connection).
            body = self.part.text.split("\n", 1)[1] if "\n" in self.part.text else ""
            yield Markdown(body, open_links=False)
        yield from self.nav()
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#page", VerticalScroll).focus()


class EvidenceScreen(StepMoves):
    """The rest of the report: a contents list, and the part chosen in it beside it.

    Moving in the contents shows that part at once; a digit jumps to that section; Tab
    goes to the text to scroll it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *StepMoves.BINDINGS,
        *[
            Binding(str(n), f"jump({n})", "Section", show=n == 1, key_display="1-9")
            for n in range(1, 10)
        ],
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, down | Move in the contents; the part is shown beside it. |
    | 1 to 9 | Go to that section. |
    | tab | Go to the text, to scroll it. |
    | n, b | The next or the previous step. |
    """

    def __init__(self, parts: list[ReportPart], progress: str, title: str) -> None:
        super().__init__()
        self.parts = parts
        self._progress = progress
        self._title = title
        self.sections = [i for i, p in enumerate(parts) if p.depth == 2]
        """The index in :attr:`parts` of each section (what the digit keys jump to)."""

    def compose(self) -> ComposeResult:
        yield StepHeader(self._title, self._progress)
        with Horizontal(id="evidence"):
            entries = []
            for index, part in enumerate(self.parts):
                if part.depth == 2:
                    label = f"{self.sections.index(index) + 1}. {part.title}"
                else:
                    label = f"  · {part.title}"
                entries.append(Option(label, id=f"part-{index}"))
            yield OptionList(*entries, id="contents", markup=False)
            with VerticalScroll(id="page"):
                yield Markdown(self.parts[0].text if self.parts else "", open_links=False)
        yield from self.nav()
        yield KeysFooter()

    def on_mount(self) -> None:
        contents = self.contents
        contents.highlighted = 0
        contents.focus()

    @on(OptionList.OptionHighlighted, "#contents")
    async def _show_part(self, event: OptionList.OptionHighlighted) -> None:
        await self.show_part(event.option_index)

    async def show_part(self, index: int) -> None:
        """Lay out and show part ``index`` (only that part), from its top."""
        page = self.query_one("#page", VerticalScroll)
        await self.query_one(Markdown).update(self.parts[index].text)
        page.scroll_home(animate=False)

    def action_jump(self, number: int) -> None:
        if number <= len(self.sections):
            self.contents.highlighted = self.sections[number - 1]
            self.contents.focus()

    @property
    def contents(self) -> OptionList:
        return self.query_one("#contents", OptionList)
