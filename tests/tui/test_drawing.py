"""What a key press changes is on the screen: choices are drawn once the app has taken them.

A choice is drawn together with what it causes (the cursor on the next question, a
question shown or hidden), in one picture (bench/run.py figure 4). These tests read the
screen as drawn, so a choice taken but never redrawn fails them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from decision_aid.core.bank import QuestionBank
from decision_aid.tui.widgets.choice_field import ChoiceField
from tests.tui.helpers import TINY_KEYS, build_app, press

SIZE = (80, 24)


def screen_rows(app: Any) -> list[str]:
    """The screen's text as drawn, one string per row."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text [^>]*x="([^"]*)" y="([^"]*)"[^>]*>(.*?)</text>', svg):
        rows.setdefault(float(y), []).append((float(x), html.unescape(text).replace("\xa0", " ")))
    return ["".join(text for _, text in sorted(row)) for _, row in sorted(rows.items())]


def row_with(app: Any, label: str) -> str:
    return next(row for row in screen_rows(app) if label in row)


async def test_a_tick_is_drawn(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """Enter on one of several choices ticks it on the screen; Enter again unticks it."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter", "tab", "tab", "tab")  # to the medicines
        assert isinstance(app.focused, ChoiceField) and app.focused.multiple
        assert "[ ] Mycophenolate" in row_with(app, "Mycophenolate")
        await press(pilot, "enter")
        assert "[x] Mycophenolate" in row_with(app, "Mycophenolate")
        await press(pilot, "enter")
        assert "[ ] Mycophenolate" in row_with(app, "Mycophenolate")


async def test_a_choice_is_drawn_with_the_cursor_on_the_next_question(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Enter on an option marks it (•) and the cursor goes on, in the same picture."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "down", "enter")
        assert "(•) Yes, shown by a biopsy" in row_with(app, "shown by a biopsy")
        assert "› ( ) Class IV" in row_with(app, "Class IV")


async def test_not_known_is_drawn(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """The "not known" box under a number is ticked on the screen when chosen."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter", "tab", "enter")  # eGFR: not known
        assert app.consultation.answers["kidney.egfr"] == "unknown"
        assert "[x] Not known" in row_with(app, "Not known")
        await press(pilot, "shift+tab", "shift+tab", "tab", "enter")  # untick it again
        assert "kidney.egfr" not in app.consultation.answers
        assert "[ ] Not known" in row_with(app, "Not known")


async def test_contrast_switched_on_another_screen_reaches_the_kept_topic(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """High contrast switched on the review shows on the topic opened from it exactly as
    when switched on that topic itself (the section screen is kept under the review)."""
    pictures = []
    for keys in (("ctrl+t", "b"), ("b", "ctrl+t")):
        app = build_app(tiny_bank, tmp_path / str(len(pictures)))
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, *TINY_KEYS[:14], *keys)  # the review, then back to the topic
            assert app.theme == "decision-aid-high-contrast"
            pictures.append(screen_rows(app) + [app.export_screenshot().split("<style>")[1]])
    assert pictures[0] == pictures[1]
