"""The command line: the consultation (default), ``run``, ``check``, ``template``, ``export``.

Each command parses, calls the core, and turns a :class:`DecisionAidError` into one
message on stderr and the contract's exit code. stdout carries only data (reports'
JSON, the template), so it can be piped. Textual is imported only to open the
consultation: the headless commands never load it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from decision_aid import __version__
from decision_aid.errors import (
    EXIT_OK,
    DecisionAidError,
    Problem,
    UsageError,
)

if TYPE_CHECKING:
    from decision_aid.core.answers import AnswerSet
    from decision_aid.core.bank import QuestionBank

EXIT_SOFTWARE = 70
"""An internal error (a bug): still one message, never a traceback without --debug."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, found {text!r}") from None


def build_parser() -> argparse.ArgumentParser:
    """The parser for every command (the contract's commands and flags)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--questions",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="use an edited copy of the question bank instead of the installed one",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an error",
    )
    parser = argparse.ArgumentParser(
        prog="ivig-decision-aid",
        description="A decision aid about IVIG for people with lupus. "
        "Without a command it opens the consultation in the terminal.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--resume", action="store_true", help="continue the last consultation that was not saved"
    )
    parser.add_argument(
        "--answers", metavar="FILE", type=Path, help="start with the answers in FILE filled in"
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="the same consultation line by line: for screen readers, braille and pipes",
    )
    parser.add_argument(
        "--date",
        dest="consult_date",
        type=_date,
        help="the date the consultation's report carries (default: today)",
    )
    parser.add_argument(
        "--reports-dir",
        metavar="DIR",
        type=Path,
        default=Path("reports"),
        help="where the consultation saves reports (default: ./reports)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="write the report for each answers file (no screen)",
        description="Validate each answers file and write its report (Markdown, or HTML to print).",
    )
    run.add_argument(
        "answers_files",
        metavar="ANSWERS",
        nargs="+",
        type=Path,
        help="answers file (.yaml, .yml or .json), or a FHIR R4 QuestionnaireResponse (.json)",
    )
    run.add_argument(
        "--out",
        metavar="PATH",
        type=Path,
        help="a file for one input, or a folder for several (default: ./reports)",
    )
    run.add_argument(
        "--date", type=_date, help="report date when the answers file has none (default: today)"
    )
    run.add_argument(
        "--json", action="store_true", help="print one JSON result per input (JSON Lines)"
    )
    run.add_argument(
        "--format",
        choices=["md", "html"],
        default="md",
        help="md: the Markdown report (default); html: one self-contained page to print",
    )
    run.add_argument(
        "--fhir",
        action="store_true",
        help="also write the answers as a FHIR R4 QuestionnaireResponse (NAME.fhir.json)",
    )

    commands.add_parser(
        "check",
        parents=[common],
        help="validate the question bank and measure its content",
        description="Check the content: schema, citations, sources, branching, "
        "plain language, balance.",
    )
    commands.add_parser(
        "template",
        parents=[common],
        help="print a complete answers file to fill in",
        description="Print every question id, its allowed values and when it is asked.",
    )
    export = commands.add_parser(
        "export",
        parents=[common],
        help="write the question bank for other tools (FHIR R4 Questionnaire)",
        description="Write the question bank as a FHIR R4 Questionnaire (JSON).",
    )
    export.add_argument(
        "what", choices=["questionnaire"], help="questionnaire: a FHIR R4 Questionnaire"
    )
    export.add_argument(
        "--out", metavar="FILE", type=Path, help="write to FILE (default: standard output)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the contract's sysexits)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    debug = getattr(args, "debug", False)
    handler: Callable[[argparse.Namespace], int] = {
        "run": _command_run,
        "check": _command_check,
        "template": _command_template,
        "export": _command_export,
    }.get(args.command or "", _command_consult)
    try:
        return handler(args)
    except DecisionAidError as exc:
        if debug:
            raise
        _error_lines(exc.lines())
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: still no traceback for the person at the screen
        if debug:
            raise
        _error_lines(
            [f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)"]
        )
        return EXIT_SOFTWARE


def _error_lines(lines: list[str]) -> None:
    # stderr, never stdout: stdout may be piped into another program as data.
    for line in lines:
        print(f"ivig-decision-aid: {_printable(line)}", file=sys.stderr)


def _printable(text: str) -> str:
    """Control and format characters as escapes: text quoted from a file must not drive
    the terminal (colours, title, cursor) or reorder the line (bidirectional overrides)."""
    if text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")
        else ch
        for ch in text
    )


def _print_json(data: object) -> None:
    """One JSON line on stdout, escaping non-ASCII only where stdout cannot carry it
    (a file name that is not UTF-8 reaches Python as a lone surrogate)."""
    line = json.dumps(data, ensure_ascii=False)
    try:
        line.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:
        line = json.dumps(data)
    # Valid in JSON text, but many line readers (Python's splitlines too) end a line there.
    for separator in ("\x85", "\u2028", "\u2029"):
        line = line.replace(separator, f"\\u{ord(separator):04x}")
    print(line, flush=True)


def _load_bank(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from decision_aid.core.loading import load_bank

    folder = getattr(args, "questions", None)
    return load_bank(folder, str(folder) if folder is not None else None)


def _command_template(args: argparse.Namespace) -> int:
    from decision_aid.core.template import answers_template

    sys.stdout.write(answers_template(_load_bank(args)))
    return EXIT_OK


def _command_check(args: argparse.Namespace) -> int:
    from decision_aid.core.loading import default_questions_dir, inspect_bank

    folder = getattr(args, "questions", None)
    label = str(folder) if folder is not None else "questions"
    bank, problems = inspect_bank(folder, label)
    rows: list[tuple[str, str, str]] = []
    if bank is not None:
        rows.append(
            (
                "schema and references",
                "pass",
                f"{len(bank.questions)} questions, "
                f"{len(bank.considerations)} rules, {len(bank.statements)} statements",
            )
        )
        rows.append(
            (
                "sources complete",
                "pass",
                f"{len(bank.sources)} sources, each with PMID, DOI or address",
            )
        )
    else:
        rows.append(("schema and references", "FAIL", f"{len(problems)} problem(s), listed below"))
    balance_rows: list[tuple[str, int, int]] = []
    if bank is not None:
        base = folder if folder is not None else default_questions_dir()
        measured, more, balance_rows = _quality_rows(bank, label, base.parent / "examples")
        rows.extend(measured)
        problems = problems + more
    _print_table(rows)
    if balance_rows:
        print()
        print(f"{'balance':<12}  {'ivig':>4}  {'standard':>8}")
        for measure, ivig, standard in balance_rows:
            name = "with numbers" if measure == "numbers" else measure
            print(f"{name:<12}  {ivig:>4}  {standard:>8}")
    if problems:
        _error_lines([str(p) for p in problems])
        return 65
    return EXIT_OK


def _quality_rows(
    bank: QuestionBank, label: str, examples: Path
) -> tuple[list[tuple[str, str, str]], list[Problem], list[tuple[str, int, int]]]:
    """The measured checks: grade, example reports, balance and directive words."""
    from decision_aid.core import quality
    from decision_aid.pipeline import read_answers, render, summarise

    rows: list[tuple[str, str, str]] = []
    problems: list[Problem] = []

    def verdict(found: list[Problem]) -> str:
        problems.extend(found)
        return "FAIL" if found else "pass"

    grades = quality.check_grades(bank, label)
    worst = grades.worst
    rows.append(
        (
            "plain language",
            verdict(grades.problems),
            (f"worst grade {worst.grade:.1f} ({worst.file}: {worst.where}); " if worst else "")
            + f"{len(grades.graded)} texts graded, limit {quality.GRADE_LIMIT:g}",
        )
    )
    directive = quality.check_directive_bank(bank, label)
    for path in sorted(examples.glob("*.yaml")) if examples.is_dir() else []:
        shown = f"{examples.name}/{path.name}"
        try:
            answers = read_answers(path, bank)
        except DecisionAidError as exc:
            found = exc.problems or [Problem(shown, "", exc.message)]
            rows.append((f"example {path.stem}", verdict(found), exc.message))
            continue
        text = render(summarise(bank, answers, dt.date.today()))
        value, found = quality.check_report_grade(text, shown)
        directive.extend(quality.check_directive_report(text, shown))
        rows.append((f"example {path.stem}", verdict(found), f"report grade {value:.1f}"))
    table, unbalanced = quality.check_balance(bank, label)
    rows.append(
        (
            "balance",
            verdict(unbalanced),
            f"each count at least {quality.BALANCE_RATIO:.0%} of the other option's (below)",
        )
    )
    rows.append(("directive language", verdict(directive), f"{len(directive)} found"))
    return rows, problems, table.rows()


def _print_table(rows: list[tuple[str, str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'check':<{width}}  result  figures")
    for name, result, figures in rows:
        print(f"{name:<{width}}  {result:<6}  {figures}")


def _report_name(answers_path: Path, extension: str = ".md") -> str:
    stem = answers_path.name
    for suffix in (".yaml", ".yml", ".json"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    # NAME.answers.yaml and NAME.fhir.json (what `run --fhir` writes) both give NAME's report.
    stem = stem.removesuffix(".answers").removesuffix(".fhir")
    return f"{stem}{extension}"


def _fhir_path(report: Path) -> Path:
    """Where ``run --fhir`` writes the QuestionnaireResponse: beside the report."""
    return report.with_name(f"{report.name.removesuffix(report.suffix)}.fhir.json")


def _targets(inputs: list[Path], out: Path | None, extension: str = ".md") -> list[Path]:
    """The report path for each input; refuses two inputs that would write one file, and a
    report that would replace an answers file (``run mine.yaml --out mine.yaml``)."""
    if out is not None and len(inputs) == 1 and not out.is_dir() and out.suffix:
        targets = [out]
    else:
        folder = out if out is not None else Path("reports")
        targets = [folder / _report_name(p, extension) for p in inputs]
    folders: dict[Path, str] = {}
    read = {_real_path(p, folders): p for p in inputs}
    seen: dict[Path, Path] = {}
    for source, target in zip(inputs, targets, strict=True):
        # The name the report will take (its own last link is replaced, not followed).
        entry = os.path.join(_real_folder(target.parent, folders), target.name)
        if entry in read:
            raise UsageError(
                f"{target} is the answers file {read[entry]}: the report would replace it; "
                "choose another --out"
            )
        if target in seen:
            raise UsageError(
                f"{seen[target]} and {source} would both write {target}; rename one of them"
            )
        seen[target] = source
    return targets


def _real_path(path: Path, folders: dict[Path, str]) -> str:
    """``os.path.realpath(path)``, resolving each folder once (kept in ``folders``): for
    1,000 inputs in one folder, resolving every part of every path was 3% of ``run``."""
    if path.name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    return os.path.join(_real_folder(path.parent, folders), path.name)


def _real_folder(folder: Path, folders: dict[Path, str]) -> str:
    """``os.path.realpath(folder)``, resolved once per run (kept in ``folders``)."""
    if folder not in folders:
        folders[folder] = os.path.realpath(folder)
    return folders[folder]


@dataclass
class _Pending:
    """An input whose outcome is told once its batch of reports is committed."""

    source: Path
    error: DecisionAidError | None = None
    group: int = -1
    """Its files' group in the batch."""
    result: dict[str, Any] | None = None
    """Its JSON result (with --json)."""


def _command_run(args: argparse.Namespace) -> int:
    """Each input's report, written in batches (core/fileio.py, DurableBatch): up to
    batch_limit() files are written, flushed to disk together, then named in input order,
    and only then is each input's outcome told (its JSON line, or its error), in order.

    Each report is committed before the next input is read where the system has no
    unnamed files (a kill would leave each waiting file behind under its temporary
    name), and with --debug, so that a traceback stops the run where the error happened.
    """
    from decision_aid.core.fileio import DurableBatch, batch_limit, ensure_folder
    from decision_aid.core.result import build_result, error_result
    from decision_aid.pipeline import read_answers, render, summarise

    bank = _load_bank(args)
    targets = _targets(args.answers_files, args.out, f".{args.format}")
    today = args.date or dt.date.today()
    debug = getattr(args, "debug", False)
    limit = 1 if debug else batch_limit()
    worst = EXIT_OK
    pending: list[_Pending] = []

    def commit(batch: DurableBatch) -> None:
        nonlocal worst
        errors = batch.commit()
        for item in pending:
            error = item.error if item.error is not None else errors[item.group]
            if error is None:
                if item.result is not None:
                    _print_json(item.result)
                continue
            if debug:
                raise error
            _error_lines(error.lines())
            worst = max(worst, error.exit_code)
            if args.json:
                _print_json(error_result(str(item.source), error.exit_code, error.lines()))
        pending.clear()

    with DurableBatch(start_writeout=len(targets) > 1) as batch:
        for source, target in zip(args.answers_files, targets, strict=True):
            item = _Pending(source)
            pending.append(item)
            try:
                answers = read_answers(source, bank)
                summary = summarise(bank, answers, today)
                text = render(summary, args.format)
                files = [(target, text)]
                if args.fhir:
                    # fhir.resources costs about 0.2 s to import: only --fhir (or a FHIR
                    # input) pays.
                    from decision_aid.fhir.response import response_json

                    files.append((_fhir_path(target), response_json(bank, answers, summary.date)))
                ensure_folder(target.parent)
                item.group = batch.add(*files)
            except DecisionAidError as exc:
                item.error = exc
            else:
                if args.json:
                    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                    item.result = build_result(summary, dict(answers.answers), str(target), digest)
            if (
                len(batch) >= limit
                or len(pending) >= limit
                or batch.has_temporary_names
                or (debug and item.error)
            ):
                commit(batch)
        commit(batch)
    return worst


def _command_export(args: argparse.Namespace) -> int:
    from decision_aid.fhir.questionnaire import questionnaire_json

    text = questionnaire_json(_load_bank(args))
    if args.out is None:
        sys.stdout.write(text)
        return EXIT_OK
    from decision_aid.core.fileio import ensure_folder, write_private

    ensure_folder(args.out.parent)
    write_private(args.out, text)
    return EXIT_OK


def _command_consult(args: argparse.Namespace) -> int:
    if args.resume and args.answers is not None:
        raise UsageError("use either --resume or --answers, not both")
    bank = _load_bank(args)
    preset = None
    if args.answers is not None:
        from decision_aid.pipeline import read_answers

        preset = read_answers(args.answers, bank)
    if args.plain:
        return _consult_plain(args, bank, preset)
    # Textual costs most of the start-up time; only the consultation needs it.
    from decision_aid.tui.app import run_consultation

    return int(
        run_consultation(
            bank,
            answers=preset,
            reports_dir=args.reports_dir,
            resume=args.resume,
            questions_dir=getattr(args, "questions", None),
            report_date=args.consult_date,
        )
    )


def _consult_plain(args: argparse.Namespace, bank: QuestionBank, preset: AnswerSet | None) -> int:
    """The plain consultation on stdin and stdout (``--plain``)."""
    from decision_aid.core.resume import resume_path
    from decision_aid.plain.consultation import run_plain

    # A byte that is not UTF-8 (typed or piped) reads as a replacement character, and a
    # character the terminal cannot show is written as '?': never a traceback mid-question.
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")
    return run_plain(
        bank,
        reader=sys.stdin,
        writer=sys.stdout,
        answers=preset,
        reports_dir=args.reports_dir,
        resume=args.resume,
        resume_file=resume_path(),
        questions_dir=getattr(args, "questions", None),
        report_date=args.consult_date,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
