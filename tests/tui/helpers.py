"""Building the app the way the command line does, with a fixed date and file names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from decision_aid.core.bank import QuestionBank
from decision_aid.tui.app import DecisionAidApp, make_app

DATE = dt.date(2026, 11, 25)
"""The report date in every TUI test: reports and snapshots never depend on today."""
NAME_PART = "abc123"
"""The "random" part of proposed report names in tests."""

TINY_KEYS: list[str] = [
    "n",  # welcome: start
    "down",  # Lupus kidney disease: to "Yes, shown by a biopsy"
    "enter",  # choose it; "Biopsy class" appears
    "down",  # to "Class V"
    "enter",  # choose it
    "4",
    "5",
    "enter",  # eGFR 45
    "3",
    "enter",  # 3 miscarriages
    "enter",  # tick Mycophenolate
    "tab",  # to "How well did they work?"
    "enter",  # Well; the cursor goes to Next
    "enter",  # Next: the review
    "n",  # continue: At a glance
    "n",  # the evidence
    "n",  # what matters to you
    "4",  # protecting my kidneys: 4
    "enter",  # Next: the summary
]
"""Keys for a whole consultation of the tiny bank, ending on the summary.

They give exactly ``tests.helpers.TINY_ANSWERS``.
"""


def build_app(bank: QuestionBank, tmp_path: Path, **options: Any) -> DecisionAidApp:
    """The app as ``run_consultation`` builds it, dated :data:`DATE`, saving under tmp."""
    options.setdefault("reports_dir", tmp_path / "reports")
    options.setdefault("report_date", DATE)
    options.setdefault("name_part", lambda: NAME_PART)
    return make_app(bank, **options)


async def press(pilot: Pilot[Any], *keys: str) -> None:
    """Press keys; the pilot waits for the app to be idle after each, as a person would."""
    await pilot.press(*keys)
    await pilot.pause()


def freeze_cursor(pilot: Pilot[Any]) -> None:
    """Stop the text cursor blinking, so a snapshot does not depend on when it is taken."""
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
