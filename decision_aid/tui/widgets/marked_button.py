"""A button that shows it has the cursor in text (``›``), not only by colour."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Button

MARK = "› "
"""Before the label while the button has focus; as many spaces while it has not."""


class MarkedButton(Button):
    """Textual's ``Button``, its label led by ``›`` while it has focus.

    Textual marks the focused button by colour alone (reverse video in high contrast,
    nothing with ``NO_COLOR``), so a person who cannot tell the colours apart cannot
    tell which button Enter presses. Two cells are always kept for the mark, so the
    buttons do not move when the cursor does.
    """

    def render(self) -> RenderResult:
        label = super().render()
        assert isinstance(label, Content)
        return Content(MARK if self.has_focus else " " * len(MARK)) + label

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return super().get_content_width(container, viewport) + len(MARK)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
