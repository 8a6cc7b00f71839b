"""Fixtures for the FHIR tests: both banks, and the answers files to round-trip."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import load_bank
from tests.helpers import DATA, TINY

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.y*ml")) + sorted((ROOT / "examples").glob("*.json"))
"""The example answers files shipped with the project (for the shipped bank)."""
OWN = sorted((DATA / "answers").glob("*.yaml"))
"""Answers files kept for these tests (for the shipped bank), in case examples/ is thin."""


def _says_not_asked(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    answered = re.search(r"^\s+(?:iga|allergy)\.past_reaction:", text, re.MULTILINE)
    return "format: ivig-decision-aid/answers/1" in text and answered is None


ROUND_TRIP = [p for p in EXAMPLES + OWN if not _says_not_asked(p)]
"""The files a QuestionnaireResponse can carry whole: not a format 1 file without the
allergy question, which counts as "not asked", something a response cannot say."""


@pytest.fixture(scope="session")
def shipped_bank() -> QuestionBank:
    """The question bank in questions/, as installed."""
    return load_bank()


@pytest.fixture(scope="session", params=["tiny", "shipped"])
def any_bank(request: pytest.FixtureRequest) -> QuestionBank:
    """Each bank in turn: the tiny test bank (every kind) and the shipped one."""
    return load_bank(TINY, "tiny") if request.param == "tiny" else load_bank()
