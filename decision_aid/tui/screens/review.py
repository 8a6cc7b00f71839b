"""Every answer on one screen; choosing one opens its question to change it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from decision_aid.core.bank import Question, Section
from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.marked_button import MarkedButton
from decision_aid.tui.widgets.step_header import StepHeader


@dataclass(frozen=True)
class ReviewRow:
    """One asked question and its answer in words (``None``: not answered yet)."""

    question: Question
    answer: str | None


@dataclass(frozen=True)
class ReviewChoice:
    """What the person did on the review: go on, go back, or change one answer."""

    move: Literal["next", "back", "edit"]
    question_id: str | None = None


class ReviewScreen(Screen[ReviewChoice]):
    """The answers so far, grouped by section; Enter on one opens it to change it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next", "Continue", id="next"),
        Binding("b", "back", "Back", id="back"),
        Binding("escape", "back", "Back", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | enter | Change the answer under the cursor. |
    | n | Continue to what matters to you. |
    | b, escape | Back to the last section. |
    """

    def __init__(
        self,
        groups: Sequence[tuple[Section, Sequence[ReviewRow]]],
        *,
        focus: str | None = None,
    ) -> None:
        super().__init__()
        self._groups = groups
        self._focus = focus
        self._rows: dict[str, ReviewRow] = {}

    def compose(self) -> ComposeResult:
        missing = sum(1 for _, rows in self._groups for row in rows if row.answer is None)
        status = f"✗ {missing} not answered yet" if missing else "✓ All answered"
        yield StepHeader("Check your answers", status)
        yield Static("Enter on an answer opens it to change it. n goes on.", classes="intro")
        options: list[Option] = []
        for section, rows in self._groups:
            options.append(Option(Text(section.title, style="bold underline"), disabled=True))
            for row in rows:
                self._rows[row.question.id] = row
                options.append(Option(self._prompt(row, False), id=row.question.id))
        yield OptionList(*options, id="answers")
        with Horizontal(classes="nav"):
            yield MarkedButton("‹ Back", id="back", compact=True)
            yield MarkedButton("Continue ›", id="next", compact=True)
        yield KeysFooter()

    @staticmethod
    def _prompt(row: ReviewRow, here: bool) -> Text:
        if row.answer is None:
            answer = Text("✗ not answered yet", style="italic")
        else:
            answer = Text(row.answer)
        # "›" marks the cursor in the text too, for NO_COLOR and monochrome screens.
        mark = "› " if here else "  "
        return Text.assemble(mark, (row.question.short, "bold"), ": ", answer)

    def on_mount(self) -> None:
        answers = self.answers
        index = 0
        for position, option in enumerate(answers.options):
            if option.id is not None and (self._focus is None or option.id == self._focus):
                index = position
                break
        answers.highlighted = index
        answers.focus()

    @on(OptionList.OptionHighlighted, "#answers")
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        answers = self.answers
        for option in answers.options:
            if option.id is not None:
                here = option.id == event.option.id
                answers.replace_option_prompt(option.id, self._prompt(self._rows[option.id], here))

    @on(OptionList.OptionSelected, "#answers")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(ReviewChoice("edit", event.option.id))

    def action_next(self) -> None:
        self.dismiss(ReviewChoice("next"))

    def action_back(self) -> None:
        self.dismiss(ReviewChoice("back"))

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @property
    def answers(self) -> OptionList:
        return self.query_one("#answers", OptionList)
