"""The example answers files and their committed reports stay in step with the content.

Each ``examples/NAME.yaml`` is rendered with the shipped bank and compared byte for byte
with ``reports/examples/NAME.md``. A content change that alters a report makes this test
fail until the reports are regenerated and read again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from decision_aid.core import quality
from decision_aid.core.answers import load_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import load_bank
from decision_aid.core.summary import build_summary
from decision_aid.report.render import render_markdown

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
REPORTS = ROOT / "reports" / "examples"
REGENERATE = ".venv/bin/python -m decision_aid run examples/*.yaml --out reports/examples/"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


def render(bank: QuestionBank, path: Path) -> str:
    answers = load_answers(path, bank)
    assert answers.date == dt.date(2026, 11, 25), f"{path.name}: expected date: 2026-11-25"
    return render_markdown(build_summary(bank, answers, answers.date))


def test_there_are_at_least_six_examples() -> None:
    assert len(EXAMPLE_FILES) >= 6, [p.name for p in EXAMPLE_FILES]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_committed_report_is_current(bank: QuestionBank, path: Path) -> None:
    """The committed report is exactly what `run` writes today."""
    report = REPORTS / f"{path.stem}.md"
    assert report.is_file(), f"{report} is missing; write it with: {REGENERATE}"
    assert report.read_text(encoding="utf-8") == render(bank, path), (
        f"{report.relative_to(ROOT)} is stale; regenerate it with: {REGENERATE} "
        "and read the diff before committing"
    )


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_report_reads_plainly(bank: QuestionBank, path: Path) -> None:
    """Prose at grade 8 or lower, no directive words, and 80 columns except for addresses."""
    text = render(bank, path)
    value, problems = quality.check_report_grade(text, path.name)
    assert problems == [], f"grade {value:.1f}"
    assert quality.check_directive_report(text, path.name) == []
    too_long = [line for line in text.splitlines() if len(line) > 80 and "https://" not in line]
    assert too_long == []
