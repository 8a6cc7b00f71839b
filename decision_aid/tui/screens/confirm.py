"""Asking before quitting with answers that are not in a saved report."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from decision_aid.tui.widgets.marked_button import MarkedButton


class QuitScreen(ModalScreen[bool]):
    """``True`` quits; ``False`` (the default button) stays."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Stay"),
        Binding("q", "leave", "Quit"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | escape, enter on Stay | Stay in the consultation. |
    | q, enter on Quit | Quit without saving a report. |
    """

    def __init__(self, kept: bool) -> None:
        super().__init__()
        self._kept = kept

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Quit without saving a report?", classes="dialog-title")
            if self._kept:
                text = (
                    "Your answers are not in a saved report yet. They are kept on this "
                    "computer: run  ivig-decision-aid --resume  to continue where you stopped."
                )
            else:
                text = (
                    "Your answers are not in a saved report yet, and they could not be kept "
                    "on this computer. If you quit now, they are lost."
                )
            yield Static(text, markup=False)
            with Horizontal(classes="buttons"):
                yield MarkedButton("Stay", id="stay", compact=True)
                yield MarkedButton("Quit", id="leave", compact=True)

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    @on(Button.Pressed, "#leave")
    def action_leave(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)
