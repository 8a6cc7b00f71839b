"""The footer shows the keys that work where the cursor is, changed in place as it moves."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey

from decision_aid.core.bank import QuestionBank
from decision_aid.tui.screens.section import SectionScreen
from decision_aid.tui.widgets.keys_footer import KeysFooter
from tests.tui.helpers import build_app, press

SIZE = (80, 24)


def keys_shown(screen: SectionScreen) -> list[tuple[str, str]]:
    """Each key the footer shows, as (key, description), left to right."""
    footer = screen.query_one(KeysFooter)
    return [(key.key_display, key.description) for key in footer.query(FooterKey) if key.display]


async def test_keys_follow_the_cursor(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """⏎ Choose shows on a question, not on Next; its widget is shown again, not rebuilt."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        common = [
            ("n", "Next"),
            ("b", "Back"),
            ("?", "Why we ask"),
            ("^q", "Quit"),
            ("^t", "Contrast"),
        ]
        assert keys_shown(screen) == [("⏎", "Choose"), *common]
        footer = screen.query_one(KeysFooter)
        widgets = list(footer.query(FooterKey))
        screen.next_button.focus()
        await pilot.pause()
        assert keys_shown(screen) == common
        await press(pilot, "shift+tab", "shift+tab")  # the last question: a choice
        assert keys_shown(screen) == [("⏎", "Choose"), *common]
        assert list(footer.query(FooterKey)) == widgets
