"""What each screen looks like (pytest-textual-snapshot), at 80x24 and 120x40.

Screens are built with the tiny bank, whose wording only changes when a test needs it;
the shipped bank's welcome and summary are checked too, so their snapshots change when
its wording does. Review a changed picture in the report before `--snapshot-update`.
Issue 5: the consultation in the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from decision_aid.core.answers import load_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.tui.app import DecisionAidApp
from decision_aid.tui.screens.summary import SummaryScreen
from tests.helpers import DATA
from tests.tui.helpers import TINY_KEYS, build_app, freeze_cursor

SnapCompare = Callable[..., bool]


@pytest.fixture
def home_reports(tmp_path: Path) -> Path:
    """A reports folder in the (temporary) home folder: the dialogs show it as ~/reports."""
    return tmp_path / "home" / "reports"


def keys(*pressed: str) -> Callable[[Pilot[Any]], Any]:
    """A `run_before` that presses keys, lets the app settle and stops the cursor blinking."""

    async def run_before(pilot: Pilot[Any]) -> None:
        for key in pressed:
            await pilot.press(key)
        for screen in pilot.app.screen_stack:
            if isinstance(screen, SummaryScreen):
                await screen.shown.wait()  # the whole report, so the scrollbar is final
        await pilot.pause()
        freeze_cursor(pilot)

    return run_before


class TestTinyScreens:
    """Each screen at 80x24, with the tiny bank."""

    @pytest.fixture(autouse=True)
    def _app(self, tiny_bank: QuestionBank, tmp_path: Path) -> None:
        self.app: DecisionAidApp = build_app(tiny_bank, tmp_path)

    def test_welcome(self, snap_compare: SnapCompare) -> None:
        """You should see what is decided, who should be there, how long, the keys, Start."""
        assert snap_compare(self.app, run_before=keys())

    def test_section(self, snap_compare: SnapCompare) -> None:
        """You should see "Your kidneys" with "Topic 1 of 1", and "›" on the first option."""
        assert snap_compare(self.app, run_before=keys("n"))

    def test_section_revealed_question_and_why(self, snap_compare: SnapCompare) -> None:
        """You should see "(•) Yes, shown by a biopsy", the biopsy class question below it
        with "Why we ask" shown, and the cursor on "Class IV"."""
        assert snap_compare(self.app, run_before=keys("n", "down", "enter", "question_mark"))

    def test_section_number_out_of_range(self, snap_compare: SnapCompare) -> None:
        """You should see 250 in the eGFR box and "✗ Type a number from 0 to 200 …"."""
        assert snap_compare(self.app, run_before=keys("n", "enter", "2", "5", "0"))

    def test_section_answers_needed(self, snap_compare: SnapCompare) -> None:
        """You should see "✗ This question needs an answer." under each unanswered question
        and a message naming them."""
        assert snap_compare(self.app, run_before=keys("n", "enter", "n"))

    def test_section_answer_removed(self, snap_compare: SnapCompare) -> None:
        """You should see "(•) No", no biopsy class question, and "Answer removed"."""
        assert snap_compare(
            self.app,
            run_before=keys(
                "n",  # start
                "down",  # to "Yes, shown by a biopsy"
                "enter",  # choose it: the class question appears
                "enter",  # Class IV
                "shift+tab",  # back to the class
                "shift+tab",  # back to kidney disease
                "up",  # to "No"
                "enter",  # choose it: the class question and its answer go
            ),
        )

    def test_review(self, snap_compare: SnapCompare) -> None:
        """You should see every answer under "Your kidneys", "›" on the first, and
        "✓ All answered" at the top right."""
        assert snap_compare(self.app, run_before=keys(*TINY_KEYS[:14]))

    def test_values(self, snap_compare: SnapCompare) -> None:
        """You should see the 0 to 4 scale, "(You may skip this.)" and "After the review"."""
        assert snap_compare(self.app, run_before=keys(*TINY_KEYS[:17]))

    def test_summary(self, snap_compare: SnapCompare) -> None:
        """You should see the start of the report, dated 2026-11-25, with Back and Save."""
        assert snap_compare(self.app, run_before=keys(*TINY_KEYS))

    def test_save_dialog(
        self, snap_compare: SnapCompare, tiny_bank: QuestionBank, home_reports: Path
    ) -> None:
        """You should see "~/reports" and the name 2026-11-25-abc123, with Cancel and Save."""
        app = build_app(tiny_bank, home_reports, reports_dir=home_reports)
        assert snap_compare(app, run_before=keys(*TINY_KEYS, "s"))

    def test_saved_dialog(
        self, snap_compare: SnapCompare, tiny_bank: QuestionBank, home_reports: Path
    ) -> None:
        """You should see "✓ Saved", "~/reports" and the two files, with Quit chosen."""
        app = build_app(tiny_bank, home_reports, reports_dir=home_reports)
        assert snap_compare(app, run_before=keys(*TINY_KEYS, "s", "enter"))

    def test_quit_dialog(self, snap_compare: SnapCompare) -> None:
        """You should see "Quit without saving a report?" and how to continue later."""
        assert snap_compare(self.app, run_before=keys("n", "enter", "ctrl+q"))

    def test_high_contrast(self, snap_compare: SnapCompare) -> None:
        """You should see white on black, with a yellow cursor line."""
        assert snap_compare(self.app, run_before=keys("n", "down", "enter", "ctrl+t"))


def test_no_color(
    snap_compare: SnapCompare,
    tiny_bank: QuestionBank,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With NO_COLOR you should see grey only; "›", "(•)" and "[ ]" still tell the state."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(tiny_bank, tmp_path)
    assert snap_compare(app, run_before=keys("n", "down", "enter"))


class TestShippedScreens:
    """The shipped bank's welcome and summary (they change when its wording changes)."""

    @pytest.fixture(autouse=True)
    def _app(self, shipped_bank: QuestionBank, tmp_path: Path) -> None:
        answers = load_answers(DATA / "answers" / "contract-example.answers.yaml", shipped_bank)
        self.app: DecisionAidApp = build_app(shipped_bank, tmp_path, answers=answers)

    # Welcome, six topics, the review, At a glance, the evidence and the two topics after
    # it, all answered already.
    TO_GLANCE = ("n",) * 8
    TO_EVIDENCE = ("n",) * 9
    TO_SUMMARY = ("n",) * 12

    def test_welcome(self, snap_compare: SnapCompare) -> None:
        """You should see the welcome at 80x24 with nothing cut off."""
        assert snap_compare(self.app, run_before=keys())

    def test_summary(self, snap_compare: SnapCompare) -> None:
        """You should see the report's title, date and first section at 80x24."""
        assert snap_compare(self.app, run_before=keys(*self.TO_SUMMARY))

    def test_welcome_large(self, snap_compare: SnapCompare) -> None:
        """You should see the welcome at 120x40, the same text with room to spare."""
        assert snap_compare(self.app, run_before=keys(), terminal_size=(120, 40))

    def test_summary_large(self, snap_compare: SnapCompare) -> None:
        """You should see more of the report at 120x40, tables at full width."""
        assert snap_compare(self.app, run_before=keys(*self.TO_SUMMARY), terminal_size=(120, 40))

    def test_glance(self, snap_compare: SnapCompare) -> None:
        """You should see the report's first section (At a glance) as the step's title, its
        text below, and Back and Next, at 80x24."""
        assert snap_compare(self.app, run_before=keys(*self.TO_GLANCE))

    def test_glance_large(self, snap_compare: SnapCompare) -> None:
        """You should see the same page at 120x40, with room to spare."""
        assert snap_compare(self.app, run_before=keys(*self.TO_GLANCE), terminal_size=(120, 40))

    def test_evidence(self, snap_compare: SnapCompare) -> None:
        """You should see the contents on the left, numbered sections with their rows under
        them, the first highlighted, and its text on the right, at 80x24."""
        assert snap_compare(self.app, run_before=keys(*self.TO_EVIDENCE))

    def test_evidence_row(self, snap_compare: SnapCompare) -> None:
        """You should see the second section's first row highlighted and only its text."""
        assert snap_compare(self.app, run_before=keys(*self.TO_EVIDENCE, "2", "down"))

    def test_evidence_large(self, snap_compare: SnapCompare) -> None:
        """You should see the contents and the first part at 120x40."""
        assert snap_compare(self.app, run_before=keys(*self.TO_EVIDENCE), terminal_size=(120, 40))
