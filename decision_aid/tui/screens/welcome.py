"""The first screen: what is being decided, who should be there, how long, and the keys."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Static

from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.marked_button import MarkedButton
from decision_aid.tui.widgets.prose import Prose, parse_prose
from decision_aid.tui.widgets.step_header import StepHeader


class WelcomeScreen(Screen[Literal["next"]]):
    """The welcome text (Markdown) and a Start button."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "start", "Start", id="start"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | n, enter on Start | Start (or continue) the consultation. |
    | up, down | Scroll the text. |
    """

    def __init__(self, title: str, text: str, note: str = "") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._note = note

    def compose(self) -> ComposeResult:
        yield StepHeader(self._title, "Welcome")
        with VerticalScroll(id="welcome"):
            blocks = parse_prose(self._text)
            if blocks is not None:
                yield Prose(blocks)
            else:  # Markdown beyond the light subset: the full widget, loaded only then
                from textual.widgets import Markdown

                yield Markdown(self._text, open_links=False)
        if self._note:
            yield Static(self._note, classes="note", markup=False)
        with Horizontal(classes="nav"):
            yield MarkedButton("Start ›", id="start", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    def action_start(self) -> None:
        self.dismiss("next")

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()
