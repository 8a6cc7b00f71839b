"""The FHIR commands: export questionnaire, run --fhir, a response as input, and import cost."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from decision_aid.cli import main
from tests.fhir.conftest import ROUND_TRIP
from tests.helpers import TINY, TINY_ANSWERS

Q = ["--questions", str(TINY)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_questionnaire_to_stdout_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`export questionnaire` prints valid R4 JSON; --out writes the same bytes, mode 0600."""
    code, out, err = run(capsys, "export", "questionnaire", *Q)
    assert (code, err) == (0, "")
    Questionnaire.model_validate_json(out)
    target = tmp_path / "deep" / "q.json"
    code, out2, err = run(capsys, "export", "questionnaire", "--out", str(target), *Q)
    assert (code, out2, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_shipped_questionnaire(capsys: pytest.CaptureFixture[str]) -> None:
    """The installed bank exports too (what integrators load)."""
    code, out, err = run(capsys, "export", "questionnaire")
    assert (code, err) == (0, "")
    assert Questionnaire.model_validate_json(out).item


def test_export_needs_a_known_target(capsys: pytest.CaptureFixture[str]) -> None:
    """Only `questionnaire` can be exported: anything else is a usage error (exit 2)."""
    code, _, err = run(capsys, "export", "valueset", *Q)
    assert code == 2 and "questionnaire" in err


def test_export_to_unwritable_place_exits_73(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A folder where the file should go is an output error (exit 73), nothing left behind."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "export", "questionnaire", "--out", str(blocker / "q.json"), *Q)
    assert code == 73 and str(blocker) in err


@pytest.mark.parametrize("path", ROUND_TRIP, ids=lambda p: p.name)
def test_run_fhir_then_run_the_response(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """run --fhir writes NAME.fhir.json beside NAME.md; running that gives the same bytes."""
    first, second = tmp_path / "first", tmp_path / "second"
    code, _, err = run(
        capsys, "run", str(path), "--out", str(first), "--fhir", "--date", "2026-11-25"
    )
    assert (code, err) == (0, "")
    name = path.name.split(".")[0]
    report, response = first / f"{name}.md", first / f"{name}.fhir.json"
    assert sorted(p.name for p in first.iterdir()) == sorted([report.name, response.name])
    assert stat.S_IMODE(response.stat().st_mode) == 0o600
    QuestionnaireResponse.model_validate_json(response.read_text(encoding="utf-8"))
    code, _, err = run(capsys, "run", str(response), "--out", str(second))
    assert (code, err) == (0, "")
    assert (second / f"{name}.md").read_bytes() == report.read_bytes()


def test_run_fhir_with_html_and_json(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """--format html names the page NAME.html; the response still goes beside it."""
    answers = write_answers(TINY_ANSWERS, "anna.answers.yaml", date="2026-11-25")
    code, out, err = run(
        capsys,
        "run",
        str(answers),
        "--out",
        str(tmp_path),
        "--fhir",
        "--format",
        "html",
        "--json",
        *Q,
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["report"]["path"] == str(tmp_path / "anna.html")
    assert (tmp_path / "anna.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "anna.fhir.json").exists()


def test_bad_response_exits_65_naming_file_and_link_id(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """A response with a wrong code: exit 65, one line naming the file and the linkId."""
    answers = write_answers(TINY_ANSWERS, "anna.answers.yaml", date="2026-11-25")
    assert run(capsys, "run", str(answers), "--out", str(tmp_path), "--fhir", *Q)[0] == 0
    response = tmp_path / "anna.fhir.json"
    data = json.loads(response.read_text(encoding="utf-8"))
    data["item"][0]["item"][1]["answer"][0]["valueCoding"]["code"] = "VII"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "run", str(broken), "--out", str(tmp_path / "never"), *Q)
    assert code == 65 and out == ""
    assert err.startswith(f"ivig-decision-aid: {broken}: nephritis.class: expected one of IV, V")
    assert "Traceback" not in err
    assert not (tmp_path / "never").exists() or not any((tmp_path / "never").iterdir())


def test_not_json_response_exits_65(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Broken JSON in a response file is an invalid input with the line number."""
    broken = tmp_path / "r.json"
    broken.write_text('{"resourceType": "QuestionnaireResponse",\n "item": [}', encoding="utf-8")
    code, _, err = run(capsys, "run", str(broken), "--out", str(tmp_path), *Q)
    assert code == 65 and f"{broken}:2" in err


def test_failed_response_write_leaves_no_new_report(
    tmp_path: Path, write_answers: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """If NAME.fhir.json cannot be written (exit 73), the new NAME.md is taken back."""
    answers = write_answers(TINY_ANSWERS, "anna.answers.yaml", date="2026-11-25")
    out = tmp_path / "out"
    (out / "anna.fhir.json").mkdir(parents=True)  # a folder where the file should go
    code, _, err = run(capsys, "run", str(answers), "--out", str(out), "--fhir", *Q)
    assert code == 73 and "anna.fhir.json" in err
    assert sorted(p.name for p in out.iterdir()) == ["anna.fhir.json"]


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_run_without_fhir_does_not_import_fhir_or_markdown_it(
    tmp_path: Path, write_answers: Callable[..., Path]
) -> None:
    """A plain `run` pays for neither fhir.resources nor markdown-it."""
    answers = write_answers(TINY_ANSWERS, "anna.answers.yaml", date="2026-11-25")
    loaded = _modules_after(
        "from decision_aid.cli import main\n"
        f"assert main(['run', {str(answers)!r}, '--out', {str(tmp_path)!r}, "
        f"'--questions', {str(TINY)!r}]) == 0"
    )
    assert not any(m == "fhir" or m.startswith(("fhir.", "fhir_core")) for m in loaded)
    assert "markdown_it" not in loaded
    assert "decision_aid.fhir" not in loaded


def test_core_never_imports_fhir_or_markdown_it() -> None:
    """The headless core stays free of the FHIR models and the HTML renderer."""
    loaded = _modules_after(
        "import decision_aid.core.loading, decision_aid.core.summary, decision_aid.core.answers"
    )
    assert not any(m.startswith(("fhir", "markdown_it", "decision_aid.fhir")) for m in loaded)
