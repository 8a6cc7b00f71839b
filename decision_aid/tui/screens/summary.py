"""The report itself, shown as it will be saved, with Save and Back."""

from __future__ import annotations

import asyncio
from typing import ClassVar, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import MountError
from textual.widgets import Button, Markdown

from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.marked_button import MarkedButton
from decision_aid.tui.widgets.step_header import StepHeader


def report_parts(text: str) -> list[str]:
    """The report cut before each ``##`` and ``###`` heading (never inside a code fence).

    Shown one after another, the parts read as the whole report; the first appears at
    once instead of after the whole report has been laid out.
    """
    parts: list[list[str]] = [[]]
    fenced = False
    for line in text.splitlines(keepends=True):
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith(("## ", "### ")) and parts[-1]:
            parts.append([])
        parts[-1].append(line)
    return ["".join(part) for part in parts]


class SummaryScreen(Screen[Literal["back"]]):
    """The Markdown report, scrollable; Save asks the app to save it (the screen stays).

    The report is shown in parts, the first at once and the rest as they are laid out,
    so keys work from the start; :attr:`shown` is set when the whole report is there.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "save", "Save", id="save"),
        Binding("b", "back", "Back", id="back"),
        Binding("escape", "back", "Back", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, down, page up, page down | Scroll the report. |
    | s | Save the report and its answers file. |
    | b, escape | Back to what matters to you. |
    """

    class SaveRequested(Message):
        """The person asked to save the report."""

    def __init__(self, report: str, progress: str) -> None:
        super().__init__()
        self._parts = report_parts(report)
        self._progress = progress
        self.shown = asyncio.Event()
        """Set once every part of the report is on the screen."""

    def compose(self) -> ComposeResult:
        yield StepHeader("Your report", self._progress)
        with VerticalScroll(id="report"):
            # Links are shown, never opened: the program makes no network connection.
            yield Markdown(self._parts[0], open_links=False)
        with Horizontal(classes="nav"):
            yield MarkedButton("‹ Back", id="back", compact=True)
            yield MarkedButton("Save report", id="save", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.report.focus()
        self._show_rest()

    @work(group="report")
    async def _show_rest(self) -> None:
        report = self.report
        for part in self._parts[1:]:
            try:
                await report.mount(Markdown(part, open_links=False))
            except MountError:
                return  # the screen was closed (Back, or the app quit) before the end
        self.shown.set()

    def action_save(self) -> None:
        self.post_message(self.SaveRequested())

    def action_back(self) -> None:
        self.dismiss("back")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @property
    def report(self) -> VerticalScroll:
        return self.query_one("#report", VerticalScroll)
