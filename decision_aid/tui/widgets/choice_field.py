"""A question's options as a list to move through and choose from, marked without colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget
from textual.widgets import Static

ChoiceValue = str | int
"""An option's value: a code from the bank, or a point of a scale."""
FieldValue = ChoiceValue | list[str] | None
"""One option's value, a list of them (several), or nothing chosen."""


class OptionLine(Static):
    """One option: a cursor mark and a choice mark, then its label (wrapped under itself)."""

    DEFAULT_CSS = """
    OptionLine {
        height: auto;
    }
    """

    class Clicked(Message):
        """The option was clicked with the mouse."""

        def __init__(self, line: OptionLine) -> None:
            super().__init__()
            self.line = line

    def __init__(self, index: int, label: str) -> None:
        super().__init__(markup=False)
        self.index = index
        """The option's place in its field."""
        self.label = label
        self._mark = ""

    def show_mark(self, mark: str) -> None:
        """Show ``mark`` (cursor and choice, six cells wide) before the label."""
        if mark == self._mark:
            return
        self._mark = mark
        # One widget per option (not one per column): a grid keeps wrapped lines indented.
        grid = Table.grid(padding=0)
        grid.add_column(width=6, no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(mark, self.label)
        self.update(grid, layout=False)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))


class ChoiceField(Widget, can_focus=True, can_focus_children=False):
    """Pick one option, or tick several; ``(•)`` and ``[x]`` show what is chosen.

    The option under the cursor is marked with ``›`` as well as highlighted, so the
    field reads the same with ``NO_COLOR`` or in monochrome.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("enter,space", "choose", "Choose", key_display="⏎"),
        Binding("delete", "clear", "Clear answer", show=False),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | up, down | Move the cursor. |
    | home, end | Move the cursor to the first or last option. |
    | enter, space | Choose the option (tick or untick it, for several). |
    | delete | Remove the answer. |
    """

    value: var[FieldValue] = var[FieldValue](None, init=False)
    """What is chosen: set it to show an answer; only the person's actions post ``Changed``."""
    cursor: var[int] = var(0, init=False)
    """The option under the cursor."""

    class Changed(Message):
        """The person chose, ticked, unticked or cleared an option."""

        def __init__(self, field: ChoiceField, value: FieldValue, advance: bool) -> None:
            super().__init__()
            self.field = field
            self.value = value
            """The new answer (``None``: nothing chosen)."""
            self.advance = advance
            """The answer is complete: the cursor may move on to the next question."""

        @property
        def control(self) -> ChoiceField:
            return self.field

    def __init__(
        self,
        options: Sequence[tuple[ChoiceValue, str]],
        *,
        multiple: bool = False,
        exclusive: Sequence[str] = (),
        value: FieldValue = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        """``(value, label)`` pairs, in the bank's order."""
        self.multiple = multiple
        self.exclusive = list(exclusive)
        """Values that must stand alone (ticking one unticks the rest)."""
        self.set_reactive(ChoiceField.value, value)
        chosen = self._chosen()
        first = next((i for i, (v, _) in enumerate(self.options) if v in chosen), 0)
        self.set_reactive(ChoiceField.cursor, first)

    def compose(self) -> ComposeResult:
        for index, (_, label) in enumerate(self.options):
            line = OptionLine(index, label)
            line.show_mark(self._mark_for(index, False))
            yield line

    def on_mount(self) -> None:
        self._show_marks()

    def _chosen(self) -> list[ChoiceValue]:
        if self.value is None:
            return []
        return list(self.value) if isinstance(self.value, list) else [self.value]

    def _mark_for(self, index: int, focused: bool) -> str:
        chosen = self.options[index][0] in self._chosen()
        if self.multiple:
            box = "[x]" if chosen else "[ ]"
        else:
            box = "(•)" if chosen else "( )"
        return f"{'›' if index == self.cursor and focused else ' '} {box}"

    def _show_marks(self, focused: bool | None = None) -> None:
        # The Focus and Blur handlers run before Widget updates `has_focus`.
        focused = self.has_focus if focused is None else focused
        chosen = self._chosen()
        for line in self.query_children(OptionLine):
            line.set_class(line.index == self.cursor, "-cursor")
            line.set_class(self.options[line.index][0] in chosen, "-chosen")
            line.show_mark(self._mark_for(line.index, focused))

    def watch_value(self) -> None:
        self._show_marks()

    def watch_cursor(self) -> None:
        self._show_marks()
        self._scroll_to_cursor()

    def on_focus(self) -> None:
        self._show_marks(focused=True)
        self.call_after_refresh(self._scroll_to_cursor)

    def on_blur(self) -> None:
        self._show_marks(focused=False)

    def _scroll_to_cursor(self) -> None:
        lines = list(self.query_children(OptionLine))
        if self.has_focus and 0 <= self.cursor < len(lines):
            lines[self.cursor].scroll_visible(animate=False)

    def action_move(self, delta: int) -> None:
        self.cursor = max(0, min(len(self.options) - 1, self.cursor + delta))

    def action_move_to(self, index: int) -> None:
        self.cursor = index % len(self.options)

    def action_choose(self) -> None:
        self._choose(self.cursor)

    def action_clear(self) -> None:
        if self.value is not None:
            self.value = None
            self.post_message(self.Changed(self, None, advance=False))

    def _choose(self, index: int) -> None:
        picked = self.options[index][0]
        if not self.multiple:
            self.value = picked
            self.post_message(self.Changed(self, picked, advance=True))
            return
        chosen = [str(v) for v in self._chosen()]
        if picked in chosen:
            chosen.remove(str(picked))
        elif picked in self.exclusive:
            chosen = [str(picked)]
        else:
            chosen = [v for v in chosen if v not in self.exclusive] + [str(picked)]
        order = [str(v) for v, _ in self.options]
        ticked = sorted(chosen, key=order.index) or None
        self.value = ticked
        self.post_message(self.Changed(self, ticked, advance=False))

    def on_option_line_clicked(self, event: OptionLine.Clicked) -> None:
        event.stop()
        self.focus()
        self.cursor = event.line.index
        self._choose(event.line.index)


class ScaleField(ChoiceField):
    """A rating: the points of a scale as options, and a digit key to pick one directly."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("0", "rate(0)", "Rate", key_display="0-4"),
        *[Binding(str(n), f"rate({n})", "Rate", show=False) for n in range(1, 10)],
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | 0 to 9 | Choose that point of the scale. |
    """

    def action_rate(self, point: int) -> None:
        values = [value for value, _ in self.options]
        if point in values:
            self.cursor = values.index(point)
            self._choose(self.cursor)
