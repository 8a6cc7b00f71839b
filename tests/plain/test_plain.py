"""The plain consultation: answer lines in, the same report bytes out, nothing but plain lines."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.core.bank import QuestionBank
from decision_aid.core.branching import asked_questions
from decision_aid.core.consultation import Consultation
from decision_aid.core.loading import load_bank
from decision_aid.core.resume import resume_path
from decision_aid.pipeline import read_answers, render, summarise
from decision_aid.plain import words
from decision_aid.plain.consultation import run_plain
from decision_aid.plain.lines import WIDTH, markdown_lines
from tests.plain.helpers import answer_lines, lines_for

ROOT = Path(__file__).resolve().parents[2]
DATE = dt.date(2026, 11, 25)


def _typable(path: Path) -> bool:
    """Whether a consultation can give these answers: every required question asked is
    answered (a format 1 file may leave one "not asked", which only a file can do)."""
    bank = load_bank(None, None)
    flow = Consultation(bank, read_answers(path, bank).answers)
    return not flow.missing(flow.clinical + flow.values)


EXAMPLES = [p for p in sorted((ROOT / "examples").glob("*.yaml")) if _typable(p)]


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank(None, None)


def plain(
    bank: QuestionBank, lines: list[str], reports: Path, **options: object
) -> tuple[int, str]:
    """Run the plain consultation in this process on ``lines``; (exit code, output)."""
    out = io.StringIO()
    code = run_plain(
        bank,
        reader=io.StringIO("".join(f"{line}\n" for line in lines)),
        writer=out,
        reports_dir=reports,
        resume_file=resume_path(),
        report_date=DATE,
        name_part=lambda: "abc123",
        **options,  # type: ignore[arg-type]
    )
    return code, out.getvalue()


def check_plain_lines(output: str) -> None:
    """No escape or other control code, and no line longer than a braille line."""
    assert "\x1b" not in output
    assert all(ch == "\n" or ch.isprintable() for ch in output)
    longest = max(output.splitlines(), key=len)
    assert len(longest) <= WIDTH, longest


def run_report(source: Path, tmp_path: Path) -> bytes:
    target = tmp_path / "run.md"
    assert main(["run", str(source), "--out", str(target), "--date", DATE.isoformat()]) == 0
    return target.read_bytes()


def test_there_are_examples_to_type() -> None:
    """The test below types at least the six examples a consultation can give."""
    assert len(EXAMPLES) >= 6


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_piped_answer_lines_give_run_s_report(
    example: Path, bank: QuestionBank, tmp_path: Path
) -> None:
    """Every example, typed line by line: the saved report is byte for byte `run`'s, the
    saved answers file rebuilds it, and every line printed is plain and short."""
    code, output = plain(bank, answer_lines(bank, example), tmp_path / "reports")
    assert code == 0
    report = tmp_path / "reports" / "2026-11-25-abc123.md"
    answers = tmp_path / "reports" / "2026-11-25-abc123.answers.yaml"
    assert report.read_bytes() == run_report(example, tmp_path)
    assert run_report(answers, tmp_path) == report.read_bytes()
    assert oct(report.stat().st_mode & 0o777) == "0o600"
    check_plain_lines(output)
    assert "[@" not in output
    assert not resume_path().exists()  # saved: nothing left to resume


def test_the_command_over_a_pipe_with_a_dumb_terminal(bank: QuestionBank, tmp_path: Path) -> None:
    """`ivig-decision-aid --plain` as a person's shell runs it, answers piped in, TERM=dumb:
    exit 0, the report `run` writes, and not one escape byte on stdout or stderr."""
    example = ROOT / "examples" / "pregnant-antiphospholipid-three-losses.yaml"
    environment = {**os.environ, "TERM": "dumb", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "decision_aid", "--plain", "--date", DATE.isoformat()]
        + ["--reports-dir", str(tmp_path / "reports")],
        input="".join(f"{line}\n" for line in answer_lines(bank, example)).encode(),
        capture_output=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"\x1b" not in done.stdout + done.stderr
    check_plain_lines(done.stdout.decode("utf-8"))
    (report,) = (tmp_path / "reports").glob("*.md")
    assert report.read_bytes() == run_report(example, tmp_path)


def test_every_question_is_asked_in_the_tui_s_order(bank: QuestionBank, tmp_path: Path) -> None:
    """The questions come in bank order, the clinical ones before the review and the
    values after it, each question's own text shown once."""
    example = ROOT / "examples" / "several-unknowns.yaml"
    _, output = plain(bank, answer_lines(bank, example), tmp_path)
    flat = " ".join(output.split())
    places = [flat.index(q.text) for q in bank.questions if q.text in flat]
    assert places == sorted(places)
    review = flat.index("Your answers so far")
    values = [s.id for s in bank.bank.sections if s.step == "values"]
    for question in bank.questions:
        if question.text in flat:
            after = question.section in values
            assert (flat.index(question.text) > review) == after, question.id


def test_back_why_skip_and_a_wrong_answer(bank: QuestionBank, tmp_path: Path) -> None:
    """`b` asks the question before again (its answer shown, Enter keeps it); `?` says why
    with no raw citation marker; a wrong number is asked again; Enter skips an optional
    question and nothing is recorded for it."""
    example = ROOT / "examples" / "nephritis-class-iv-after-mycophenolate.yaml"
    lines = answer_lines(bank, example)
    # After the first answer: go back, keep it, ask why, type a wrong number, then go on.
    edited = [lines[0], "b", "", "?", "99", *lines[1:]]
    code, output = plain(bank, edited, tmp_path)
    assert code == 0
    assert "Your answer now: Yes, a kidney biopsy showed it." in output
    assert "Why we ask:" in output and "[@" not in output
    assert "99 is not one of the numbers shown." in output
    assert (tmp_path / "2026-11-25-abc123.md").read_bytes() == run_report(example, tmp_path)


def test_skipping_optional_questions_records_nothing(bank: QuestionBank, tmp_path: Path) -> None:
    """Enter on every optional question: the saved answers have none of them."""
    example = ROOT / "examples" / "nephritis-class-iv-after-mycophenolate.yaml"
    given = read_answers(example, bank).answers
    optional_ids = {q.id for q in bank.questions if not q.required}
    assert optional_ids & set(given)  # the example answers some: skipping them is a change
    required = {k: v for k, v in given.items() if k not in optional_ids}
    code, output = plain(bank, lines_for(bank, required), tmp_path)
    assert code == 0
    saved = (tmp_path / "2026-11-25-abc123.answers.yaml").read_text()
    assert not any(qid in saved for qid in optional_ids)
    check_plain_lines(output)


def test_a_stop_point_is_printed_as_soon_as_its_answer_is_given(
    bank: QuestionBank, tmp_path: Path
) -> None:
    """IgA deficiency with antibodies raises a "take care" point, and a past reaction then
    a "stop" point: each printed right after its answer, before the next question, in the
    report's own words for the level."""
    example = ROOT / "examples" / "iga-deficient-with-antibodies.yaml"
    _, output = plain(bank, answer_lines(bank, example), tmp_path)
    flat = " ".join(output.split())
    words = bank.labels.level_words
    asked = [q.id for q in asked_questions(bank, read_answers(example, bank).answers)]
    reaction, clots = asked[asked.index("iga.status") + 1 : asked.index("iga.status") + 3]

    def between(first: str, second: str) -> str:
        start = flat.index(bank.question(first).text)
        return flat[start : flat.index(bank.question(second).text, start)]

    assert f"{words['caution']}: You have very low IgA" in between("iga.status", reaction)
    assert f"{words['stop']}:" not in between("iga.status", reaction)
    assert f"{words['stop']}: You have very low IgA" in between(reaction, clots)
    answering = flat[: flat.index("Your answers so far")]
    raised = re.findall(re.escape(f"{words['stop']}:") + " .{40}", answering)
    assert raised and len(set(raised)) == len(raised)  # each once, not again at each answer


def test_end_of_input_keeps_the_answers_and_resume_finishes(
    bank: QuestionBank, tmp_path: Path
) -> None:
    """Input ending halfway exits non-zero and says the answers are kept; `--plain --resume`
    goes on at the same question and saves the report `run` writes."""
    example = ROOT / "examples" / "low-egfr-clot-history.yaml"
    lines = answer_lines(bank, example)
    code, output = plain(bank, lines[:5], tmp_path)
    assert code == 66
    assert "Your answers are kept" in output and "--plain --resume" in output
    kept = json.loads(resume_path().read_text())
    assert len(kept["answers"]) == 5
    code, output = plain(bank, lines[5:], tmp_path, resume=True)
    assert code == 0, output
    assert " ".join(output.split()).startswith(words.HOW_TO)  # straight to how to answer
    assert (tmp_path / "2026-11-25-abc123.md").read_bytes() == run_report(example, tmp_path)


def test_answers_reads_a_fhir_response(
    bank: QuestionBank,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--answers` reads a FHIR QuestionnaireResponse as `run` does (one pipeline): with
    every answer there, Enter through every question saves the same report."""
    example = ROOT / "examples" / "no-nephritis-cost-worries.yaml"
    out = tmp_path / "fhir"
    assert main(["run", str(example), "--out", str(out), "--fhir"]) == 0
    (response,) = out.glob("*.fhir.json")
    enters = "\n" * len(answer_lines(bank, example))
    monkeypatch.setattr(sys, "stdin", io.StringIO(enters))
    reports = tmp_path / "reports"
    arguments = ["--plain", "--answers", str(response), "--date", DATE.isoformat()]
    assert main([*arguments, "--reports-dir", str(reports)]) == 0
    check_plain_lines(capsys.readouterr().out)
    (report,) = reports.glob("*.md")
    assert report.read_bytes() == run_report(example, tmp_path)


def test_tables_and_emphasis_read_as_plain_lines() -> None:
    """A pipe table reads one row a line, with its headers; no stars, no pipes."""
    text = "## At a glance\n\n**Bold** words.\n\n| Question | Add IVIG | Standard |\n"
    text += "| --- | --- | --- |\n| Cost | High | Low |\n"
    lines = list(markdown_lines(text))
    assert "Bold words." in lines
    assert "- Cost: Add IVIG: High; Standard: Low" in lines
    assert not any("|" in line or "**" in line for line in lines)


def test_the_plain_consultation_never_loads_textual(tmp_path: Path) -> None:
    """`--plain` runs without Textual or rich in the process (import-linter checks the
    imports written down; this catches one made inside a function)."""
    probe = (
        "import io, sys\nsys.stdin = io.StringIO('1\\n')\n"
        "from decision_aid.cli import main\ncode = main(['--plain'])\n"
        "print(code, 'textual' in sys.modules, 'rich' in sys.modules)"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    assert done.stdout.strip().splitlines()[-1] == "66 False False", done.stderr


def test_the_review_changes_one_answer_and_comes_back(bank: QuestionBank, tmp_path: Path) -> None:
    """At the review, a number opens that answer; changing it may remove another (said
    at once), then the review comes again; the report follows the changed answers."""
    example = ROOT / "examples" / "nephritis-class-iv-after-mycophenolate.yaml"
    given = dict(read_answers(example, bank).answers)
    lines = answer_lines(bank, example)
    steps = {s.id: s.step for s in bank.bank.sections}
    # The review's line comes right after the answers to the clinical questions.
    review_at = sum(steps[q.section] == "questions" for q in asked_questions(bank, given))
    assert lines[review_at] == ""
    status = bank.question("nephritis.status")
    none_number = str([o.value for o in status.options].index("none") + 1)  # type: ignore[union-attr]
    changed = [*lines[:review_at], "1", none_number, *lines[review_at:]]
    code, output = plain(bank, changed, tmp_path / "reports")
    assert code == 0, output[-1500:]
    assert output.count("Your answers so far") == 2
    assert f'"{bank.question("nephritis.class").short}" no longer applies' in output
    given["nephritis.status"] = "none"
    del given["nephritis.class"]
    expected = tmp_path / "expected.json"
    expected.write_text(
        json.dumps({"format": "ivig-decision-aid/answers/1", "answers": given}), "utf-8"
    )
    saved = tmp_path / "reports" / "2026-11-25-abc123.md"
    assert saved.read_bytes() == run_report(expected, tmp_path)


def test_a_report_step_shows_at_a_glance_or_the_parts_to_read(
    bank: QuestionBank, tmp_path: Path
) -> None:
    """The steps that show the report between the review and the values: "glance" prints
    the report's first section; any other prints its parts numbered, a number reads one."""
    from decision_aid.core.consultation import SUMMARY, Step
    from decision_aid.plain.consultation import Lines, PlainConsultation, report_sections

    example = ROOT / "examples" / "several-unknowns.yaml"
    answers = read_answers(example, bank)
    sections = report_sections(render(summarise(bank, answers, DATE)))

    def shown(kind: str, typed: str) -> str:
        out = io.StringIO()
        flow = Consultation(bank, answers.answers)
        flow.after = lambda step: SUMMARY  # type: ignore[method-assign]
        plain = PlainConsultation(
            bank,
            Lines(io.StringIO(typed), out),
            consultation=flow,
            start=SUMMARY,
            land=None,
            reports_dir=tmp_path,
            resume_file=resume_path(),
            report_date=DATE,
        )
        assert plain._report_step(Step(kind)) == SUMMARY  # type: ignore[arg-type]
        check_plain_lines(out.getvalue())
        return " ".join(out.getvalue().split())

    def title(section: str) -> str:
        return section.splitlines()[0].removeprefix("## ")

    glance = shown("glance", "\n")
    assert title(sections[0]) in glance and title(sections[1]) not in glance
    parts = shown("evidence", "2\n\n")
    assert f"1. {title(sections[1])}" in parts and f"2. {title(sections[2])}" in parts
    assert parts.count(title(sections[2])) == 2  # listed, then read as asked
    assert parts.count(title(sections[3])) == 1  # listed only
