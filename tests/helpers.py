"""Data shared by several test modules."""

from __future__ import annotations

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
