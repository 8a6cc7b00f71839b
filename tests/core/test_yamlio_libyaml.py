"""The libyaml-backed reader reads exactly what the pure-Python strict reader reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_aid.core import yamlio
from decision_aid.errors import InvalidInputError

ROOT = Path(__file__).resolve().parents[2]
EVERY_YAML = sorted(
    p
    for folder in ("questions", "tests", "reports")
    for p in (ROOT / folder).rglob("*.y*ml")
    if "__snapshots__" not in p.parts
)


STRICT_CASES = [
    "a: no\nb: yes\nc: on\nd: off\ne: true\nf: None\n",
    "a: &x [1, 2]\nb: *x\n",
    "answers:\n  kidney.egfr: 40\n  kidney.egfr: 50\n",
    "answers:\n  a: [1, 2\n",
    "a: 045\nb: 1:30\nc: 0x1F\nd: 1_000\ne: 0o17\nf: 1.5e3\ng: .inf\nh: -.5\n",
    "a: !!int abc\n",
    "d: 2026-02-30\n",
    'a: "\\ud800"\n',
    "[1, 2]: x\n",
    "a: 1\n\tb: 2\n",
    "- a\nb: 1\n",
    "a: b: c\n",
    '"abc\n',
    "x: " + "9" * 101 + "\n",
    "a:\n  - {b: 1, b: 2}\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n---\nb: 2\n",
    "",
    "# only a comment\n",
    "a: |\n  line one\n   line two\n\n  after a gap\nb: >-\n  folded\n  text\n",
    "a: 'it''s'\nb: \"tab\\there\"\nc: ~\nd: null\ne: ''\n",
    "\ufeffa: 1\n",
    "a: \x85b\n",
    "{a: 1, b: [x, y, {c: d}]}\n",
    "? a\n: 1\n",
]


def outcome(text: str, loader: Any) -> Any:
    """The data, or the error's kind and line, that ``loader`` gives for ``text``."""
    try:
        return ("data", yaml.load(text, Loader=loader))  # noqa: S506 - strict SafeLoaders
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return ("error", mark.line if mark else None)
    except (yaml.YAMLError, ValueError, RecursionError):
        return ("error", None)


@pytest.mark.parametrize("path", EVERY_YAML, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_file_in_the_repository_reads_the_same(path: Path) -> None:
    """Each bank, answers file and test file: the same data, and libyaml does read it."""
    text = path.read_text(encoding="utf-8-sig")
    pure = outcome(text, yamlio.StrictLoader)
    fast = outcome(text, yamlio._FastStrictLoader)
    if pure[0] == "data":
        assert fast == pure
    else:
        assert fast[0] == "error"


@pytest.mark.parametrize("text", STRICT_CASES)
def test_strict_rules_hold_under_libyaml(text: str) -> None:
    """Every strict rule (booleans, numbers, aliases, duplicates...) holds in the fast reader.

    Where both refuse the text, ``parse_yaml`` words the error with the pure reader.
    """
    pure = outcome(text, yamlio.StrictLoader)
    fast = outcome(text, yamlio._FastStrictLoader)
    assert fast[0] == pure[0]
    if pure[0] == "data":
        assert fast == pure


@pytest.mark.parametrize("text", STRICT_CASES)
def test_parse_yaml_says_the_same_with_or_without_libyaml(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same data or the same message and line, whichever reader parse_yaml uses."""

    def result() -> Any:
        try:
            return ("data", yamlio.parse_yaml(text, "x.yaml"))
        except InvalidInputError as exc:
            return ("error", exc.lines(), [(p.message, p.line) for p in exc.problems])

    with_libyaml = result()
    monkeypatch.setattr(yamlio, "_CParser", None)
    assert result() == with_libyaml


def test_libyaml_is_there() -> None:
    """PyYAML's wheels carry libyaml; without it every start reads the bank 4 times slower."""
    assert yamlio._CParser is not None
