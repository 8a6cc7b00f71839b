"""The line at the top of every screen: where you are, and how far along."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Static


class StepHeader(Widget):
    """The step's title on the left and its progress (such as "1 of 6") on the right."""

    DEFAULT_CSS = """
    StepHeader {
        dock: top;
        layout: horizontal;
        height: 1;
        & > .title { width: 1fr; }
        & > .progress { width: auto; }
    }
    """

    def __init__(self, title: str, progress: str = "") -> None:
        super().__init__()
        self._title = title
        self._progress = progress

    def compose(self) -> ComposeResult:
        yield Static(self._title, classes="title", markup=False)
        yield Static(self._progress, classes="progress", markup=False)

    def show(self, title: str, progress: str) -> None:
        """Show another step's title and progress (only what changed is redrawn)."""
        if title != self._title:
            self._title = title
            self.query_one(".title", Static).update(title)
        if progress != self._progress:
            self._progress = progress
            self.query_one(".progress", Static).update(progress)
