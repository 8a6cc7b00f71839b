"""Answers files (format 2; format 1 still read): reading, validating against the bank,
and writing back.

Every rule of the contract is checked, and every problem is collected, so one run
tells the person everything that is wrong with their file. Format 1 differs in one
question: its ``iga.past_reaction`` (asked only with low IgA) is read as
``allergy.past_reaction``, and where a format 1 file has none, that question counts as
not asked (``AnswerSet.not_asked``), never as a required answer missing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.branching import asked_questions, describe_asked_when
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.yamlio import load_data_file
from decision_aid.errors import AnswerFileError, Problem

ANSWERS_FORMAT = "ivig-decision-aid/answers/2"
"""The format every answers file is written in."""
FORMAT_1 = "ivig-decision-aid/answers/1"
"""The earlier format, still read."""
UNKNOWN = "unknown"

FORMAT_1_RENAMED = {"iga.past_reaction": "allergy.past_reaction"}
"""Format 1 ids read as another id of format 2 (the contract's one change of meaning)."""
FORMAT_1_UNASKED = ("allergy.past_reaction",)
"""Required questions of format 2 that format 1 did not ask of everyone: absent from a
format 1 file, they count as not asked."""


@dataclass(frozen=True)
class AnswerSet:
    """Valid answers to the asked questions, in bank order, and the report date if given."""

    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    date: dt.date | None = None
    not_asked: frozenset[str] = frozenset()
    """Questions the answers file could not have answered (a format 1 file without
    ``iga.past_reaction``): the report says they were not asked, not that they were
    left unanswered. Empty for every format 2 file."""


def _show(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, list):
        return "a list" if len(repr(value)) > 60 else repr(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, dt.date):  # YAML reads 2026-01-01 as a date: show it as written
        return value.isoformat()
    return repr(value)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def expected_text(question: Question) -> str:
    """What an answer to ``question`` must be, as a phrase after "expected"."""
    if isinstance(question, ChoiceQuestion):
        return "one of " + ", ".join(o.value for o in question.options)
    if isinstance(question, SeveralQuestion):
        values = ", ".join(o.value for o in question.options)
        alone = " ".join(f"({v} only on its own)" for v in question.exclusive)
        return f"a list of one or more of {values}" + (f" {alone}" if alone else "")
    if isinstance(question, WholeNumberQuestion):
        unit = f" ({question.unit})" if question.unit else ""
        return f"a whole number from {question.minimum} to {question.maximum}{unit}"
    if isinstance(question, NumberQuestion):
        unit = f" ({question.unit})" if question.unit else ""
        low, high = _number_text(question.minimum), _number_text(question.maximum)
        return f"a number from {low} to {high}{unit}, or {UNKNOWN}"
    return f"a whole number from {question.minimum} to {question.maximum}"


def check_value(question: Question, value: Any) -> tuple[AnswerValue | None, str | None]:
    """Normalise one answer, or say why it is not allowed.

    Returns:
        ``(value, None)`` when valid, or ``(None, "expected …, found …")``.
    """
    # The message is written only for a wrong answer: writing it for every answer was a
    # third of the time spent checking a valid file (bench/run.py figure 2).
    if isinstance(question, ChoiceQuestion):
        allowed = [o.value for o in question.options]
        if isinstance(value, str) and value in allowed:
            return value, None
        return None, _wrong(question, value) + _did_you_mean(value, allowed)
    if isinstance(question, SeveralQuestion):
        items = value if isinstance(value, list) else [value]
        allowed = [o.value for o in question.options]
        if not items:
            return None, f"expected {expected_text(question)}, found an empty list"
        for item in items:
            if not isinstance(item, str) or item not in allowed:
                return None, (
                    f"expected {expected_text(question)}, found {_show(item)}"
                    + _did_you_mean(item, allowed)
                )
        if len(set(items)) != len(items):
            return None, f"expected each choice once, found {_show(items)}"
        for alone in question.exclusive:
            if alone in items and len(items) > 1:
                return None, f"expected {alone!r} on its own, found it with other choices"
        # Bank order, so the same choices always give the same report.
        return [v for v in allowed if v in items], None
    if isinstance(question, NumberQuestion) and value == UNKNOWN:
        return UNKNOWN, None
    if isinstance(question, WholeNumberQuestion | ScaleQuestion):
        if isinstance(value, bool) or not isinstance(value, int):
            return None, _wrong(question, value)
        if not question.minimum <= value <= question.maximum:
            return None, _wrong(question, value)
        return value, None
    if isinstance(question, NumberQuestion):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, _wrong(question, value)
        if not math.isfinite(value) or not question.minimum <= value <= question.maximum:
            return None, _wrong(question, value)
        return (int(value) if isinstance(value, int) else float(value)), None
    raise AssertionError(f"unhandled question kind {question!r}")  # pragma: no cover


def _wrong(question: Question, value: object) -> str:
    return f"expected {expected_text(question)}, found {_show(value)}"


def _did_you_mean(value: object, allowed: list[str]) -> str:
    if not isinstance(value, str):
        return ""
    guess = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    return f" (did you mean {guess[0]!r}?)" if guess else ""


def _parse_date(value: object, shown: str) -> tuple[dt.date | None, Problem | None]:
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return None, Problem(shown, "date", f"expected a date as YYYY-MM-DD, found {_show(value)}")
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            pass
    return None, Problem(shown, "date", f"expected a date as YYYY-MM-DD, found {_show(value)}")


def parse_answers(data: Any, bank: QuestionBank, shown: str) -> AnswerSet:
    """Validate parsed answers-file data against ``bank``.

    Raises:
        AnswerFileError: listing every problem (exit 65).
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise AnswerFileError(
            f"{shown}: expected a mapping with format and answers",
            [
                Problem(
                    shown,
                    "",
                    f"expected a mapping with 'format' and 'answers', found {_show(data)}",
                )
            ],
        )
    for key in data:
        if key not in ("format", "date", "answers"):
            guess = difflib.get_close_matches(str(key), ["format", "date", "answers"], n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            problems.append(
                Problem(shown, str(key), f"unknown key{hint}; expected format, date and answers")
            )
    old = data.get("format") == FORMAT_1
    if data.get("format") != ANSWERS_FORMAT and not old:
        problems.append(
            Problem(
                shown,
                "format",
                f"expected {ANSWERS_FORMAT!r} (or {FORMAT_1!r}), found {_show(data.get('format'))}",
            )
        )
    date, date_problem = _parse_date(data.get("date"), shown)
    if date_problem:
        problems.append(date_problem)
    raw = data.get("answers")
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                shown,
                "answers",
                f"expected a mapping of question ids to answers, found {_show(raw)}",
            )
        )
        raise AnswerFileError(f"{shown}: not a valid answers file", problems)

    known = bank.question_ids
    values: dict[str, AnswerValue] = {}
    # Ids whose answer is wrong or mistyped: saying they (or what hangs on them) are
    # missing as well would only repeat the same problem.
    unsure: set[str] = set()
    if old:
        raw, renamed_problems = _from_format_1(raw, shown)
        problems.extend(renamed_problems)
    for key, value in raw.items():
        qid = str(key)
        if qid in FORMAT_1_RENAMED and not old:
            problems.append(
                Problem(
                    shown,
                    qid,
                    "expected a question id of the bank, found the format 1 id of "
                    f"{FORMAT_1_RENAMED[qid]!r} (asked of everyone in format 2; use that id)",
                )
            )
            unsure.add(FORMAT_1_RENAMED[qid])
            continue
        if qid not in known:
            guess = difflib.get_close_matches(qid, known, n=1, cutoff=0.5)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            unsure.update(guess)
            # An empty key, or one with spaces around it, is shown quoted so it can be seen.
            where = qid if qid and qid.strip() == qid else repr(qid)
            problems.append(
                Problem(
                    shown, where, f"expected a question id of the bank, found an unknown id{hint}"
                )
            )
            continue
        if value is None:
            # An empty line (as the template leaves it) is a question not answered.
            continue
        normal, reason = check_value(bank.question(qid), value)
        if reason:
            problems.append(Problem(shown, qid, reason))
            unsure.add(qid)
        else:
            assert normal is not None
            values[qid] = normal

    asked = {q.id: q for q in asked_questions(bank, values)}
    # A question hidden only because an answer it depends on is wrong: that answer's
    # message says what to fix; "expected no answer" here would point the wrong way.
    for question in bank.questions:
        if question.id in values and question.id not in asked:
            if any(rule.question in unsure for rule in question.asked_when):
                unsure.add(question.id)
    for qid, value in values.items():
        if qid not in asked and qid not in unsure:
            question = bank.question(qid)
            problems.append(
                Problem(
                    shown,
                    qid,
                    "expected no answer, because this question is asked only when "
                    f"{describe_asked_when(bank, question)}; found {_show(value)}",
                )
            )
    not_asked = frozenset(q for q in FORMAT_1_UNASKED if old and q in asked and q not in values)
    for qid, question in asked.items():  # bank order: conditions only look back
        if any(rule.question in unsure for rule in question.asked_when):
            # Whether it is asked hangs on an answer that is wrong or missing: say that once.
            unsure.add(qid)
            continue
        if question.required and qid not in values and qid not in unsure | not_asked:
            unsure.add(qid)
            problems.append(
                Problem(
                    shown,
                    qid,
                    "expected an answer (this question is required here): "
                    f"{expected_text(question)}; found none",
                )
            )
    if problems:
        raise AnswerFileError(f"{shown}: {len(problems)} problem(s)", problems)
    ordered = {qid: values[qid] for qid in known if qid in values}
    return AnswerSet(answers=ordered, date=date, not_asked=not_asked)


def _from_format_1(raw: dict[Any, Any], shown: str) -> tuple[dict[Any, Any], list[Problem]]:
    """A format 1 answers mapping with its renamed ids read as their format 2 ids."""
    problems: list[Problem] = []
    renamed: dict[Any, Any] = {}
    for key, value in raw.items():
        new = FORMAT_1_RENAMED.get(str(key))
        if new is None:
            renamed.setdefault(key, value)
            continue
        if new in raw:
            problems.append(
                Problem(
                    shown,
                    str(key),
                    f"expected one answer for {new!r} (format 1 calls it {str(key)!r}), "
                    "found both ids",
                )
            )
        renamed[new] = value
    return renamed, problems


def load_answers(path: Path, bank: QuestionBank, shown: str | None = None) -> AnswerSet:
    """Read and validate an answers file (``.yaml``, ``.yml`` or ``.json``)."""
    name = shown or str(path)
    return parse_answers(load_data_file(path, name), bank, name)


_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_+]*$")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "~"}


def _scalar(value: str | int | float) -> str:
    if isinstance(value, int | float):
        return _number_text(value)
    # Quote what any YAML reader (1.1 included) could read as something else.
    if _PLAIN.match(value) and value.lower() not in _YAML11_WORDS - {"none"}:
        return value
    return json.dumps(value)


def dump_answers(answers: AnswerSet, bank: QuestionBank) -> str:
    """An answers file that reads back to exactly ``answers`` (bank order, LF, final newline).

    Format 2, except for answers read from a format 1 file with a question it never asked
    (``not_asked``): format 2 has no way to say so, and those answers are written as the
    format 1 file they came from, so that they read back the same.
    """
    lines = [f"format: {FORMAT_1 if answers.not_asked else ANSWERS_FORMAT}"]
    if answers.date is not None:
        lines.append(f"date: {answers.date.isoformat()}")
    lines.append("answers:" if answers.answers else "answers: {}")
    for qid in bank.question_ids:
        if qid not in answers.answers:
            continue
        value = answers.answers[qid]
        if isinstance(value, list):
            lines.append(f"  {qid}: [{', '.join(_scalar(v) for v in value)}]")
        else:
            lines.append(f"  {qid}: {_scalar(value)}")
    return "\n".join(lines) + "\n"
