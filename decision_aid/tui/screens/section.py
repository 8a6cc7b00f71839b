"""One section of the bank on one screen: its questions, Back and Next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from decision_aid.core.bank import Question, Section
from decision_aid.core.conditions import AnswerValue
from decision_aid.tui.widgets.choice_field import ChoiceField
from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.number_field import NumberField
from decision_aid.tui.widgets.question_block import QuestionBlock
from decision_aid.tui.widgets.step_header import StepHeader

Move = Literal["next", "back"]


@dataclass(frozen=True)
class SectionResult:
    """How the person left a section, and every answer it shows as they left it."""

    move: Move
    answers: dict[str, AnswerValue | None] = field(default_factory=dict)


class SectionScreen(Screen[SectionResult]):
    """The questions of one section; dismissed with Next or Back and its answers.

    Each answer also goes up as it is given, as :class:`SectionScreen.Answered`: the
    app records it (and keeps the resumable copy) and calls :meth:`show_questions`
    with the questions now asked, so a question an answer reveals appears in place and
    one it hides goes away. The answers in the :class:`SectionResult` are the final
    word, so an answer still on its way up when the person leaves is not lost.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: the number boxes take only digits, so these letters are free everywhere.
        Binding("n", "next", "Next", priority=True, id="next"),
        Binding("b", "back", "Back", priority=True, id="back"),
        Binding("question_mark", "why", "Why we ask", key_display="?", priority=True, id="why"),
        Binding("escape", "back", "Back", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | n | Next section (once every needed answer is given). |
    | b, escape | Back (answers are kept). |
    | ? | Show or hide why we ask the current question. |
    """

    class Answered(Message):
        """The person gave, changed or removed (``value=None``) an answer."""

        def __init__(
            self, screen: SectionScreen, question_id: str, value: AnswerValue | None
        ) -> None:
            super().__init__()
            self.screen = screen
            self.question_id = question_id
            self.value = value

        @property
        def control(self) -> SectionScreen:
            return self.screen

    def __init__(
        self,
        section: Section,
        progress: str,
        questions: Sequence[Question],
        answers: Mapping[str, AnswerValue],
        *,
        focus: str | None = None,
        from_review: bool = False,
    ) -> None:
        super().__init__()
        self.section = section
        self._progress = progress
        self._questions = list(questions)
        self._answers = dict(answers)
        self._focus = focus
        self.from_review = from_review
        """Opened from the review: Back and Next lead back there."""
        self._advance_from: str | None = None

    def compose(self) -> ComposeResult:
        yield StepHeader(self.section.title, self._progress)
        with VerticalScroll(id="questions"):
            if self.section.intro:
                yield Static(self.section.intro, classes="intro", markup=False)
            for question in self._questions:
                yield QuestionBlock(question, self._answers.get(question.id))
        with Horizontal(classes="nav"):
            yield Button(
                "‹ Back to review" if self.from_review else "‹ Back", id="back", compact=True
            )
            yield Button(
                "Back to review ›" if self.from_review else "Next ›", id="next", compact=True
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        blocks = self.blocks
        target = next((b for b in blocks if b.question.id == self._focus), None)
        target = target or next((b for b in blocks if b.value is None), None)
        if target is not None:
            target.focus_answer()
        else:
            self.next_button.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A class, not `QuestionBlock:focus-within`: that rule restyled every block (and
        # everything in them) on every move of the cursor (bench/run.py figure 4).
        current = self._block_of(event.widget)
        for block in self.blocks:
            block.set_class(block is current, "-current")

    # --- answers up, questions down --------------------------------------------------------

    def _block_of(self, widget: Widget | None) -> QuestionBlock | None:
        while widget is not None and not isinstance(widget, QuestionBlock):
            parent = widget.parent
            widget = parent if isinstance(parent, Widget) else None
        return widget

    @on(ChoiceField.Changed)
    @on(NumberField.Changed)
    def _answered(self, event: ChoiceField.Changed | NumberField.Changed) -> None:
        event.stop()
        block = self._block_of(event.field)
        if block is None:
            return
        block.remove_class("-needed")
        self._advance_from = block.question.id if event.advance else None
        self.post_message(self.Answered(self, block.question.id, event.value))

    async def show_questions(
        self, questions: Sequence[Question], answers: Mapping[str, AnswerValue]
    ) -> None:
        """Show these questions (the app's answer to :class:`Answered`)."""
        if not self.is_attached:
            return
        wanted = [q.id for q in questions]
        blocks = {b.question.id: b for b in self.blocks}
        for qid, block in blocks.items():
            if qid not in wanted:
                await block.remove()
        previous: QuestionBlock | None = None
        for question in questions:
            shown = blocks.get(question.id)
            if shown is None:
                block = QuestionBlock(question, answers.get(question.id))
                if previous is not None:
                    await self.questions.mount(block, after=previous)
                elif self.section.intro:
                    await self.questions.mount(block, after=self.query_one(".intro"))
                else:
                    first = 0 if self.questions.children else None
                    await self.questions.mount(block, before=first)
            else:
                block = shown
            previous = block
        if self._advance_from is not None:
            self._focus_after(self._advance_from)
            self._advance_from = None

    def _focus_after(self, question_id: str) -> None:
        ids = [b.question.id for b in self.blocks]
        if question_id not in ids:
            return
        following = self.blocks[ids.index(question_id) + 1 :]
        if following:
            following[0].focus_answer()
        else:
            self.next_button.focus()

    # --- moving on -------------------------------------------------------------------------

    def _take_numbers(self) -> bool:
        """Take what is typed in every number box; False if one holds something not allowed."""
        valid = True
        for block in self.blocks:
            number = block.field
            if not isinstance(number, NumberField):
                continue
            changed = number.take()
            if changed:
                self.post_message(self.Answered(self, block.question.id, number.value))
            elif changed is None and valid:
                valid = False
                number.focus()
        return valid

    def action_next(self) -> None:
        if not self._take_numbers():
            return
        missing = [b for b in self.blocks if b.question.required and b.value is None]
        for block in missing:
            block.add_class("-needed")
        if missing:
            names = ", ".join(f'"{b.question.short}"' for b in missing)
            self.notify(f"Please answer {names} first.", title="An answer is needed")
            missing[0].focus_answer()
            return
        self._leave("next")

    def action_back(self) -> None:
        self._take_numbers()
        self._leave("back")

    def _leave(self, move: Move) -> None:
        self.dismiss(SectionResult(move, {b.question.id: b.value for b in self.blocks}))

    def action_why(self) -> None:
        block = self._block_of(self.focused)
        if block is not None:
            block.toggle_why()
            block.scroll_visible(animate=False)
            return
        for block in self.blocks:
            block.toggle_why()

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    # --- typed accessors -------------------------------------------------------------------

    @property
    def blocks(self) -> list[QuestionBlock]:
        return list(self.query(QuestionBlock))

    @property
    def questions(self) -> VerticalScroll:
        return self.query_one("#questions", VerticalScroll)

    @property
    def next_button(self) -> Button:
        return self.query_one("#next", Button)
