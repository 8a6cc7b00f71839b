"""One question on a section screen: its wording, why we ask (on request) and its answer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.citations import strip_markers
from decision_aid.core.conditions import AnswerValue
from decision_aid.tui.widgets.choice_field import ChoiceField, FieldValue, ScaleField
from decision_aid.tui.widgets.number_field import NumberField


def answer_field(question: Question, value: AnswerValue | None) -> ChoiceField | NumberField:
    """The field that answers ``question``, showing ``value``."""
    # Answers to choices and scales are never fractional (the core checked them).
    chosen: FieldValue = None if isinstance(value, float) else value
    optional = not question.required
    if isinstance(question, ChoiceQuestion):
        return ChoiceField(
            [(o.value, o.label) for o in question.options], value=chosen, optional=optional
        )
    if isinstance(question, SeveralQuestion):
        return ChoiceField(
            [(o.value, o.label) for o in question.options],
            multiple=True,
            exclusive=question.exclusive,
            value=chosen,
            optional=optional,
        )
    if isinstance(question, ScaleQuestion):
        points = range(question.minimum, question.maximum + 1)
        return ScaleField(
            [(n, f"{n}  {question.labels[n]}") for n in points], value=chosen, optional=optional
        )
    assert isinstance(question, NumberQuestion | WholeNumberQuestion)
    assert not isinstance(value, list)
    return NumberField(question, value)


class QuestionBlock(Widget):
    """A question, its "why we ask" (shown with the ``-why`` class) and its answer field.

    The ``-needed`` class shows that a required answer is still missing; ``-current``
    (set by the screen) marks the question that has the cursor; ``-flagged`` shows the
    "stop" and "take care" points its answer raises (:meth:`show_flags`). Citation
    markers are taken out of the wording: on screen there is no report to number them.
    """

    def __init__(
        self, question: Question, value: AnswerValue | None, beside: list[str] | None = None
    ) -> None:
        super().__init__(classes="-optional" if not question.required else None)
        self.question = question
        self.beside = beside or []
        """Shown under the answer: for a value, what each option offers on it."""
        self.field = answer_field(question, value)
        """The answer field (one per block, made with the block)."""

    def compose(self) -> ComposeResult:
        text = strip_markers(self.question.text)
        if not self.question.required:
            text += " (You may skip this.)"
        yield Static(text, classes="question-text", markup=False)
        yield Static(f"Why we ask: {strip_markers(self.question.why)}", classes="why", markup=False)
        yield self.field
        if isinstance(self.question, SeveralQuestion):
            yield Static("Enter ticks or unticks; Tab goes to the next question.", classes="hint")
        elif not self.question.required and not isinstance(self.field, NumberField):
            yield Static("Nothing is chosen until you move to it; Enter skips.", classes="hint")
        if self.beside:
            yield Static("\n".join(self.beside), classes="beside", markup=False)
        yield Static("✗ This question needs an answer.", classes="needed")
        yield Static("", classes="flags", markup=False)

    @property
    def value(self) -> AnswerValue | None:
        """The answer the field shows."""
        return self.field.value

    def reset(self, value: AnswerValue | None) -> None:
        """Show ``value`` as a newly made block would: why we ask and marks hidden."""
        self.remove_class("-why", "-needed")
        if isinstance(self.field, NumberField):
            assert not isinstance(value, list)
            self.field.reset(value)
        else:
            self.field.reset(None if isinstance(value, float) else value)

    @property
    def answer_widget(self) -> Widget:
        """The widget that takes the cursor when the question is answered."""
        return self.field.input if isinstance(self.field, NumberField) else self.field

    def focus_answer(self) -> None:
        """Put the cursor in the answer field."""
        self.field.focus()

    def toggle_why(self) -> None:
        self.toggle_class("-why")

    def show_flags(self, lines: list[str]) -> None:
        """Show the points this question's answer raises, one line each (none: hidden)."""
        self.query_one(".flags", Static).update("\n".join(lines))
        self.set_class(bool(lines), "-flagged")
