"""The sections of the bank, one at a time on one screen: its questions, Back and Next."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import MountError, Widget
from textual.widgets import Button, Static

from decision_aid.core.bank import Question, Section
from decision_aid.core.citations import strip_markers
from decision_aid.core.conditions import AnswerValue
from decision_aid.tui.widgets.choice_field import ChoiceField
from decision_aid.tui.widgets.keys_footer import KeysFooter
from decision_aid.tui.widgets.marked_button import MarkedButton
from decision_aid.tui.widgets.number_field import NumberField
from decision_aid.tui.widgets.question_block import QuestionBlock
from decision_aid.tui.widgets.step_header import StepHeader

Move = Literal["next", "back"]


@dataclass(frozen=True)
class SectionResult:
    """How the person left a section, and every answer it shows as they left it."""

    move: Move
    answers: dict[str, AnswerValue | None] = field(default_factory=dict)


class SectionBody(VerticalScroll):
    """The scrolling part of one section: its introduction and a block for every question.

    The blocks of questions not asked are there too, hidden: an answer that asks one
    shows it at once, instead of building it in the key press (20 to 40 ms for two
    questions, bench/run.py figure 4).
    """

    def __init__(
        self,
        section: Section,
        every: Sequence[Question],
        questions: Sequence[Question],
        answers: Mapping[str, AnswerValue],
        beside: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(classes="questions")
        self.section = section
        self._beside = beside or {}
        self._every = list(every)
        self._asked = {q.id for q in questions}
        self._answers = dict(answers)

    def compose(self) -> ComposeResult:
        if self.section.intro:
            yield Static(strip_markers(self.section.intro), classes="intro", markup=False)
        for question in self._every:
            asked = question.id in self._asked
            value = self._answers.get(question.id) if asked else None
            block = QuestionBlock(question, value, self._beside.get(question.id))
            block.display = asked
            yield block

    @property
    def blocks(self) -> list[QuestionBlock]:
        """The blocks of the questions asked, in order."""
        return [c for c in self.children if isinstance(c, QuestionBlock) and c.display]

    def show_questions(
        self, questions: Sequence[Question], answers: Mapping[str, AnswerValue]
    ) -> None:
        """Show the blocks of ``questions`` and hide the others; one shown again is new."""
        asked = {q.id for q in questions}
        blocks = [c for c in self.children if isinstance(c, QuestionBlock)]
        assert asked <= {b.question.id for b in blocks}, "a question of another section"
        for block in blocks:
            wanted = block.question.id in asked
            if wanted != block.display:
                if wanted:
                    block.reset(answers.get(block.question.id))
                block.display = wanted

    def reset(self, answers: Mapping[str, AnswerValue]) -> None:
        """Show the answers given, as a newly built section would: nothing else kept."""
        for block in self.blocks:
            block.reset(answers.get(block.question.id))
        self.scroll_home(animate=False, immediate=True)


class NavButton(MarkedButton):
    """Back or Next: Enter acts at once, without Textual's pressed look first.

    The pressed look was drawn in a picture of its own, so the picture of the section
    that the press opens waited for Textual's next frame (bench/run.py figure 4); that
    section is the answer to the press. A click still shows the pressed look.
    """

    def action_press(self) -> None:
        if not self.disabled:
            self.post_message(self.Pressed(self))


class SectionScreen(Screen[None]):
    """The questions of one section; Next or Back ends a visit with its answers.

    The app keeps one section screen for the whole consultation and shows each section
    in it with :meth:`show_section` (building a screen per section cost 60 to 150 ms
    on every Next: ``bench/run.py`` figure 4). The questions of a section are built once
    and kept, hidden, for its next visit; :meth:`prepare` builds a section's before it
    is shown. :meth:`visit` waits until the person leaves the section shown.

    Each answer also goes up as it is given, as :class:`SectionScreen.Answered`: the
    app records it (and keeps the resumable copy) and calls :meth:`show_questions`
    with the questions now asked, so a question an answer reveals appears in place and
    one it hides goes away. The answers in the :class:`SectionResult` are the final
    word, so an answer still on its way up when the person leaves is not lost.
    """

    AUTO_FOCUS = ""
    """The screen puts the cursor itself (Textual's default first focused the scroll area,
    restyling all its questions, only for the screen to move the cursor on at once)."""

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
        every: Mapping[str, Sequence[Question]],
        beside: Mapping[str, list[str]] | None = None,
    ) -> None:
        """``every``: each section's questions, asked or not, in the bank's order;
        ``beside``: lines to show under a question's answer (what the options offer)."""
        super().__init__()
        self._every = every
        self._beside = beside or {}
        self.section: Section | None = None
        """The section shown (``None`` until the first :meth:`show_section`)."""
        self.from_review = False
        """Opened from the review: Back and Next lead back there."""
        self._bodies: dict[str, SectionBody] = {}
        self._built: dict[str, asyncio.Event] = {}
        """Set for each body once it is mounted."""
        self._body: SectionBody | None = None
        self._visit: asyncio.Future[SectionResult] | None = None
        self._advance_from: str | None = None
        self._answered_field: Widget | None = None

    def compose(self) -> ComposeResult:
        yield StepHeader("")
        with Horizontal(classes="nav"):
            yield NavButton("‹ Back", id="back", compact=True)
            yield NavButton("Next ›", id="next", compact=True)
        yield KeysFooter()

    # --- which section ---------------------------------------------------------------------

    async def show_section(
        self,
        section: Section,
        progress: str,
        questions: Sequence[Question],
        answers: Mapping[str, AnswerValue],
        *,
        focus: str | None = None,
        from_review: bool = False,
    ) -> None:
        """Show ``section`` with these questions and answers, the cursor on ``focus`` (or on
        the first question not answered, or on Next), and start a visit."""
        with self.app.batch_update():  # one picture of the new section, never half of it
            self._advance_from = self._answered_field = None
            self.query_one(StepHeader).show(section.title, progress)
            back_button, next_button = self.query_one("#back", Button), self.next_button
            if from_review != self.from_review or self._body is None:
                self.from_review = from_review
                # Changing an answer, Back and Next both lead to the review: one button
                # says so (two buttons both called "Back" left people unsure which to press).
                back_button.display = not from_review
                next_button.label = "Done: back to the review ›" if from_review else "Next ›"
            # The press that left the last section still shows (for 0.2 s), and a button
            # ignores Enter while it does: these are the new section's buttons.
            back_button.remove_class("-active")
            next_button.remove_class("-active")
            body = self._bodies.get(section.id)
            if body is None:
                body = await self._build(section, questions, answers)
            else:
                await self._built[section.id].wait()  # it may be in the making (prepare)
                body.show_questions(questions, answers)
                body.reset(answers)
            if body is not self._body:
                if self._body is not None:
                    self._body.display = False
                body.display = True
                self._body = body
            self._visit = asyncio.get_running_loop().create_future()
            blocks = body.blocks
            target = next((b for b in blocks if b.question.id == focus), None)
            target = target or next((b for b in blocks if b.value is None), None)
            # At once, not after this handler as focus() does: the first picture has it.
            self.set_focus(target.answer_widget if target is not None else self.next_button)
        self.section = section
        # Laid out and drawn as a whole now: the topics' own requests to be laid out
        # again (shown, hidden) arrive later, and a picture drawn before them (as when
        # the review is closed over this screen) showed the last topic.
        self.refresh(layout=True)

    async def prepare(
        self, section: Section, questions: Sequence[Question], answers: Mapping[str, AnswerValue]
    ) -> None:
        """Build ``section``'s questions, hidden, so that showing it later is quick.

        Building a topic's questions is most of the cost of showing it the first time
        (10 to 40 ms); the app asks for the next topic's once the current one is drawn,
        while the person reads it.
        """
        if section.id in self._bodies or not self.is_attached:
            return
        try:
            await self._build(section, questions, answers)
        except MountError:  # the app is closing: nothing will be shown any more
            pass

    async def _build(
        self, section: Section, questions: Sequence[Question], answers: Mapping[str, AnswerValue]
    ) -> SectionBody:
        body = SectionBody(section, self._every[section.id], questions, answers, self._beside)
        body.display = False
        built = self._built[section.id] = asyncio.Event()
        self._bodies[section.id] = body
        try:
            await self.mount(body, before=self.query_one(".nav"))
        finally:
            built.set()
        return body

    async def visit(self) -> SectionResult:
        """Wait until the person leaves the section shown, with Next or Back."""
        assert self._visit is not None, "show_section first"
        return await self._visit

    @property
    def visiting(self) -> bool:
        """Whether a section is shown and the person has not left it yet."""
        return self._visit is not None and not self._visit.done()

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        super().set_focus(widget, scroll_visible, from_app_focus)
        self._mark_current(self.focused)

    def _mark_current(self, widget: Widget | None) -> None:
        """Mark the question with the cursor, in the same picture as the cursor's move.

        A class set here, not `QuestionBlock:focus-within` (that rule restyled every
        block and everything in them on every move) nor on Textual's DescendantFocus
        (which arrives after the picture is drawn, so a second one followed). Only the
        blocks are restyled: no rule styles what is inside a block by ``-current``
        (bench/run.py figure 4).
        """
        current = self._block_of(widget)
        changed = [
            block for block in self.blocks if block.has_class("-current") != (block is current)
        ]
        for block in changed:
            block.set_class(block is current, "-current", update=False)
        if changed:
            self.app.stylesheet.update_nodes(changed, animate=True)

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
        # An answer given in a section already left (a key pressed as it went) is not
        # taken: the section shows the recorded answers again when it is next shown.
        if block is None or not self.visiting or block.parent is not self._body:
            return
        block.remove_class("-needed")
        self._advance_from = block.question.id if event.advance else None
        self._answered_field = event.field
        self.post_message(self.Answered(self, block.question.id, event.value))

    def show_questions(
        self, questions: Sequence[Question], answers: Mapping[str, AnswerValue]
    ) -> None:
        """Show these questions in the section shown (the app's answer to :class:`Answered`)."""
        if not self.is_attached or self._body is None:
            return
        self._body.show_questions(questions, answers)
        if self._answered_field is not None:
            # A choice is drawn now, with its consequences, in one picture (ChoiceField).
            self._answered_field.refresh()
            self._answered_field = None
        if self._advance_from is not None:
            self._focus_after(self._advance_from)
            self._advance_from = None

    def show_flags(self, flags: Mapping[str, Sequence[str]]) -> None:
        """Show under each question of the section shown the points its answer raises."""
        for block in self.blocks:
            block.show_flags(list(flags.get(block.question.id, ())))

    @on(ChoiceField.Skipped)
    def _skipped(self, event: ChoiceField.Skipped) -> None:
        event.stop()
        block = self._block_of(event.field)
        if block is not None and self.visiting and block.parent is self._body:
            self._focus_after(block.question.id)

    def _focus_after(self, question_id: str) -> None:
        ids = [b.question.id for b in self.blocks]
        if question_id not in ids:
            return
        following = self.blocks[ids.index(question_id) + 1 :]
        # At once, not after this handler as focus() does: the same picture shows it.
        self.set_focus(following[0].answer_widget if following else self.next_button)

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
        if not self.visiting or not self._take_numbers():
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
        if not self.visiting:
            return
        self._take_numbers()
        self._leave("back")

    def _leave(self, move: Move) -> None:
        assert self._visit is not None
        self._visit.set_result(SectionResult(move, {b.question.id: b.value for b in self.blocks}))

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
        """The question blocks of the section shown."""
        return self._body.blocks if self._body is not None else []

    @property
    def questions(self) -> VerticalScroll:
        """The scrolling part of the section shown."""
        assert self._body is not None
        return self._body

    @property
    def next_button(self) -> Button:
        return self.query_one("#next", Button)
