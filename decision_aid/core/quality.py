"""Measured content checks: plain-language grade, balance of the options, directive words.

Pure functions over a loaded :class:`QuestionBank` (or a rendered report's Markdown). Each
check returns :class:`~decision_aid.errors.Problem` items plus the figures ``check``
prints, so a failing check says which text, where, and by how much.

- **Grade**: Flesch-Kincaid grade (``textstat``) of every patient-facing sentence or
  paragraph, with citation markers removed; above :data:`GRADE_LIMIT` fails. Names and
  labels of a few words are not graded (see :data:`LABEL_KEYS` for why).
- **Report grade**: the grade of a rendered report's prose as a whole, without its
  tables, headings, citation numbers, icon pictures and Sources list.
- **Balance**: per option, the number of benefit statements, harm statements and
  statements with numbers; fails where one option has less than :data:`BALANCE_RATIO`
  of the other on any count.
- **Directive words**: phrases that tell the reader what to choose ("you should",
  "we recommend", "the best option" ...) anywhere a person reads. Reporting what a
  guideline says ("ACR 2024 recommends ...") is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from decision_aid.core.bank import QuestionBank
from decision_aid.core.citations import strip_markers
from decision_aid.errors import Problem

GRADE_LIMIT = 8.0
"""The highest Flesch-Kincaid grade allowed (US school grade 8)."""

BALANCE_RATIO = 2 / 3
"""One option's count may not fall below this share of the other's."""

OPTIONS = ("ivig", "standard")

LABEL_KEYS = frozenset(
    {
        "title",
        "short",
        "label",
        "labels",
        "unknown_label",
        "ivig_name",
        "standard_name",
        "strength_words",
        "level_words",
    }
)
"""Keys whose text is a name or label of a few words, not a sentence.

The Flesch-Kincaid formula counts words per sentence and syllables per word; on a
fragment of two to ten words ("Class III and V", "Matters a lot") it gives grades that
mean nothing, in both directions. These texts are still read by a person, so they are
checked for directive words, and :data:`LABEL_WORDS` caps their length instead.
"""

LABEL_WORDS = 14
"""The most words a label may have before it must be graded as a sentence."""

CODE_KEYS = frozenset(
    {
        "id",
        "value",
        "question",
        "operator",
        "answer",
        "section",
        "kind",
        "option",
        "strength",
        "facts",
        "cautions",
        "rows",
        "exclusive",
        "asked_when",
        "enable_behavior",
        "when",
        "unit",
        "topic",
        "level",
        "content_version",
        "evidence_reviewed",
        "step",
        "required",
        "minimum",
        "maximum",
        "events",
        "total",
    }
)
"""Keys that hold codes, ids, numbers or conditions: never shown as prose."""

DIRECTIVE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("you should", r"\byou\s+(?:really\s+)?should\b"),
        ("you must", r"\byou\s+must\b"),
        ("you need to", r"\byou\s+need\s+to\b"),
        ("you ought to", r"\byou\s+ought\s+to\b"),
        ("you have to", r"\byou\s+have\s+to\b"),
        ("we recommend", r"\bwe\s+(?:strongly\s+)?(?:recommend|advise|suggest|urge)\b"),
        ("I recommend", r"\bI\s+(?:strongly\s+)?(?:recommend|advise|suggest)\b"),
        ("our recommendation", r"\bour\s+(?:recommendation|advice)\b"),
        ("recommended for you", r"\b(?:recommended|advised|suggested)\s+for\s+you\b"),
        ("the best option", r"\bthe\s+best\s+(?:option|treatment|course)\b"),
        ("the right choice for you", r"\bthe\s+right\s+(?:choice|option|treatment)\s+for\s+you\b"),
        ("is right for you", r"\b(?:is|are)\s+right\s+for\s+you\b"),
        (
            "take/avoid IVIG",
            r"(?:^|[.!?:]\s+)(?:(?:do\s+not|don't|never)\s+)?(?:choose|take|start|have|get|use|"
            r"ask\s+for|avoid|refuse)\s+(?:IVIG|standard\s+care)\b",
        ),
    )
)
"""Directive phrases, each with the name used in messages.

First- and second-person forms only: "you should", "we recommend". A guideline's own
advice reported in the third person ("EULAR 2023 recommends", "the label says it should
not be given") is what the evidence says, not advice from this report, and is allowed.
"""

_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_DIGIT = re.compile(r"\d")


# --- the texts a person reads -----------------------------------------------------------------


@dataclass(frozen=True)
class BankText:
    """One patient-facing text in the bank and where it is."""

    file: str
    where: str
    text: str
    """As written, with ``[@id]`` markers."""
    is_label: bool
    """A name or label (not graded; see :data:`LABEL_KEYS`)."""

    @property
    def plain(self) -> str:
        """The text as a person reads it, without citation markers."""
        return strip_markers(self.text)


def _walk(node: Any, path: str, in_label: bool) -> Iterator[tuple[str, str, bool]]:
    if isinstance(node, str):
        yield path, node, in_label
    elif isinstance(node, dict):
        item = node.get("id")
        base = f"{path} ({item})" if isinstance(item, str) and path else path
        for key, value in node.items():
            key = str(key)
            if key in CODE_KEYS:
                continue
            if key == "statements" and all(isinstance(v, str) for v in value):
                continue  # an options cell's list of statement ids
            step = f"{base}.{key}" if base else key
            yield from _walk(value, step, in_label or key in LABEL_KEYS)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]", in_label)


def bank_texts(bank: QuestionBank, label: str = "questions") -> list[BankText]:
    """Every text of the bank a person reads, in file order.

    Sources are left out: their titles are the authors' words, shown as written.
    """
    texts: list[BankText] = []
    for name, dumped, top in bank.plain_files():
        # Every text of labels.yaml is a label (short words the layout needs).
        for where, text, is_label in _walk(dumped, top, name == "labels.yaml"):
            texts.append(BankText(f"{label}/{name}", where, text, is_label))
    return texts


# --- plain-language grade ---------------------------------------------------------------------


def grade(text: str) -> float:
    """The Flesch-Kincaid grade of ``text`` with citation markers removed."""
    # textstat loads its syllable dictionary on import (about a second): only when grading.
    import textstat

    return float(textstat.flesch_kincaid_grade(strip_markers(text)))


@dataclass(frozen=True)
class GradedText:
    """A graded text, for the worst-text figure and for messages."""

    file: str
    where: str
    grade: float
    text: str


@dataclass(frozen=True)
class GradeResult:
    """The outcome of :func:`check_grades`."""

    problems: list[Problem]
    graded: list[GradedText]
    """Every graded text, in file order."""
    labels: int
    """How many labels were not graded (their length was checked instead)."""

    @property
    def worst(self) -> GradedText | None:
        """The graded text with the highest grade (the first, if tied)."""
        return max(self.graded, key=lambda g: g.grade, default=None)


def check_grades(
    bank: QuestionBank, label: str = "questions", limit: float = GRADE_LIMIT
) -> GradeResult:
    """Grade every patient-facing sentence or paragraph of the bank against ``limit``."""
    problems: list[Problem] = []
    graded: list[GradedText] = []
    labels = 0
    for item in bank_texts(bank, label):
        if item.is_label:
            labels += 1
            words = len(item.plain.split())
            if words > LABEL_WORDS:
                problems.append(
                    Problem(
                        item.file,
                        item.where,
                        f"expected a label of at most {LABEL_WORDS} words (longer text is "
                        f"graded as prose), found {words} words",
                    )
                )
            continue
        value = grade(item.text)
        graded.append(GradedText(item.file, item.where, value, item.plain))
        if value > limit:
            problems.append(
                Problem(
                    item.file,
                    item.where,
                    f"expected plain language at grade {limit:g} or lower, found grade "
                    f"{value:.1f}: {_snippet(item.plain)}",
                )
            )
    return GradeResult(problems, graded, labels)


def _snippet(text: str, width: int = 70) -> str:
    return repr(text if len(text) <= width else text[: width - 3] + "...")


_HEADING = re.compile(r"^\s{0,3}#{1,6}\s")
_TABLE = re.compile(r"^\s*\|")
_ICONS = re.compile(r"^\s*[●○][●○\s]*$")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_CITATION = re.compile(r"\s*\[\d+(?:,\s*\d+)*\]")
_LINK = re.compile(r"<https?://[^>]*>|https?://\S+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_ESCAPE = re.compile(r"\\([\\`*_\[\]<>|{}#+\-.!])")


def report_prose(markdown: str, skip_sections: tuple[str, ...] = ("Sources",)) -> str:
    """The prose of a rendered report: what a person reads as sentences.

    Drops headings, tables, icon pictures (with the count line under each), citation
    numbers, addresses, emphasis marks, and the sections named in ``skip_sections``
    (the Sources list is bibliography in the authors' words). Each paragraph or list item
    becomes one block ending in a full stop, so a list of short answers is not read as
    one endless sentence.
    """
    blocks: list[str] = []
    current: list[str] = []
    skipping = False
    after_icons = False

    def flush() -> None:
        if current:
            block = _plain_markdown(" ".join(current))
            if block:
                if block[-1] not in ".!?:":
                    block += "."
                blocks.append(block)
            current.clear()

    for raw in markdown.splitlines():
        line = raw.rstrip()
        if _HEADING.match(line):
            flush()
            title = line.lstrip("# ").strip()
            skipping = line.startswith("## ") and title in skip_sections
            continue
        if skipping:
            continue
        if not line.strip():
            flush()
            after_icons = False
            continue
        if _TABLE.match(line):
            flush()
            continue
        if _ICONS.match(line):
            flush()
            after_icons = True
            continue
        if after_icons:
            continue  # the "x of N ..." caption under a picture repeats its numbers
        if _BULLET.match(line):
            flush()
            line = _BULLET.sub("", line)
        current.append(line.strip())
    flush()
    return "\n".join(blocks)


def _plain_markdown(text: str) -> str:
    """Inline Markdown as read: no citation numbers, addresses, emphasis or escapes."""
    text = _LINK.sub("", _CITATION.sub("", text))
    text = _ESCAPE.sub(r"\1", _EMPHASIS.sub("", text))
    return " ".join(text.split())


def report_grade(markdown: str) -> float:
    """The Flesch-Kincaid grade of a rendered report's prose as a whole."""
    return grade(report_prose(markdown))


def check_report_grade(
    markdown: str, shown_as: str, limit: float = GRADE_LIMIT
) -> tuple[float, list[Problem]]:
    """A report's prose grade and a problem if it is above ``limit``."""
    value = report_grade(markdown)
    problems = []
    if value > limit:
        problems.append(
            Problem(
                shown_as,
                "",
                f"expected the report's prose at grade {limit:g} or lower, found grade {value:.1f}",
            )
        )
    return value, problems


# --- balance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """Per option: benefit statements, harm statements, statements with numbers."""

    counts: dict[str, dict[str, int]]
    """``counts[option][measure]`` for option ``ivig``/``standard`` and measure
    ``benefit``/``harm``/``numbers``."""

    MEASURES = ("benefit", "harm", "numbers")

    def rows(self) -> list[tuple[str, int, int]]:
        """``(measure, ivig, standard)`` for printing as a table."""
        return [(m, self.counts["ivig"][m], self.counts["standard"][m]) for m in self.MEASURES]


def has_numbers(text: str, figure_count: int = 0) -> bool:
    """Whether a statement gives numbers: an icon picture, or a digit that is not a year."""
    if figure_count:
        return True
    return bool(_DIGIT.search(_YEAR.sub("", strip_markers(text))))


def balance(bank: QuestionBank) -> Balance:
    """Count each option's benefit, harm and numbered statements."""
    counts = {option: dict.fromkeys(Balance.MEASURES, 0) for option in OPTIONS}
    for statement in bank.statements:
        row = counts[statement.option]
        if statement.kind in ("benefit", "harm"):
            row[statement.kind] += 1
        if has_numbers(statement.text, len(statement.figures)):
            row["numbers"] += 1
    return Balance(counts)


def check_balance(
    bank: QuestionBank, label: str = "questions", ratio: float = BALANCE_RATIO
) -> tuple[Balance, list[Problem]]:
    """The balance table and a problem for each measure where one option falls short."""
    table = balance(bank)
    problems = []
    for measure, ivig, standard in table.rows():
        low, high = sorted((ivig, standard))
        if low < ratio * high:
            short = "ivig" if ivig < standard else "standard"
            other = "standard" if short == "ivig" else "ivig"
            problems.append(
                Problem(
                    f"{label}/evidence.yaml",
                    f"balance of {measure} statements",
                    f"expected option {short!r} to have at least {ratio:.0%} of option "
                    f"{other!r}'s count, found {low} against {high}",
                )
            )
    return table, problems


# --- directive language -------------------------------------------------------------------------


def directive_phrases(text: str) -> list[str]:
    """The names of the directive phrases found in ``text`` (without its markers)."""
    plain = strip_markers(text)
    return [name for name, pattern in DIRECTIVE_PATTERNS if pattern.search(plain)]


def check_directive_bank(bank: QuestionBank, label: str = "questions") -> list[Problem]:
    """A problem for each text of the bank, labels included, that tells the reader what to do."""
    problems = []
    for item in bank_texts(bank, label):
        for name in directive_phrases(item.text):
            problems.append(
                Problem(
                    item.file,
                    item.where,
                    f"expected neutral wording, found directive {name!r}: {_snippet(item.plain)}",
                )
            )
    return problems


def check_directive_report(markdown: str, shown_as: str) -> list[Problem]:
    """A problem for each line of a rendered report that tells the reader what to do."""
    problems = []
    for number, line in enumerate(report_prose(markdown, skip_sections=()).splitlines(), 1):
        for name in directive_phrases(line):
            problems.append(
                Problem(
                    shown_as,
                    f"paragraph {number}",
                    f"expected neutral wording, found directive {name!r}: {_snippet(line)}",
                )
            )
    return problems
