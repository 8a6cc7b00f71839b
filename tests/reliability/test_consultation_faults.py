"""Faults while the consultation saves: a save is whole (report and answers) or not made at all.

The consultation writes two files, NAME.answers.yaml and NAME.md. When the second cannot
be written, the first must not stay behind on its own; the person is told what happened
and where, the answers stay in the resumable copy, and the same name can be used again.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.resume import resume_path
from decision_aid.tui.screens.save import SavedScreen
from decision_aid.tui.screens.summary import SummaryScreen
from tests.tui.helpers import NAME_PART, TINY_KEYS, build_app, press

SIZE = (80, 24)


def fail_for(monkeypatch: pytest.MonkeyPatch, suffix: str, code: int) -> list[str]:
    """Make naming or renaming any file whose name ends with ``suffix`` fail with ``code``."""
    failed: list[str] = []
    real_link, real_replace = os.link, os.replace

    def check(name: Any) -> None:
        if os.fsdecode(name).endswith(suffix):
            failed.append(os.fsdecode(name))
            raise OSError(code, os.strerror(code))

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        check(dst)
        real_link(src, dst, *args, **kwargs)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        check(dst)
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    return failed


@pytest.mark.parametrize("suffix", [".md", ".answers.yaml"], ids=["report", "answers"])
async def test_a_failed_save_leaves_neither_file(
    suffix: str, tiny_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Either file failing (disk full): no file of the pair is left, the message names the
    file and says why, the answers are still kept, and saving again with the same name works."""
    app = build_app(tiny_bank, tmp_path)
    reports = tmp_path / "reports"
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS)
        failed = fail_for(monkeypatch, suffix, errno.ENOSPC)
        await press(pilot, "s", "enter")
        assert failed, "the fault was never reached"
        assert isinstance(app.screen, SummaryScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any(
            f"{NAME_PART}{suffix}: cannot write the file (no space left on device)" in m
            for m in messages
        ), messages
        assert sorted(p.name for p in reports.iterdir()) == [], "half a save was left"
        assert app.consultation.unsaved and resume_path().exists()
        monkeypatch.undo()
        await press(pilot, "s", "enter")
        assert isinstance(app.screen, SavedScreen)
    assert sorted(p.name for p in reports.iterdir()) == [
        f"2026-11-25-{NAME_PART}.answers.yaml",
        f"2026-11-25-{NAME_PART}.md",
    ]
