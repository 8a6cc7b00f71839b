"""Fixtures shared by every test: the tiny bank, answers files, and no user files read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import load_bank
from tests import hypothesis_profiles  # noqa: F401 - registers and loads the profile
from tests.helpers import TINY


@pytest.fixture(autouse=True)
def _private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's own data folder (and any resumable consultation) out of tests.

    The cache folder too: each test starts with an empty cache of the bank and template.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))


@pytest.fixture(scope="session")
def tiny_bank() -> QuestionBank:
    """The smallest bank that uses every question kind (tests/data/banks/tiny)."""
    return load_bank(TINY, "tiny")


@pytest.fixture
def write_answers(tmp_path: Path) -> Callable[..., Path]:
    """Write an answers file (YAML unless the name ends in .json) and return its path."""

    def write(answers: dict[str, Any], name: str = "mine.yaml", **top: Any) -> Path:
        document = {"format": "ivig-decision-aid/answers/2", **top, "answers": answers}
        path = tmp_path / name
        if name.endswith(".json"):
            import json

            path.write_text(json.dumps(document), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return path

    return write
