"""Conditions follow FHIR R4 enableWhen: what each operator means on each kind of answer."""

from __future__ import annotations

import pytest

from decision_aid.core.conditions import compare


@pytest.mark.parametrize(
    ("operator", "expected", "answers", "holds"),
    [
        ("=", "yes", {"q.a": "yes"}, True),
        ("=", "yes", {"q.a": "no"}, False),
        ("=", "yes", {}, False),
        ("!=", "none", {}, True),  # FHIR: true when unanswered
        ("!=", "none", {"q.a": ["none"]}, False),
        ("!=", "none", {"q.a": ["mycophenolate"]}, True),
        ("=", "mycophenolate", {"q.a": ["hydroxychloroquine", "mycophenolate"]}, True),
        ("<", 30, {"q.a": 29.5}, True),
        ("<", 30, {"q.a": 30}, False),
        ("<", 30, {"q.a": "unknown"}, False),
        (">=", 3, {"q.a": 3}, True),
        ("=", "unknown", {"q.a": "unknown"}, True),
        ("exists", True, {"q.a": 0}, True),
        ("exists", False, {"q.a": 0}, False),
        ("exists", False, {}, True),
        ("in", ["IV", "IV+V"], {"q.a": "IV+V"}, True),
        ("in", ["IV", "IV+V"], {"q.a": "V"}, False),
        ("=", "yes", {"q.a": True}, False),  # a YAML boolean is not the word "yes"
    ],
)
def test_compare(operator: str, expected: object, answers: dict, holds: bool) -> None:
    """Each operator gives the FHIR meaning."""
    assert compare("q.a", operator, expected, answers) is holds
