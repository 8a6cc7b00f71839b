"""Traceable text: every text that states a fact names its registry facts, and ``check`` holds it.

The checked evidence registry is copied into the repository at ``evidence/`` (from
``../shared/evidence`` by ``scripts/refresh-evidence``), so a clone alone can be checked.
One general check serves every kind of text that names facts (considerations, "why we
ask", evidence statements; option cells and other report texts can be added to
:func:`fact_texts` the same way). For each text it holds, mechanically:

- every named fact exists in the registry;
- a text that cites a source names at least one fact;
- every source the text cites belongs to one of its named facts;
- the text's strength (a declared ``strength``, or a strength phrase such as "weak
  evidence" in the text) is not above the lowest strength of its facts;
- a fact that carries a ``caution`` is named only with the words of the text that say
  what the caution says (``cautions: {fact-id: words}``), and those words are in the text.

What it cannot hold: that the text says what its facts say, and that the quoted words
really say what the caution says. Those stay with the people who review the content.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decision_aid.core.bank import STRENGTHS, QuestionBank
from decision_aid.core.citations import cited_ids, strip_markers
from decision_aid.core.yamlio import parse_yaml, read_text
from decision_aid.errors import DecisionAidError, Problem

REGISTRY_FILES = ("facts.yaml", "sources.yaml")

STRENGTH_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), strength)
    for pattern, strength in (
        (r"\bvery weak evidence\b", "very low"),
        (r"\bvery low(?:[- ]quality| certainty)? evidence\b", "very low"),
        (r"\b(?<!very )weak evidence\b", "low"),
        (r"\b(?<!very )low(?:[- ]quality| certainty)? evidence\b", "low"),
        (r"\bfair evidence\b", "moderate"),
        (r"\bmoderate(?:[- ]quality| certainty)? evidence\b", "moderate"),
        (r"\bstrong evidence\b", "high"),
        (r"\bhigh(?:[- ]quality| certainty)? evidence\b", "high"),
    )
)
"""Phrases that tell a reader how sure the evidence is, with the strength each claims
(the report's own words for each strength are in report.yaml ``strength_words``)."""


@dataclass(frozen=True)
class Fact:
    """What the check needs of one registry fact."""

    id: str
    strength: str
    sources: tuple[str, ...]
    caution: str | None = None


@dataclass(frozen=True)
class Registry:
    """The checked facts and the ids of the checked sources."""

    facts: Mapping[str, Fact]
    source_ids: frozenset[str]


@dataclass(frozen=True)
class FactText:
    """One text that states facts, with the facts it names (``where`` names it in messages)."""

    file: str
    where: str
    text: str
    facts: Sequence[str]
    cautions: Mapping[str, str] = field(default_factory=dict)
    strength: str | None = None
    """A strength the item declares for itself (an evidence statement's ``strength``)."""


def default_registry_dir(questions_dir: Path) -> Path:
    """``evidence/`` beside the bank folder, else the one in this checkout or package."""
    beside = questions_dir.parent / "evidence"
    if beside.is_dir():
        return beside
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_evidence"
    return packaged if packaged.is_dir() else package.parent / "evidence"


def load_registry(folder: Path) -> tuple[Registry | None, list[Problem]]:
    """The registry in ``folder``, or None and what is wrong with it."""
    documents: dict[str, Any] = {}
    for name in REGISTRY_FILES:
        shown = f"{folder}/{name}"
        if not (folder / name).is_file():
            return None, [
                Problem(
                    shown,
                    "",
                    "expected the checked evidence registry (scripts/refresh-evidence copies "
                    "it from ../shared/evidence), found no file",
                )
            ]
        try:
            documents[name] = parse_yaml(read_text(folder / name, shown), shown)
        except DecisionAidError as exc:
            return None, exc.problems or [Problem(shown, "", exc.message)]
        if not isinstance(documents[name], list):
            return None, [Problem(shown, "", "expected a list of entries with ids")]
    facts = {
        str(item["id"]): Fact(
            id=str(item["id"]),
            strength=str(item.get("strength")),
            sources=tuple(str(s) for s in item.get("sources") or ()),
            caution=item.get("caution") or None,
        )
        for item in documents["facts.yaml"]
        if isinstance(item, dict) and "id" in item
    }
    sources = frozenset(
        str(item["id"]) for item in documents["sources.yaml"] if isinstance(item, dict)
    )
    return Registry(facts=facts, source_ids=sources), []


def fact_texts(bank: QuestionBank, label: str = "questions") -> list[FactText]:
    """Every text of the bank that may state a fact, with the facts it names."""
    items: list[FactText] = []
    for index, question in enumerate(bank.questions):
        items.append(
            FactText(
                file=f"{label}/bank.yaml",
                where=f"questions[{index}] ({question.id}).why",
                text=question.why,
                facts=question.facts,
                cautions=question.cautions,
            )
        )
    for index, rule in enumerate(bank.considerations):
        items.append(
            FactText(
                file=f"{label}/considerations.yaml",
                where=f"considerations[{index}] ({rule.id}).text",
                text=rule.text,
                facts=rule.facts,
                cautions=rule.cautions,
            )
        )
    for index, statement in enumerate(bank.statements):
        items.append(
            FactText(
                file=f"{label}/evidence.yaml",
                where=f"statements[{index}] ({statement.id}).text",
                text=statement.text,
                facts=statement.facts,
                cautions=getattr(statement, "cautions", {}) or {},
                strength=statement.strength,
            )
        )
    return items


def claimed_strengths(text: str) -> list[str]:
    """The strengths the text's own words claim ("weak evidence" claims low)."""
    plain = strip_markers(text)
    return [strength for pattern, strength in STRENGTH_PHRASES if pattern.search(plain)]


def _said(words: str, text: str) -> bool:
    squash = " ".join(strip_markers(text).split()).casefold()
    return " ".join(words.split()).casefold() in squash


def check_fact_texts(items: Sequence[FactText], registry: Registry) -> list[Problem]:
    """Every problem with how ``items`` name and use their facts (see the module's list)."""
    problems: list[Problem] = []
    known = list(registry.facts)
    for item in items:
        cited = cited_ids(item.text)
        if cited and not item.facts:
            problems.append(
                Problem(
                    item.file,
                    item.where,
                    "expected the registry facts this text rests on (facts: [...]), found none",
                )
            )
            continue
        facts: list[Fact] = []
        for fact_id in item.facts:
            fact = registry.facts.get(fact_id)
            if fact is None:
                guess = difflib.get_close_matches(fact_id, known, n=1)
                hint = f" (did you mean {guess[0]!r}?)" if guess else ""
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected a fact id of the registry, found {fact_id!r}{hint}",
                    )
                )
                continue
            facts.append(fact)
        if len(facts) != len(item.facts):
            continue
        allowed = {s for fact in facts for s in fact.sources}
        for source_id in cited:
            if source_id not in allowed:
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected every cited source to belong to a named fact, found "
                        f"[@{source_id}] (sources of the facts: {', '.join(sorted(allowed))})",
                    )
                )
        if facts:
            lowest = min((f.strength for f in facts), key=_rank)
            claims = claimed_strengths(item.text)
            if item.strength is not None:
                claims.append(item.strength)
            for claim in claims:
                if _rank(claim) > _rank(lowest):
                    problems.append(
                        Problem(
                            item.file,
                            item.where,
                            f"expected a strength no higher than {lowest!r} (the lowest of its "
                            f"facts), found {claim!r}",
                        )
                    )
        for fact in facts:
            if fact.caution is None:
                continue
            words = item.cautions.get(fact.id)
            if words is None:
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected the words of the text that say what the caution of "
                        f"{fact.id!r} says (cautions: {{{fact.id}: ...}}), found none; "
                        f"its caution: {_short(fact.caution)}",
                    )
                )
            elif not _said(words, item.text):
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected the text to say {words!r} (for the caution of "
                        f"{fact.id!r}), found it not in the text",
                    )
                )
        for fact_id in item.cautions:
            if fact_id not in item.facts:
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected cautions only for named facts, found {fact_id!r}",
                    )
                )
    return problems


def check_bank_facts(
    bank: QuestionBank, label: str, registry_dir: Path
) -> tuple[list[Problem], int]:
    """Problems with the bank's fact links, and how many texts name facts."""
    registry, problems = load_registry(registry_dir)
    if registry is None:
        return problems, 0
    items = fact_texts(bank, label)
    return check_fact_texts(items, registry), sum(1 for i in items if i.facts)


def _rank(strength: str) -> int:
    return STRENGTHS.index(strength) if strength in STRENGTHS else -1


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
