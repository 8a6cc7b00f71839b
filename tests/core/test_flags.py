"""Points raised during the consultation: which, under which question, in what words."""

from __future__ import annotations

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.flags import FLAG_LEVELS, flag_line, raised_points
from decision_aid.core.loading import load_bank


@pytest.fixture(scope="module")
def shipped_bank() -> QuestionBank:
    return load_bank()


def test_a_low_egfr_raises_a_point_under_the_egfr_question(shipped_bank: QuestionBank) -> None:
    """Only stop and take-care points are raised, under the question that completes them."""
    low = raised_points(shipped_bank, {"nephritis.status": "none", "kidney.egfr": 25})
    high = raised_points(shipped_bank, {"nephritis.status": "none", "kidney.egfr": 90})
    assert low["kidney.egfr"] and "kidney.egfr" not in high
    assert all(p.level in FLAG_LEVELS for points in low.values() for p in points)
    assert set(low) - {"kidney.egfr"} == set(high)


def test_a_flag_line_is_the_level_word_and_the_first_sentence(shipped_bank: QuestionBank) -> None:
    """The line starts with the report's level word; no citation marker is left in it."""
    point = raised_points(shipped_bank, {"kidney.egfr": 25})["kidney.egfr"][0]
    line = flag_line(shipped_bank, point)
    assert line.startswith(f"! {shipped_bank.labels.level_words[point.level]}: ")
    assert "[@" not in line and line.endswith(("(More in the report.)", "."))
