"""Hypothesis strategies: answers files (valid, broken in one known way, or anything) for a bank.

A strategy is built from a loaded bank, so the same properties run against the tiny test
bank and the shipped one. Valid answers walk the branching in bank order; broken ones
start valid and break exactly one thing, so the test knows which message to expect.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

from decision_aid.core.answers import ANSWERS_FORMAT, FORMAT_1, FORMAT_1_RENAMED
from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.branching import asked_questions, is_enabled


class _NoAliases(yaml.SafeDumper):
    """Writes a value twice rather than as an alias (the reader refuses aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump_yaml(data: Any) -> str:
    """YAML text for ``data``; strings that YAML 1.1 reads as bools are quoted by PyYAML."""
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)


def dump(data: Any, suffix: str) -> str:
    """The text of an answers file in the format its suffix names."""
    if suffix == ".json":
        return json.dumps(data, ensure_ascii=False, allow_nan=True)
    return dump_yaml(data)


# --- values ------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "\n",
        "\u00a0",  # no-break space
        "\u200b",  # zero-width space
        "\u202enone",  # right-to-left override
        "\x1b[31mred\x07",  # a terminal escape
        "\x00",
        "\ufeff",
        "none\u0301",  # combining accent
        "ｎｏｎｅ",  # full-width letters
        "NONE",
        "None",
        "null",
        "~",
        "yes",
        "no",
        "true",
        "1:30",
        "045",
        "0x1F",
        "1_000",
        "1e400",
        "-0",
        ".inf",
        ".nan",
        "2026-02-30",
        "💊" * 40,
        "a" * 5000,
        "{{ 7*7 }}",
        "# heading",
        "[link](http://example.com)",
        "<script>x</script>",
        "| a | b |",
        "unknown ",
    ]
)
"""Text chosen to trip a reader: whitespace, escapes, look-alikes, YAML 1.1 words."""

HUGE_NUMBERS = st.sampled_from(
    [10**30, -(10**30), 2**63, -(2**63) - 1, 10**99, 1e308, -1e308, 5e-324, 1e-300]
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    HUGE_NUMBERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    ODD_TEXT,
)


def nested(leaves: st.SearchStrategy[Any] = SCALARS) -> st.SearchStrategy[Any]:
    """Lists and mappings of scalars, a few levels deep."""
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=8), inner, max_size=4),
        ),
        max_leaves=12,
    )


ANYTHING = nested()


def valid_value(question: Question) -> st.SearchStrategy[Any]:
    """Any answer ``question`` allows."""
    if isinstance(question, ChoiceQuestion):
        return st.sampled_from([o.value for o in question.options])
    if isinstance(question, SeveralQuestion):
        alone = [o.value for o in question.options if o.value in question.exclusive]
        others = [o.value for o in question.options if o.value not in question.exclusive]
        several = st.lists(st.sampled_from(others), min_size=1, unique=True) if others else None
        singles = st.sampled_from(alone).map(lambda v: [v]) if alone else None
        return st.one_of(*[s for s in (several, singles) if s is not None])
    if isinstance(question, WholeNumberQuestion | ScaleQuestion):
        return st.integers(question.minimum, question.maximum)
    assert isinstance(question, NumberQuestion)
    return st.one_of(
        st.just("unknown"),
        st.integers(int(question.minimum), int(question.maximum)),
        st.floats(question.minimum, question.maximum, allow_nan=False),
    )


def _allowed(question: Question, value: Any) -> bool:
    """An independent, plain reading of what the contract allows (for filtering)."""
    if isinstance(question, ChoiceQuestion):
        return isinstance(value, str) and value in {o.value for o in question.options}
    if isinstance(question, SeveralQuestion):
        values = {o.value for o in question.options}
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) and v in values for v in items):
            return False
        if len(set(items)) != len(items):
            return False
        return not any(v in question.exclusive for v in items) or len(items) == 1
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(question, NumberQuestion):
        if value == "unknown":
            return True
        return (
            isinstance(value, int | float)
            and value == value  # not NaN
            and question.minimum <= value <= question.maximum
        )
    return isinstance(value, int) and question.minimum <= value <= question.maximum


def invalid_value(question: Question) -> st.SearchStrategy[Any]:
    """A non-empty answer ``question`` does not allow: wrong type, out of range, odd text."""
    near: list[Any] = []
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        for option in question.options:
            near += [option.value.upper(), option.value + " ", option.value[:-1] or "x"]
    if isinstance(question, SeveralQuestion):
        near += [[], [question.options[0].value] * 2]
        near += [[v, question.options[0].value] for v in question.exclusive if v]
    if isinstance(question, WholeNumberQuestion | ScaleQuestion | NumberQuestion):
        low, high = question.minimum, question.maximum
        near += [low - 1, high + 1, str(low), f"{high}", [low], {"value": low}]
        if not isinstance(question, NumberQuestion):
            near += [low + 0.5, float(low) + 0.25]
    candidates = st.one_of(st.sampled_from(near) if near else st.nothing(), ANYTHING)
    return candidates.filter(lambda v: v is not None and not _allowed(question, v))


# --- answers files -----------------------------------------------------------------------


@dataclass
class Case:
    """An answers file to write, and what must be said about it."""

    document: Any
    """What the file holds (written as YAML or JSON)."""
    suffix: str
    valid: bool
    mentions: list[str] = field(default_factory=list)
    """Fragments the message must contain (for a file broken in a known way)."""
    why: str = "valid"


@st.composite
def valid_answers(draw: st.DrawFn, bank: QuestionBank) -> dict[str, Any]:
    """Answers to the questions asked, walking the branching in bank order."""
    answers: dict[str, Any] = {}
    for question in bank.questions:
        if not is_enabled(question, answers):
            if draw(st.integers(0, 9)) == 0:
                answers[question.id] = None  # an empty line for a hidden question is no answer
            continue
        if not question.required and draw(st.booleans()):
            if draw(st.booleans()):
                answers[question.id] = None  # left empty, as the template leaves it
            continue
        answers[question.id] = draw(valid_value(question))
    return answers


DATES = st.one_of(
    st.none(),
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(lambda d: d.isoformat()),
)


def _document(answers: Any, date: str | None, **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {"format": ANSWERS_FORMAT}
    if date is not None:
        document["date"] = date
    document["answers"] = answers
    document.update(extra)
    return document


@st.composite
def valid_case(draw: st.DrawFn, bank: QuestionBank, format_1: bool = True) -> Case:
    """A complete, valid answers file: format 2, or now and then format 1 (still read).

    A format 1 file names the allergy question ``iga.past_reaction``, or (as format 1
    asked it only with low IgA) leaves it out: then it counts as not asked.
    """
    answers = draw(valid_answers(bank))
    suffix = draw(st.sampled_from([".yaml", ".yml", ".json"]))
    document = _document(answers, draw(DATES))
    if format_1 and FORMAT_1_RENAMED.keys().isdisjoint(answers) and draw(st.integers(0, 3)) == 0:
        document["format"] = FORMAT_1
        for old, new in FORMAT_1_RENAMED.items():
            if new in answers:
                value = answers.pop(new)
                if draw(st.booleans()):
                    answers[old] = value
    return Case(document, suffix, valid=True)


@st.composite
def broken_case(draw: st.DrawFn, bank: QuestionBank) -> Case:
    """A valid answers file broken in exactly one known way."""
    answers = draw(valid_answers(bank))
    date = draw(DATES)
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    given = {k: v for k, v in answers.items() if v is not None}
    asked = asked_questions(bank, given)
    asked_ids = {q.id for q in asked}
    hidden = [q for q in bank.questions if q.id not in asked_ids]
    required = [q for q in asked if q.required and q.id in given]
    kinds = ["unknown id", "wrong value", "wrong format", "wrong date", "unknown top key"]
    kinds += ["not a mapping", "answers not a mapping"]
    if hidden:
        kinds.append("hidden answer")
    if required:
        kinds.append("missing answer")
    kind = draw(st.sampled_from(kinds))
    if kind == "unknown id":
        known = set(bank.question_ids)
        near = [qid + "x" for qid in known] + [qid.upper() for qid in known]
        key = draw(
            st.one_of(st.sampled_from(near), st.text(min_size=1, max_size=20), ODD_TEXT).filter(
                lambda k: k not in known and k not in ("<<",)
            )
        )
        answers[key] = draw(SCALARS)
        return Case(
            _document(answers, date), suffix, False, ["expected a question id of the bank"], kind
        )
    if kind == "wrong value":
        question = draw(st.sampled_from(asked))
        answers[question.id] = draw(invalid_value(question))
        return Case(_document(answers, date), suffix, False, [f": {question.id}: expected"], kind)
    if kind == "hidden answer":
        question = draw(st.sampled_from(hidden))
        answers[question.id] = draw(valid_value(question))
        return Case(
            _document(answers, date),
            suffix,
            False,
            [f": {question.id}: expected no answer, because this question is asked only when"],
            kind,
        )
    if kind == "missing answer":
        question = draw(st.sampled_from(required))
        if draw(st.booleans()):
            del answers[question.id]
        else:
            answers[question.id] = None
        return Case(
            _document(answers, date),
            suffix,
            False,
            [f": {question.id}: expected an answer (this question is required here)"],
            kind,
        )
    if kind == "wrong format":
        wrong = draw(
            st.one_of(
                st.sampled_from(
                    [None, "ivig-decision-aid/answers/2", "ivig-decision-aid/answers/1 ", 1]
                ),
                SCALARS,
            ).filter(lambda v: v != ANSWERS_FORMAT)
        )
        document = _document(answers, date)
        if wrong is None and draw(st.booleans()):
            del document["format"]
        else:
            document["format"] = wrong
        return Case(document, suffix, False, [": format: expected"], kind)
    if kind == "wrong date":
        wrong = draw(
            st.one_of(
                st.sampled_from(["2026-02-30", "26-01-01", "2026/01/01", "today", 20260101, []]),
                st.text(min_size=1, max_size=12).filter(lambda t: not t.strip()[:1].isdigit()),
            )
        )
        return Case(
            _document(answers, wrong),
            suffix,
            False,
            [": date: expected a date as YYYY-MM-DD"],
            kind,
        )
    if kind == "unknown top key":
        key = draw(st.sampled_from(["answer", "Answers", "formats", "name", "patient", "dates"]))
        document = _document(answers, date, **{key: draw(SCALARS)})
        return Case(document, suffix, False, [f": {key}: unknown key"], kind)
    if kind == "not a mapping":
        document = draw(st.one_of(SCALARS, st.lists(ANYTHING, max_size=3)).filter(_not_empty))
        return Case(
            document, suffix, False, ["expected a mapping with 'format' and 'answers'"], kind
        )
    wrong_answers = draw(st.one_of(SCALARS, st.lists(ANYTHING, max_size=3)))
    return Case(
        _document(wrong_answers, date),
        suffix,
        False,
        [": answers: expected a mapping of question ids to answers"],
        kind,
    )


def _not_empty(value: Any) -> bool:
    # An empty file (None) has its own message; "" as a YAML document is empty too.
    return value is not None and value != ""


@st.composite
def any_case(draw: st.DrawFn, bank: QuestionBank) -> Case:
    """Anything shaped a little like an answers file: real ids, any values, any keys."""
    ids = st.one_of(st.sampled_from(bank.question_ids), st.text(max_size=20), ODD_TEXT)
    answers = draw(st.dictionaries(ids, ANYTHING, max_size=len(bank.question_ids) + 2))
    top = draw(st.dictionaries(st.sampled_from(["format", "date", "answers", "x"]), ANYTHING))
    document: Any = {"format": ANSWERS_FORMAT, "answers": answers, **top}
    if draw(st.integers(0, 5)) == 0:
        document = draw(ANYTHING)
    return Case(document, draw(st.sampled_from([".yaml", ".json"])), valid=False, why="anything")


# --- edits to any parsed document ----------------------------------------------------------


def tree_nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every node of parsed data with its path from the top."""
    found = [(path, data)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += tree_nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += tree_nodes(value, (*path, index))
    return found


@st.composite
def tree_edit(draw: st.DrawFn, data: Any) -> Any:
    """``data`` (a deep copy) with one node replaced, deleted, repeated, or a key added."""
    import copy

    data = copy.deepcopy(data)
    path, _ = draw(st.sampled_from(tree_nodes(data)))
    if not path:
        return draw(ANYTHING)
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    edit = draw(st.sampled_from(["replace", "delete", "repeat", "add key", "odd text"]))
    if edit == "replace":
        parent[path[-1]] = draw(ANYTHING)
    elif edit == "delete":
        del parent[path[-1]]
    elif edit == "repeat" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[path[-1]]))
    elif edit == "add key" and isinstance(parent[path[-1]], dict):
        parent[path[-1]][draw(st.sampled_from(["extra", "valueString", "answer", "item"]))] = draw(
            ANYTHING
        )
    else:
        parent[path[-1]] = draw(ODD_TEXT)
    return data
