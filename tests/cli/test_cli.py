"""The command line: exit codes, messages, JSON, atomic private files, determinism."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from decision_aid.cli import main
from tests.helpers import TINY, TINY_ANSWERS

Q = ["--questions", str(TINY)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_writes_report_and_json(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """`run --json` writes the report and prints the contract's result object."""
    answers = write_answers(TINY_ANSWERS, "anna.answers.yaml", date="2026-11-25")
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "run", str(answers), "--out", str(out_dir), "--json", *Q)
    assert (code, err) == (0, "")
    report = out_dir / "anna.md"
    result = json.loads(out)
    assert result["format"] == "ivig-decision-aid/result/1"
    assert result["date"] == "2026-11-25"
    assert result["content_version"] == "test.1"
    assert result["answers"]["treatment.prior"] == ["mycophenolate"]
    assert result["unanswered"] == []
    assert [c["level"] for c in result["considerations"]] == ["stop", "caution", "note", "note"]
    assert result["considerations"][0] == {
        "topic": "prior-treatment",
        "level": "stop",
        "text": "This medicine must be stopped before a pregnancy.",
        "sources": ["triolo-2003"],
    }
    assert result["sources"][0] == {
        "id": "levy-2000",
        "pmid": "10805356",
        "doi": "10.1016/S0049-0172(00)80018-9",
        "url": None,
    }
    assert result["report"] == {
        "path": str(report),
        "sha256": hashlib.sha256(report.read_bytes()).hexdigest(),
    }
    assert stat.S_IMODE(report.stat().st_mode) == 0o600


def test_date_precedence(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's date wins; --date is used when the file has none."""
    dated = write_answers(TINY_ANSWERS, "a.yaml", date="2026-01-02")
    undated = write_answers(TINY_ANSWERS, "b.yaml")
    code, out, _ = run(
        capsys,
        "run",
        str(dated),
        str(undated),
        "--out",
        str(tmp_path),
        "--date",
        "2030-05-06",
        "--json",
        *Q,
    )
    assert code == 0
    assert [json.loads(line)["date"] for line in out.splitlines()] == ["2026-01-02", "2030-05-06"]


def test_out_file_for_one_input(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--out names the report file when there is one input."""
    target = tmp_path / "mine" / "report.md"
    target.parent.mkdir()
    code, _, _ = run(capsys, "run", str(write_answers(TINY_ANSWERS)), "--out", str(target), *Q)
    assert code == 0 and target.read_text(encoding="utf-8").startswith("# ")


def test_several_inputs_bad_one_reported_rest_written(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad file is reported, the good one is still written, the exit is the worst."""
    good = write_answers(TINY_ANSWERS, "good.yaml")
    bad = write_answers({**TINY_ANSWERS, "kidney.egfr": 999}, "bad.yaml")
    code, out, err = run(capsys, "run", str(bad), str(good), "--out", str(tmp_path), "--json", *Q)
    assert code == 65
    assert (tmp_path / "good.md").exists() and not (tmp_path / "bad.md").exists()
    assert err.strip() == (
        f"ivig-decision-aid: {bad}: kidney.egfr: expected a number from 0 to 200 "
        "(mL/min/1.73 m²), or unknown, found 999"
    )
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["error"]["exit_code"] == 65 and first["input"] == str(bad)
    assert second["report"]["path"] == str(tmp_path / "good.md")


def test_missing_input_exits_66(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A missing answers file: exit 66 and its name."""
    code, _, err = run(capsys, "run", str(tmp_path / "nope.yaml"), "--out", str(tmp_path), *Q)
    assert code == 66 and "nope.yaml: no such file" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """Wrong usage: exit 2 and argparse's usage line."""
    code, _, err = run(capsys, "run")
    assert code == 2 and "usage:" in err
    code, _, err = run(capsys, "run", "a.yaml", "--date", "tomorrow")
    assert code == 2 and "expected a date as YYYY-MM-DD" in err


def test_same_report_name_twice_is_a_usage_error(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Two inputs that would write one report are refused before anything is written."""
    a = write_answers(TINY_ANSWERS, "x.yaml")
    b = write_answers(TINY_ANSWERS, "x.json")
    code, _, err = run(capsys, "run", str(a), str(b), "--out", str(tmp_path / "o"), *Q)
    assert code == 2 and "would both write" in err
    assert not (tmp_path / "o").exists()


def test_unwritable_output_exits_73(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """An output folder that cannot be created: exit 73, naming it."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(
        capsys, "run", str(write_answers(TINY_ANSWERS)), "--out", str(blocker / "sub"), *Q
    )
    assert code == 73 and str(blocker / "sub") in err


def test_failed_write_keeps_old_report_and_leaves_no_partial_file(
    tmp_path: Path,
    write_answers: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write that fails half way leaves the old report whole and no temporary file."""
    answers = write_answers(TINY_ANSWERS, "mine.yaml")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "mine.md").write_text("old report\n")

    def fail(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    code, _, err = run(capsys, "run", str(answers), "--out", str(out_dir), *Q)
    assert code == 73 and "no space left on device" in err
    assert sorted(p.name for p in out_dir.iterdir()) == ["mine.md"]
    assert (out_dir / "mine.md").read_text() == "old report\n"


def test_bad_bank_exits_65(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`check` on a broken bank lists the problems and exits 65."""
    import shutil

    bank = tmp_path / "bank"
    shutil.copytree(TINY, bank)
    (bank / "labels.yaml").write_text("report_date: Date\n")
    code, out, err = run(capsys, "check", "--questions", str(bank))
    assert code == 65
    assert f"{bank}/labels.yaml: how_sure: expected this key, found it missing" in err
    assert "FAIL" in out


def test_check_passes_on_tiny_bank(capsys: pytest.CaptureFixture[str]) -> None:
    """`check` prints its table and exits 0 on a valid bank."""
    code, out, _ = run(capsys, "check", *Q)
    assert code == 0 and "schema and references" in out


def test_template_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The template lists every question; filled in, it runs."""
    code, out, _ = run(capsys, "template", *Q)
    assert code == 0
    for question_id in TINY_ANSWERS:
        assert f"\n  {question_id}:\n" in out
    filled = out
    for question_id, value in TINY_ANSWERS.items():
        text = json.dumps(value)
        filled = filled.replace(f"\n  {question_id}:\n", f"\n  {question_id}: {text}\n")
    path = tmp_path / "filled.yaml"
    path.write_text(filled)
    code, _, err = run(capsys, "run", str(path), "--out", str(tmp_path), *Q)
    assert (code, err) == (0, "")


def test_same_bytes_in_two_processes(tmp_path: Path, write_answers: Callable[..., Path]) -> None:
    """Two separate processes (different hash seeds) write the same report bytes."""
    answers = write_answers(TINY_ANSWERS, "same.yaml", date="2026-11-25")
    digests = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "decision_aid", "run", str(answers), "--out", str(out), *Q],
            check=True,
            env=env,
        )
        digests.append(hashlib.sha256((out / "same.md").read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_no_traceback_on_internal_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    write_answers: Callable[..., Path],
) -> None:
    """An unexpected bug still ends with one line and exit 70; --debug shows the traceback."""
    import decision_aid.core.summary as summary

    def boom(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(summary, "build_summary", boom)
    answers = str(write_answers(TINY_ANSWERS))
    code, _, err = run(capsys, "run", answers, "--out", str(tmp_path), *Q)
    assert code == 70 and "internal error: RuntimeError: boom" in err and "Traceback" not in err
    with pytest.raises(RuntimeError):
        main(["run", answers, "--out", str(tmp_path), "--debug", *Q])


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    """--help names run, check and template."""
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("run", "check", "template"):
        assert command in out


def test_real_path_resolves_as_os_path_realpath(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The inputs' real paths (to refuse a report over its own answers file), resolved one
    folder at a time: the same as os.path.realpath for links, dot-dots and missing files."""
    from decision_aid.cli import _real_path

    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.yaml").write_text("x", encoding="utf-8")
    (tmp_path / "folder-link").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "file-link.yaml").symlink_to(tmp_path / "real" / "a.yaml")
    (tmp_path / "real" / "dangling.yaml").symlink_to(tmp_path / "nowhere.yaml")
    (tmp_path / "real" / "up").symlink_to(tmp_path)
    monkeypatch.chdir(tmp_path / "real")
    folders: dict[Path, str] = {}
    for text in [
        "a.yaml",
        "./a.yaml",
        "missing.yaml",
        "file-link.yaml",
        "dangling.yaml",
        "up/real/a.yaml",
        "up/folder-link/../real/a.yaml",
        "../folder-link/a.yaml",
        "../folder-link/file-link.yaml",
        str(tmp_path / "folder-link" / "a.yaml"),
        ".",
        "..",
        "up",
    ]:
        for _ in range(2):  # the second time from what `folders` kept
            assert _real_path(Path(text), folders) == os.path.realpath(Path(text)), text
