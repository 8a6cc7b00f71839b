"""A question's options as a list to move through and choose from, marked without colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.widget import Widget

ChoiceValue = str | int
"""An option's value: a code from the bank, or a point of a scale."""
FieldValue = ChoiceValue | list[str] | None
"""One option's value, a list of them (several), or nothing chosen."""


MARK_WIDTH = 6
"""Cells before each label: the cursor mark, a space, the choice mark and a space."""


class ChoiceField(Widget, can_focus=True):
    """Pick one option, or tick several; ``(•)`` and ``[x]`` show what is chosen.

    The option under the cursor is marked with ``›`` as well as highlighted, so the
    field reads the same with ``NO_COLOR`` or in monochrome. The field draws all its
    options itself, each label wrapped under itself: one widget per option made every
    key press restyle and every section mount several more widgets (bench/run.py (4)).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "choice-field--cursor",
        "choice-field--chosen",
        "choice-field--hover",
    }
    """
    | Class | Description |
    | :- | :- |
    | `choice-field--cursor` | The option under the cursor (styled only with focus). |
    | `choice-field--chosen` | A chosen or ticked option. |
    | `choice-field--hover` | The option under the mouse. |
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
    """The option under the cursor; ``-1`` (an optional question not answered): none."""
    hover: var[int | None] = var[int | None](None, init=False)
    """The option under the mouse, if any."""

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

    class Skipped(Message):
        """Enter on an optional question with nothing chosen: move on, record nothing."""

        def __init__(self, field: ChoiceField) -> None:
            super().__init__()
            self.field = field

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
        optional: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.options = list(options)
        """``(value, label)`` pairs, in the bank's order."""
        self.multiple = multiple
        self.exclusive = list(exclusive)
        """Values that must stand alone (ticking one unticks the rest)."""
        self.optional = optional
        """Nothing is under the cursor until the person moves it, so that Enter on an
        optional question never picks its first option for them (it skips instead)."""
        self._wrap_width = -1
        self._wraps: list[list[Text]] = []
        self._show(value)

    def _show(self, value: FieldValue) -> None:
        self.set_reactive(ChoiceField.value, value)
        chosen = self._chosen()
        start = -1 if self.optional else 0
        first = next((i for i, (v, _) in enumerate(self.options) if v in chosen), start)
        self.set_reactive(ChoiceField.cursor, first)

    def reset(self, value: FieldValue) -> None:
        """Show ``value`` with the cursor on its first option, as a new field would."""
        self._show(value)
        self.hover = None
        self.refresh()

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

    # --- drawing ---------------------------------------------------------------------------

    def _wrapped(self, width: int) -> list[list[Text]]:
        """Each option's label wrapped to ``width`` (less the marks), memoised per width."""
        if self._wrap_width != width:
            room = max(1, width - MARK_WIDTH)
            console = self.app.console
            self._wraps = [list(Text(label).wrap(console, room)) for _, label in self.options]
            self._wrap_width = width
        return self._wraps

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(max(1, len(lines)) for lines in self._wrapped(width))

    def render(self) -> Content:
        width = self.content_region.width or self.size.width
        focused = self.has_focus
        chosen = self._chosen()
        indent = " " * MARK_WIDTH
        rows: list[Content] = []
        for index, lines in enumerate(self._wrapped(width)):
            classes = []
            if self.options[index][0] in chosen:
                classes.append("choice-field--chosen")
            if index == self.hover:
                classes.append("choice-field--hover")
            if index == self.cursor and focused:
                classes.append("choice-field--cursor")
            mark = self._mark_for(index, focused).ljust(MARK_WIDTH)
            for number, line in enumerate(lines or [Text()]):
                row = (mark if number == 0 else indent) + line.plain
                if classes:
                    if classes[-1] != "choice-field--chosen":  # a highlight spans the width
                        row = row.ljust(width)
                    rows.append(Content(row).stylize(self.get_visual_style(*classes)))
                else:
                    rows.append(Content(row))
        return Content("\n").join(rows)

    def _row_of(self, y: int) -> int | None:
        """The option drawn on line ``y`` of the field's content."""
        top = 0
        for index, lines in enumerate(self._wrapped(self.content_region.width)):
            top += max(1, len(lines))
            if y < top:
                return index
        return None

    def watch_value(self) -> None:
        self.refresh()

    def watch_cursor(self) -> None:
        self.refresh()
        self._scroll_to_cursor()

    def watch_hover(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    def on_blur(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._wrap_width = -1

    def _scroll_to_cursor(self) -> None:
        """Bring the option under the cursor into view in the nearest scrolling container."""
        if not self.has_focus or not self.cursor < len(self.options):
            return
        index = max(self.cursor, 0)  # nothing under the cursor: the first option in view
        heights = [max(1, len(lines)) for lines in self._wrapped(self.content_region.width)]
        content = self.content_region
        row = Region(content.x, content.y + sum(heights[:index]), content.width, heights[index])
        for ancestor in self.ancestors:
            if isinstance(ancestor, Widget) and ancestor.allow_vertical_scroll:
                inside = ancestor.content_region
                virtual = row.translate(ancestor.scroll_offset - inside.offset)
                ancestor.scroll_to_region(virtual, animate=False, immediate=True)
                return

    # --- keys and mouse --------------------------------------------------------------------

    def action_move(self, delta: int) -> None:
        if self.cursor < 0:  # nothing under the cursor yet: either key goes to the first
            self.cursor = 0
            return
        self.cursor = max(0, min(len(self.options) - 1, self.cursor + delta))

    def action_move_to(self, index: int) -> None:
        self.cursor = index % len(self.options)

    def action_choose(self) -> None:
        if self.cursor < 0:
            self.post_message(self.Skipped(self))
            return
        self._choose(self.cursor)

    def action_clear(self) -> None:
        if self.value is not None:
            self.value = None
            self.post_message(self.Changed(self, None, advance=False))

    def _choose(self, index: int) -> None:
        """Choose (or tick) an option; the owner redraws the field once it has taken it.

        The value changes at once, but drawing it waits for the owner (the section
        screen, after the app has recorded the answer and moved the cursor on): drawn
        at once, it made a picture of its own, and the one with the cursor's move then
        waited for the next frame (bench/run.py figure 4).
        """
        picked = self.options[index][0]
        if not self.multiple:
            self.set_reactive(ChoiceField.value, picked)
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
        self.set_reactive(ChoiceField.value, ticked)
        self.post_message(self.Changed(self, ticked, advance=False))

    def on_click(self, event: events.Click) -> None:
        event.stop()
        offset = event.get_content_offset(self)
        index = None if offset is None else self._row_of(offset.y)
        if index is None:
            return
        self.focus()
        self.cursor = index
        self._choose(index)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        self.hover = None if offset is None else self._row_of(offset.y)

    def on_leave(self) -> None:
        self.hover = None


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
            self.set_reactive(ChoiceField.cursor, values.index(point))  # drawn with the choice
            self._choose(self.cursor)
