"""Running the real command line in-process on generated files, and what every outcome must keep.

The promises checked after every run, whatever the input:

- the exit code is one the contract gives (never 70, an internal error) and there is no
  traceback;
- a report is written whole and readable by its owner only (0600), or not at all: the
  output folder never holds a temporary or partial file;
- every message line starts with the program's name and names the file it is about;
- with ``--json`` there is exactly one JSON line per input.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import stat
from dataclasses import dataclass
from pathlib import Path

from decision_aid.cli import main
from decision_aid.core.bank import QuestionBank
from decision_aid.core.loading import default_questions_dir, load_bank
from tests.helpers import TINY

BANK_NAMES = ["tiny", "shipped"]
"""Every property runs on the tiny test bank and on the shipped bank (``questions/``)."""

DATE = "2026-11-25"


@functools.cache
def bank(name: str) -> QuestionBank:
    """A bank by name; the shipped one must load (a failure here is a failure, not a skip)."""
    if name == "tiny":
        return load_bank(TINY, "tiny")
    assert default_questions_dir().is_dir(), "the shipped question bank is missing"
    return load_bank()


def bank_args(name: str) -> list[str]:
    """The ``--questions`` option for a bank (none for the shipped one)."""
    return ["--questions", str(TINY)] if name == "tiny" else []


@dataclass
class Outcome:
    code: int
    out: str
    err: str


def cli(*argv: str) -> Outcome:
    """``ivig-decision-aid ARGV`` in this process, with stdout and stderr captured."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_no_internal_error(outcome: Outcome) -> None:
    assert outcome.code != 70, outcome.err
    assert "Traceback" not in outcome.err and "internal error" not in outcome.err, outcome.err


def assert_messages_name(outcome: Outcome, *names: str) -> None:
    """Every message line is the program's, and names one of ``names``."""
    lines = outcome.err.splitlines()
    assert lines, "an error without a message"
    for line in lines:
        assert line.startswith("ivig-decision-aid: "), line
        assert any(name in line for name in names), (names, line)


def assert_run_outcome(outcome: Outcome, inputs: list[Path], out_dir: Path) -> None:
    """The promises of ``run --json --out DIR`` with one report per input."""
    assert_no_internal_error(outcome)
    assert outcome.code in (0, 65, 66), outcome
    results = [json.loads(line) for line in outcome.out.splitlines()]
    assert len(results) == len(inputs)
    written = sorted(p.name for p in out_dir.iterdir()) if out_dir.exists() else []
    expected = []
    for source, result in zip(inputs, results, strict=True):
        if "error" in result:
            assert result["input"] == str(source)
            assert result["error"]["exit_code"] in (65, 66)
            assert any(str(source) in line for line in outcome.err.splitlines())
            continue
        report = Path(result["report"]["path"])
        assert report.parent == out_dir
        expected.append(report.name)
        data = report.read_bytes()
        assert hashlib.sha256(data).hexdigest() == result["report"]["sha256"]
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert data.endswith(b"\n") and data.decode("utf-8")
    # Nothing else: no temporary file, no partial report, no report for a bad input.
    assert written == sorted(expected), (written, expected)
    if outcome.code == 0:
        assert outcome.err == ""
    else:
        assert_messages_name(outcome, *(str(p) for p in inputs))
