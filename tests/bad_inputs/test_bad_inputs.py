"""The corpus of bad inputs: each gives its exit code and a message naming the file and the place.

The expectations are data, in ``cases.yaml`` beside this file; see its header for the
format. Every case also keeps the promises that hold for any input: no traceback, no
report or temporary file left, every message line names the file.
"""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_aid.core.loading import BANK_FILES
from decision_aid.core.yamlio import MAX_INPUT_BYTES
from tests.helpers import TINY
from tests.properties.runner import assert_messages_name, assert_no_internal_error, cli

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
ANSWER_CASES: list[dict[str, Any]] = CASES["answers"]
BANK_CASES: list[dict[str, Any]] = CASES["banks"]

VALID = (
    "format: ivig-decision-aid/answers/1\n"
    "answers:\n"
    "  nephritis.status: none\n"
    "  kidney.egfr: 45  # clairance réduite\n"
    "  pregnancy.losses: 0\n"
    "  treatment.prior: [none]\n"
)
"""A valid answers file for the tiny bank, with one non-ASCII letter on line 4."""


def make(recipe: str, text: str) -> bytes | None:
    """The bytes a ``make:`` recipe gives from valid ``text`` (None: no file at all)."""
    if recipe == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if recipe == "utf-16-be-no-bom":
        return text.encode("utf-16-be")
    if recipe == "utf-32":
        return text.encode("utf-32")
    if recipe == "latin-1":
        return (text if "é" in text else text + "# Résumé\n").encode("latin-1")
    if recipe == "binary":
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    if recipe == "nul":
        return text.encode().replace(b"45", b"4\x005")
    if recipe == "too-large":
        return b"#" * MAX_INPUT_BYTES + b"\n" + text.encode()
    assert recipe == "missing", recipe
    return None


def test_corpus_is_complete() -> None:
    """At least 40 answers files and 15 broken banks, each case with its folder or file."""
    assert len(ANSWER_CASES) >= 40 and len(BANK_CASES) >= 15
    stored = {p.name for p in (HERE / "answers").iterdir()}
    named = {c["file"] for c in ANSWER_CASES if "make" not in c}
    assert stored == named, "every stored answers file has a case, and every case its file"
    folders = {p.name for p in (HERE / "banks").iterdir()}
    assert folders == {c["case"] for c in BANK_CASES if (HERE / "banks" / c["case"]).exists()}
    for case in BANK_CASES:
        overlay = HERE / "banks" / case["case"]
        assert overlay.is_dir() or "make" in case or "remove" in case, case
        if overlay.is_dir():
            assert {p.name for p in overlay.iterdir()} <= set(BANK_FILES), case


def bad_answers_file(case: dict[str, Any], tmp_path: Path) -> Path:
    """The case's answers file in ``tmp_path``: made from the valid one, or copied."""
    source = tmp_path / case["file"]
    if "make" in case:
        data = make(case["make"], VALID)
        if data is not None:
            source.write_bytes(data)
    else:
        shutil.copy(HERE / "answers" / case["file"], source)
    return source


@pytest.mark.parametrize("case", ANSWER_CASES, ids=lambda c: c["file"])
def test_bad_answers_file(case: dict[str, Any], tmp_path: Path) -> None:
    """A bad answers file: its exit code, its message after its name, nothing written."""
    source = bad_answers_file(case, tmp_path)
    out = tmp_path / "out"
    bank = ["--questions", str(TINY)] if case.get("bank") != "shipped" else []
    outcome = cli("run", str(source), "--out", str(out), *bank)
    assert_no_internal_error(outcome)
    assert outcome.code == case["exit"], outcome.err
    assert f"{source}{case['message']}" in outcome.err, outcome.err
    assert_messages_name(outcome, str(source))
    assert not out.exists(), "nothing is written for a bad input"


@pytest.mark.parametrize("case", BANK_CASES, ids=lambda c: c["case"])
def test_broken_bank(case: dict[str, Any], tmp_path: Path) -> None:
    """A broken bank: check's exit code, and a message naming the file and the place."""
    bank = tmp_path / "questions"
    shutil.copytree(TINY, bank)
    overlay = HERE / "banks" / case["case"]
    if overlay.is_dir():
        for path in overlay.iterdir():
            shutil.copy(path, bank / path.name)
    for name in case.get("remove", []):
        (bank / name).unlink()
    for name, recipe in case.get("make", {}).items():
        data = make(recipe, (TINY / name).read_text(encoding="utf-8"))
        assert data is not None
        (bank / name).write_bytes(data)
    outcome = cli("check", "--questions", str(bank))
    assert_no_internal_error(outcome)
    assert outcome.code == case["exit"], outcome.err
    assert f"{bank}/{case['message']}" in outcome.err, outcome.err
    assert_messages_name(outcome, f"{bank}/")
    # run refuses the same bank with the same words, before reading any answers file;
    # what only `check` holds (the texts' links to the evidence registry) run accepts.
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    run = cli("run", str(answers), "--out", str(tmp_path / "out"), "--questions", str(bank))
    assert_no_internal_error(run)
    if case.get("check_only"):
        assert run.code == 0, run.err
        return
    assert run.code == case["exit"] and f"{bank}/{case['message']}" in run.err, run.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ANSWER_CASES, ids=lambda c: c["file"])
def test_bad_answers_file_to_start_a_consultation(
    case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--answers FILE` refuses a bad file the same way, before any screen opens."""
    import decision_aid.tui.app

    def must_not_start(*args: object, **kwargs: object) -> int:
        raise AssertionError("the consultation started with a bad answers file")

    monkeypatch.setattr(decision_aid.tui.app, "run_consultation", must_not_start)
    source = bad_answers_file(case, tmp_path)
    bank = ["--questions", str(TINY)] if case.get("bank") != "shipped" else []
    outcome = cli("--answers", str(source), *bank)
    assert_no_internal_error(outcome)
    assert outcome.code == case["exit"], outcome.err
    assert f"{source}{case['message']}" in outcome.err, outcome.err
    assert_messages_name(outcome, str(source))
