"""Data and small tools shared by several test modules."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
TINY = DATA / "banks" / "tiny"
"""The smallest bank that uses every question kind and every kind of condition."""

TINY_ANSWERS: dict[str, Any] = {
    "nephritis.status": "biopsy_proven",
    "nephritis.class": "V",
    "kidney.egfr": 45,
    "pregnancy.losses": 3,
    "treatment.prior": ["mycophenolate"],
    "treatment.response": "good",
    "values.kidney_protection": 4,
}
"""A complete, valid set of answers to the tiny bank."""

CONTRACT_SECTIONS = [
    "About this decision",
    "Your answers",
    "Your options side by side",
    "Points that apply to you",
    "What matters to you",
    "How sure is the evidence",
    "Questions to ask your care team",
    "Sources",
    "About this report",
]
"""The report's `## ` sections, in the order the contract gives them."""


def tmux(command: list[str], environment: dict[str, str], *arguments: str) -> str:
    """Run one tmux command (``command`` names the binary and its private socket)."""
    done = subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=30,
        check=True,
    )
    return done.stdout
