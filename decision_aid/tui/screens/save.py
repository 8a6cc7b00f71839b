"""Saving: a proposed file name to accept or change, then where the files went."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from decision_aid.pipeline import name_problem
from decision_aid.tui.widgets.marked_button import MarkedButton


class SaveScreen(ModalScreen[str | None]):
    """Asks for the report's name (proposed: date and a random part); ``None`` cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Save with this name. |
    | escape | Do not save now. |
    """

    def __init__(self, folder: str, proposed: str, problem: str = "") -> None:
        super().__init__()
        self._folder = folder
        self._proposed = proposed
        self._problem = problem

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save the report", classes="dialog-title")
            yield Static(f"Folder: {self._folder}", classes="path", markup=False)
            yield Static("Name (without .md; no names of people):")
            yield Input(self._proposed, id="name", max_length=80)
            yield Static(
                "Two files are written: NAME.md (the report) and NAME.answers.yaml.",
                classes="hint",
            )
            yield Static(
                f"✗ {self._problem}" if self._problem else "", classes="problem", markup=False
            )
            with Horizontal(classes="buttons"):
                yield MarkedButton("Cancel", id="cancel", compact=True)
                yield MarkedButton("Save", id="save", compact=True)

    def on_mount(self) -> None:
        self.name_box.focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        name = self.name_box.value.strip()
        problem = name_problem(name)
        if problem:
            self.problem.update(f"✗ {problem}")
            return
        self.dismiss(name)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @property
    def name_box(self) -> Input:
        return self.query_one("#name", Input)

    @property
    def problem(self) -> Static:
        return self.query_one(".problem", Static)


class SavedScreen(ModalScreen[bool]):
    """Says where the report and its answers went; ``True`` quits, ``False`` goes back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stay", "Back to the report"),
        Binding("q", "finish", "Quit"),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | q, enter on Quit | Quit: the consultation is saved. |
    | escape | Back to the report. |
    """

    def __init__(self, folder: str, report: str, answers: str) -> None:
        super().__init__()
        self._folder = folder
        self._report = report
        self._answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("✓ Saved", classes="dialog-title")
            yield Static(f"Folder: {self._folder}", classes="path", markup=False)
            yield Static(f"  {self._report}  (the report)", markup=False)
            yield Static(f"  {self._answers}  (its answers)", markup=False)
            yield Static("Only you can open these files on this computer.", classes="hint")
            with Horizontal(classes="buttons"):
                yield MarkedButton("Back to the report", id="stay", compact=True)
                yield MarkedButton("Quit", id="finish", compact=True)

    def on_mount(self) -> None:
        self.query_one("#finish", Button).focus()

    @on(Button.Pressed, "#finish")
    def action_finish(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#stay")
    def action_stay(self) -> None:
        self.dismiss(False)
