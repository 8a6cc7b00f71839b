"""Traceable text: the one check that holds every text naming facts to the evidence registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.core.traceability import (
    Fact,
    FactText,
    Registry,
    check_fact_texts,
    claimed_strengths,
    load_registry,
)

REGISTRY = Registry(
    facts={
        "tiny-low": Fact("tiny-low", "low", ("trial-a",)),
        "tiny-very-low": Fact("tiny-very-low", "very low", ("series-b",)),
        "tiny-high": Fact("tiny-high", "high", ("label-c",)),
        "tiny-caution": Fact("tiny-caution", "moderate", ("label-c",), "seen only in a summary"),
    },
    source_ids=frozenset({"trial-a", "series-b", "label-c"}),
)


def problems(text: str, facts: list[str], **extra: object) -> list[str]:
    item = FactText("f.yaml", "items[0]", text, facts, **extra)  # type: ignore[arg-type]
    return [str(p) for p in check_fact_texts([item], REGISTRY)]


def test_a_text_that_keeps_every_rule_passes() -> None:
    """Known facts, citations of their sources, no strength above theirs."""
    assert problems("One trial found this. [@trial-a]", ["tiny-low"]) == []
    assert problems("Weak evidence. [@trial-a] [@label-c]", ["tiny-low", "tiny-high"]) == []
    assert problems("No citation, no facts: nothing to trace.", []) == []


def test_a_citing_text_must_name_its_facts() -> None:
    assert problems("A claim. [@trial-a]", []) == [
        "f.yaml: items[0]: expected the registry facts this text rests on (facts: [...]), "
        "found none"
    ]


def test_an_unknown_fact_is_named_with_the_closest_one() -> None:
    assert problems("A claim. [@trial-a]", ["tiny-lo"]) == [
        "f.yaml: items[0]: expected a fact id of the registry, found 'tiny-lo' "
        "(did you mean 'tiny-low'?)"
    ]


def test_every_citation_belongs_to_a_named_fact() -> None:
    assert problems("A claim. [@series-b]", ["tiny-low"]) == [
        "f.yaml: items[0]: expected every cited source to belong to a named fact, found "
        "[@series-b] (sources of the facts: trial-a)"
    ]


@pytest.mark.parametrize(
    ("text", "facts", "declared", "found"),
    [
        ("This is strong evidence. [@label-c]", ["tiny-high", "tiny-low"], None, "'high'"),
        ("Fair evidence. [@trial-a]", ["tiny-low"], None, "'moderate'"),
        ("Weak evidence. [@series-b]", ["tiny-very-low"], None, "'low'"),
        ("A claim. [@series-b]", ["tiny-very-low"], "low", "'low'"),
    ],
)
def test_no_strength_above_the_lowest_of_the_facts(
    text: str, facts: list[str], declared: str | None, found: str
) -> None:
    """A strength phrase in the text, or a declared strength, above the weakest fact fails."""
    lines = problems(text, facts, strength=declared)
    assert len(lines) == 1 and "expected a strength no higher than" in lines[0]
    assert lines[0].endswith(f"found {found}")


def test_strength_phrases_are_read_from_the_text() -> None:
    assert claimed_strengths("This is very weak evidence. [@x]") == ["very low"]
    assert claimed_strengths("Low-quality evidence, and strong evidence too.") == ["low", "high"]
    assert claimed_strengths("Very low IgA is not evidence of anything.") == []


def test_a_fact_with_a_caution_needs_the_words_that_say_it() -> None:
    """Named without words, or with words the text does not hold, fails; with them it passes."""
    text = "One label says so. But we have only seen this in a summary. [@label-c]"
    missing = problems(text, ["tiny-caution"])
    assert len(missing) == 1 and "its caution: seen only in a summary" in missing[0]
    wrong = problems(text, ["tiny-caution"], cautions={"tiny-caution": "we confirmed it"})
    assert wrong == [
        "f.yaml: items[0]: expected the text to say 'we confirmed it' (for the caution of "
        "'tiny-caution'), found it not in the text"
    ]
    said = {"tiny-caution": "We have only  seen this in a summary"}
    assert problems(text, ["tiny-caution"], cautions=said) == []
    stray = problems("A claim. [@trial-a]", ["tiny-low"], cautions={"tiny-high": "x"})
    assert stray == ["f.yaml: items[0]: expected cautions only for named facts, found 'tiny-high'"]


def test_a_missing_registry_is_one_clear_problem(tmp_path: Path) -> None:
    registry, found = load_registry(tmp_path)
    assert registry is None
    assert [str(p) for p in found] == [
        f"{tmp_path}/facts.yaml: expected the checked evidence registry "
        "(scripts/refresh-evidence copies it from ../shared/evidence), found no file"
    ]
