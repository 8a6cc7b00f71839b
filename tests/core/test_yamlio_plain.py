"""The plain answers-file reader gives exactly what the strict YAML reader gives, or steps
aside: generated files (valid answers files and lines that break them in many ways), every
YAML file of the repository and the strict cases."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.answers import random_answers
from decision_aid.core import yamlio
from decision_aid.core.answers import AnswerSet, dump_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.template import answers_template
from tests.core.test_yamlio_libyaml import EVERY_YAML, ROOT, STRICT_CASES


def typed(data: Any) -> Any:
    """``data`` with each value's type beside it: True == 1 and 1 == 1.0 in Python."""
    if isinstance(data, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in data.items()])
    if isinstance(data, list):
        return ("list", [typed(v) for v in data])
    return (type(data).__name__, data)


def strict(text: str) -> tuple[str, Any]:
    """What the strict YAML reader (no plain reader, no libyaml) gives for ``text``."""
    try:
        return "data", typed(yaml.load(text, Loader=yamlio.StrictLoader))  # noqa: S506
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        return "error", type(exc).__name__


def assert_same_or_aside(text: str) -> bool:
    """The plain reader's data equals the strict reader's, types and order included; or
    it returned ``_NOT_PLAIN``. Returns whether the plain reader read the text."""
    plain = yamlio._parse_plain(text)
    if plain is yamlio._NOT_PLAIN:
        return False
    assert strict(text) == ("data", typed(plain)), text
    assert list(plain) == list(yaml.load(text, Loader=yamlio.StrictLoader))  # noqa: S506
    return True


def test_answers_files_as_written_are_read_plainly(tiny_bank: QuestionBank) -> None:
    """What dump_answers writes (the TUI's saved answers, the benchmark's files) and the
    template filled in take the plain path, and read the same as through YAML."""
    rng = random.Random(3)
    for _ in range(200):
        answers = AnswerSet(answers=random_answers(tiny_bank, rng), date=dt.date(2026, 1, 2))
        assert assert_same_or_aside(dump_answers(answers, tiny_bank))
    template = answers_template(tiny_bank)
    filled = template.replace("nephritis.status:", "nephritis.status: none", 1)
    assert assert_same_or_aside(template) and assert_same_or_aside(filled)


@pytest.mark.parametrize("path", EVERY_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_in_the_repository(path: Path) -> None:
    assert_same_or_aside(path.read_text(encoding="utf-8-sig"))


EDGES = [
    # YAML also ends a line at \r, \x85, \u2028 and \u2029, inside a comment too.
    "a: 1\n# x\x85b: c\n",
    "a: 1\n  # x\u2028b: c\n",
    "a: 1\n# x\u2029b: c\n",
    "a: 1\n# x\rb: c\n",
    "a: 1\r\nb: 2\r\n",
    "answers:\n  a: [x,y]\n  b: [ ]\n  c: { }\n  d:\n# end\n",
    'a: "x, [y]: z # w"\nb: no\nc: NULL\nd: True\ne: 045\nf: 1e3\ng: 2026-1-5\n',
]


@pytest.mark.parametrize("text", STRICT_CASES + EDGES)
def test_strict_cases_and_edges_step_aside_or_agree(text: str) -> None:
    assert_same_or_aside(text)


REFUSED = [
    "d: 2026-02-30\n",  # the reader's own message names the line
    "x: " + "9" * 101 + "\n",
    "answers:\n  a: 1\n  a: 2\n",
    "a: 1\na: 2\n",
    "1: x\n01: y\n",
    "true: x\n1: y\n",
    "a: 1\n  b: 2\n",
    "answers:\n  a:\n    b: 1\n",
    "answers:\n    a: 1\n  b: 2\n",
    "  a: 1\n",
    "k" * 1025 + ": 1\n",
    "a: b # comment\n",
    "a: [b, c,]\n",
    "",
    "# nothing\n",
]


@pytest.mark.parametrize("text", REFUSED)
def test_what_the_plain_reader_leaves_to_yaml(text: str) -> None:
    """Duplicates, bad dates, long numbers, deeper nesting...: left to the YAML reader."""
    assert yamlio._parse_plain(text) is yamlio._NOT_PLAIN


KEYS = st.sampled_from(
    "format date answers a kidney.egfr x_1 true True null NULL no 1 01 1.5 2026-01-02 on y "
    "a-b a/b III+V _".split()
)
VALUES = st.one_of(
    KEYS,
    st.sampled_from(
        "7 -7 +7 045 0x1F 1_000 1e3 1E+3 1. .5 1.5e-3 2026-11-25 2026-1-5 2026-13-01 2026-02-30 "
        "2026-11-25T10:00:00 .inf -.inf .nan ~ ivig-decision-aid/answers/1 unknown "
        '"yes" "" "tab\\there" \'single\' {} [] [a,b] [a, [b]] [a, b,] [a | > é'.split()
    ),
    st.sampled_from(
        ["", "{ }", "[ ]", "[a, b]", "[ a , 1 ]", '["x, y", z]', '"a, b"', '"# no comment"']
        + ["a b", "a: b", "a #c", "*x", "&x a", "!!int 3", "- a", "9" * 101]
    ),
    st.text(alphabet="ab1.-_/+:# \"'[]{},", max_size=8),
)
INDENTS = st.sampled_from(["", "", "  ", "  ", "    ", " ", "\t"])
LINE = st.one_of(
    st.tuples(
        INDENTS,
        KEYS,
        st.sampled_from([":", ": ", ":  ", " :"]),
        VALUES,
        st.sampled_from(["", "", " ", "  # c"]),
    ).map("".join),
    st.sampled_from(["", " ", "# a comment", "  # indented comment", "---", "...", "- a"]),
    # Comments hold any text, but YAML ends a line at \r, \x85, \u2028 and \u2029 too.
    st.sampled_from(
        ["# é — m²", "# a\x85b: c", "  # a\u2028b: c", "# a\rb: c", "#\ttab", "# \x7f"]
    ),
)


@settings(max_examples=2000, deadline=None)
@given(lines=st.lists(LINE, min_size=1, max_size=12), end=st.sampled_from(["\n", "", "\n\n"]))
def test_generated_lines_read_the_same_or_step_aside(lines: list[str], end: str) -> None:
    """Random lines of the shapes answers files have, and of many shapes they do not."""
    assert_same_or_aside("\n".join(lines) + end)


@settings(max_examples=500, deadline=None)
@given(
    values=st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=8),
    top=st.lists(st.tuples(KEYS, VALUES), max_size=3),
    indent=st.sampled_from(["  ", "    ", " "]),
)
def test_generated_answers_files_read_the_same(
    values: list[tuple[str, str]], top: list[tuple[str, str]], indent: str
) -> None:
    """The answers-file shape itself (top-level keys, one indented mapping), any values."""
    text = "".join(f"{k}: {v}\n" for k, v in top) + "answers:\n"
    text += "".join(f"{indent}{k}: {v}\n" for k, v in values)
    assert_same_or_aside(text)


def test_large_files_go_to_the_yaml_reader_before_any_work() -> None:
    """A file far larger than any answers file is not even split into lines here."""
    assert yamlio._parse_plain("answers: [" + "1," * 10_000 + "1]\n") is yamlio._NOT_PLAIN
    assert yamlio._parse_plain("".join(f"k{i}: {i}\n" for i in range(600))) is yamlio._NOT_PLAIN
