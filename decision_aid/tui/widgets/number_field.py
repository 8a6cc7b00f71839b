"""A number answer, checked as it is typed, with a "not sure" choice where the bank has one."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Static

from decision_aid.core.answers import UNKNOWN, check_value
from decision_aid.core.bank import NumberQuestion, WholeNumberQuestion
from decision_aid.tui.widgets.choice_field import ChoiceField

NumberValue = int | float | str | None
"""A number, ``"unknown"``, or nothing yet."""


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def allowed_range(question: NumberQuestion | WholeNumberQuestion) -> str:
    """What may be typed, in words, for the message under the box."""
    low, high = _number_text(question.minimum), _number_text(question.maximum)
    kind = "a whole number" if isinstance(question, WholeNumberQuestion) else "a number"
    unit = f" ({question.unit})" if question.unit else ""
    text = f"Type {kind} from {low} to {high}{unit}"
    if isinstance(question, NumberQuestion):
        text += f', or choose "{question.unknown_label}"'
    return text + "."


def parse_number(text: str) -> int | float | str:
    """The typed text as a number when it is one (whole numbers stay whole)."""
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text


class NumberInput(Input):
    """A box that takes digits and a decimal point, and leaves every other key to the screen.

    So the screen's letter keys (n, b, ?) work, and show in the footer, while typing.
    """

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and (character.isdigit() or character == ".")


class NumberField(Widget):
    """A box for a number; the answer is taken on Enter or when the cursor leaves the box."""

    class Changed(Message):
        """A new number, "not sure", or no answer."""

        def __init__(self, field: NumberField, value: NumberValue, advance: bool) -> None:
            super().__init__()
            self.field = field
            self.value = value
            self.advance = advance
            """Given with Enter or "not sure": the cursor may move on."""

        @property
        def control(self) -> NumberField:
            return self.field

    def __init__(
        self,
        question: NumberQuestion | WholeNumberQuestion,
        value: NumberValue = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.value: NumberValue = value
        """The answer as last given (not what is half-typed in the box)."""
        self._problem_text = ""

    def _typed_text(self) -> str:
        return "" if isinstance(self.value, str | None) else _number_text(self.value)

    def compose(self) -> ComposeResult:
        whole = isinstance(self.question, WholeNumberQuestion)
        typed = self._typed_text()
        with Horizontal(classes="number-row"):
            # Brackets mark the box without colour (NO_COLOR, monochrome).
            yield Static("[", classes="bracket")
            yield NumberInput(
                typed,
                restrict=r"[0-9]*" if whole else r"[0-9]*\.?[0-9]*",
                max_length=8,
                compact=True,
                select_on_focus=True,
                classes="number",
            )
            yield Static("]", classes="bracket")
            if self.question.unit:
                yield Static(self.question.unit, classes="unit", markup=False)
        if isinstance(self.question, NumberQuestion):
            yield ChoiceField(
                [(UNKNOWN, self.question.unknown_label)],
                multiple=True,
                value=[UNKNOWN] if self.value == UNKNOWN else None,
                classes="not-sure",
            )
        yield Static("", classes="problem")

    @property
    def input(self) -> Input:
        return self.query_one(".number", Input)

    @property
    def problem(self) -> Static:
        return self.query_one(".problem", Static)

    def focus(self, scroll_visible: bool = True) -> NumberField:
        self.input.focus(scroll_visible)
        return self

    def _show_problem(self, message: str) -> None:
        text = f"✗ {message}" if message else ""
        if text != self._problem_text:  # an update lays the screen out again
            self._problem_text = text
            self.problem.update(text)
        self.set_class(bool(message), "-problem")

    def _check(self, text: str) -> tuple[NumberValue, bool]:
        if not text:
            return None, True
        value, reason = check_value(self.question, parse_number(text))
        if reason is not None or isinstance(value, list):
            return None, False
        return value, True

    @on(Input.Changed, ".number")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        _, valid = self._check(event.value.strip())
        self._show_problem("" if valid else allowed_range(self.question))

    @on(Input.Submitted, ".number")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit(advance=True)

    @on(Input.Blurred, ".number")
    def _left(self, event: Input.Blurred) -> None:
        event.stop()
        self.commit(advance=False)

    @on(ChoiceField.Changed, ".not-sure")
    def _not_sure(self, event: ChoiceField.Changed) -> None:
        event.stop()
        event.field.refresh()  # a ChoiceField leaves drawing a choice to its owner
        if event.value:
            self.input.value = ""
            self._show_problem("")
            self.value = UNKNOWN
            self.post_message(self.Changed(self, UNKNOWN, advance=True))
        else:
            self.value = None
            self.post_message(self.Changed(self, None, advance=False))

    def reset(self, value: NumberValue) -> None:
        """Show ``value`` in the box (or "not sure" chosen), as a new field would."""
        self.value = value
        box = self.input
        typed = self._typed_text()
        if box.value != typed:
            box.value = typed
            box.cursor_position = len(typed)
        if isinstance(self.question, NumberQuestion):
            self.query_one(".not-sure", ChoiceField).reset([UNKNOWN] if value == UNKNOWN else None)
        self._show_problem("")

    def take(self) -> bool | None:
        """Take what is typed as the answer, posting nothing (the screen asks when leaving).

        Returns:
            ``None`` when the box holds something not allowed (the message says why);
            otherwise whether the answer changed.
        """
        value, valid = self._check(self.input.value.strip())
        if not valid:
            self._show_problem(allowed_range(self.question))
            return None
        if value is None:
            if self.value in (None, UNKNOWN):
                return False
            self.value = None
            return True
        self._show_problem("")
        if value == self.value and type(value) is type(self.value):
            return False
        self.value = value
        if isinstance(self.question, NumberQuestion):
            self.query_one(".not-sure", ChoiceField).value = None
        return True

    def commit(self, advance: bool) -> None:
        """Take what is typed and post it; with ``advance`` (Enter), an empty box is a problem."""
        changed = self.take()
        if changed is None:
            return
        if advance and self.value is None and self.question.required:
            self._show_problem(allowed_range(self.question))
            advance = False
        if changed or advance:
            self.post_message(self.Changed(self, self.value, advance=advance))
