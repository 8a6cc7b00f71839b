"""The report itself, shown as it will be saved, with Save and Back."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Markdown

from decision_aid.tui.widgets.step_header import StepHeader


class SummaryScreen(Screen[Literal["back"]]):
    """The Markdown report, scrollable; Save asks the app to save it (the screen stays)."""

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
        self._report = report
        self._progress = progress

    def compose(self) -> ComposeResult:
        yield StepHeader("Your report", self._progress)
        with VerticalScroll(id="report"):
            # Links are shown, never opened: the program makes no network connection.
            yield Markdown(self._report, open_links=False)
        with Horizontal(classes="nav"):
            yield Button("‹ Back", id="back", compact=True)
            yield Button("Save report", id="save", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.report.focus()

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
