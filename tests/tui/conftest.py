"""Fixtures for the TUI tests: a private data folder, fixed dates and names, no colour quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import load_bank


@pytest.fixture(autouse=True)
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test keeps its resumable consultation in its own folder, never the user's.

    NO_COLOR and TEXTUAL settings from the developer's shell are removed too: they
    change what the screens look like.
    """
    folder = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL", raising=False)
    return folder


@pytest.fixture(scope="session")
def shipped_bank() -> QuestionBank:
    """The bank in questions/ (its wording may change; prefer the tiny bank for layout)."""
    return load_bank()
