"""One way from answers to a report: read, summarise, render, save.

``run``, ``--answers``, the TUI's save and the plain consultation all call these
functions, so the same answers and date give the same bytes from each of them. It sits
outside the core because rendering needs Jinja2 (and reading a FHIR response, the fhir
package); each of those is imported only by the function that needs it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from decision_aid.core.answers import ANSWERS_FORMAT, AnswerSet, dump_answers, parse_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.fileio import ensure_folder, write_together
from decision_aid.core.yamlio import load_data_file

if TYPE_CHECKING:
    from decision_aid.core.summary import Summary

ReportFormat = Literal["md", "html"]


def read_answers(path: Path, bank: QuestionBank, shown: str | None = None) -> AnswerSet:
    """Read and validate any answers file: YAML or JSON (format 1 or 2), or a FHIR R4
    QuestionnaireResponse (told apart by its ``resourceType``)."""
    name = shown or str(path)
    data = load_data_file(path, name)
    if isinstance(data, dict) and "resourceType" in data:
        # fhir.resources costs about 0.2 s to import: only a FHIR input pays.
        from decision_aid.fhir.response import answers_from_response

        return answers_from_response(data, bank, name)
    return parse_answers(data, bank, name)


def consultation_answers(
    bank: QuestionBank, answers: Mapping[str, AnswerValue], date: dt.date
) -> AnswerSet:
    """The answers given in a consultation, validated exactly as an answers file is."""
    data = {"format": ANSWERS_FORMAT, "date": date.isoformat(), "answers": dict(answers)}
    return parse_answers(data, bank, "the consultation")


def summarise(bank: QuestionBank, answers: AnswerSet, date: dt.date) -> Summary:
    """The summary of valid answers, dated by the answers themselves or else ``date``."""
    from decision_aid.core.summary import build_summary

    return build_summary(bank, answers, answers.date or date)


def render(summary: Summary, fmt: ReportFormat = "md") -> str:
    """The report: Markdown, or the self-contained HTML page to print."""
    # Jinja2 and the templates load only when a report is rendered: the consultation's
    # start never pays for them.
    from decision_aid.report.render import render_markdown

    text = render_markdown(summary)
    if fmt == "html":
        from decision_aid.report.html import render_html

        text = render_html(text)
    return text


NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
"""A plain file name: no folders, no hidden files, nothing a shell would misread."""


def name_problem(name: str) -> str:
    """Why ``name`` cannot be used as a report name ("" when it can)."""
    if not name:
        return "Type a name for the report."
    if not NAME.match(name):
        return "Use only letters, digits, '-', '_' and '.', starting with a letter or digit."
    return ""


def report_paths(folder: Path, name: str) -> tuple[Path, Path]:
    """Where a consultation saves ``name``: its report and its answers file."""
    return folder / f"{name}.md", folder / f"{name}.answers.yaml"


def random_part() -> str:
    """The short random part of a proposed report name (no names, nothing guessable)."""
    import secrets  # only when a report is saved: not part of every start

    return secrets.token_hex(3)


def proposed_name(folder: Path, date: dt.date, name_part: Callable[[], str] = random_part) -> str:
    """Date and a short random part, not yet used in ``folder``."""
    name = f"{date.isoformat()}-{name_part()}"
    for attempt in range(2, 100):
        if not any(path.exists() for path in report_paths(folder, name)):
            break
        name = f"{date.isoformat()}-{name_part()}-{attempt}"
    return name


def save_consultation(
    bank: QuestionBank, answers: AnswerSet, date: dt.date, report: Path, answers_file: Path
) -> None:
    """Write the report and its answers file (mode 0600), both or neither.

    Raises:
        DecisionAidError: the answers are not complete (65) or a file cannot be written (73).
    """
    report_text = render(summarise(bank, answers, date))
    answers_text = dump_answers(answers, bank)
    ensure_folder(report.parent)
    # A save is both files or neither: these answers never stand without their report.
    write_together((answers_file, answers_text), (report, report_text))


def shown_path(path: Path) -> str:
    """A folder as people read it: absolute, with ``~`` for the home folder."""
    full = path.resolve()
    try:
        return str(Path("~") / full.relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError):  # not under home, or no home at all
        return str(full)
