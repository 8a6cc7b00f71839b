"""`check` measures the content: grade, example reports, balance, directive words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from decision_aid.cli import main
from decision_aid.core.loading import default_questions_dir


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def bank_copy(tmp_path: Path) -> Path:
    """A copy of the shipped bank, with no examples beside it."""
    folder = tmp_path / "questions"
    shutil.copytree(default_questions_dir(), folder)
    return folder


def edit_statement(folder: Path, statement_id: str, text: str) -> None:
    path = folder / "evidence.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for statement in data["statements"]:
        if statement["id"] == statement_id:
            statement["text"] = text
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_check_prints_its_figures_for_the_shipped_bank(capsys: pytest.CaptureFixture[str]) -> None:
    """The worst grade, each example report's grade and the balance table, then exit 0."""
    code, out, err = run(capsys, "check")
    assert (code, err) == (0, "")
    assert "plain language" in out and "worst grade" in out
    examples = sorted(p.stem for p in (default_questions_dir().parent / "examples").glob("*.yaml"))
    assert len(examples) >= 6
    for name in examples:
        assert f"example {name}" in out
    assert "report grade" in out
    lines = out.splitlines()
    header = lines.index(next(line for line in lines if line.split()[-2:] == ["ivig", "standard"]))
    assert lines[header].split() == ["balance", "ivig", "standard"]
    assert [line.split()[0] for line in lines[header + 1 : header + 4]] == [
        "benefit",
        "harm",
        "with",
    ]


def test_directive_words_fail_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement that tells the reader what to do fails `check` with exit 65."""
    folder = bank_copy(tmp_path)
    edit_statement(folder, "ivig-five-days", "You should ask for IVIG. [@kaya-2024]")
    code, out, err = run(capsys, "check", "--questions", str(folder))
    assert code == 65
    assert "directive language" in out and "FAIL" in out
    assert f"{folder}/evidence.yaml: statements[" in err and "'you should'" in err


def test_hard_text_fails_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A statement above grade 8 fails `check` and is named with its grade."""
    folder = bank_copy(tmp_path)
    edit_statement(
        folder,
        "ivig-five-days",
        "Immunomodulatory intravenous immunoglobulin administration necessitates "
        "multidisciplinary institutional coordination. [@kaya-2024]",
    )
    code, out, err = run(capsys, "check", "--questions", str(folder))
    assert code == 65
    assert "(ivig-five-days).text: expected plain language at grade 8 or lower" in err


def test_unbalanced_options_fail_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Turning most standard-care harms into uncertainty leaves the options unbalanced."""
    folder = bank_copy(tmp_path)
    path = folder / "evidence.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for statement in data["statements"]:
        if statement["option"] == "standard" and statement["kind"] == "harm":
            statement["kind"] = "uncertainty"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    code, _, err = run(capsys, "check", "--questions", str(folder))
    assert code == 65
    assert "balance of harm statements" in err
