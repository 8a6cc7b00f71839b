"""Answers as a FHIR R4 ``QuestionnaireResponse``, both ways.

Writing: the asked and answered questions, grouped by section as in the Questionnaire,
with ``authored`` = the report's date, so the response alone rebuilds the same report.
No subject, author or identifier is written: the program never records who answered.

Reading: the response is checked against the FHIR R4 models, then each item is turned
back into the answers-file value it stands for, and the result goes through the same
checks as an answers file (unknown ids, values, hidden and missing answers). Every
problem names the file and the item's ``linkId``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from decision_aid.core.answers import ANSWERS_FORMAT, UNKNOWN, AnswerSet, parse_answers
from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.conditions import AnswerValue
from decision_aid.errors import AnswerFileError, Problem
from decision_aid.fhir import (
    ASKED_UNKNOWN,
    EXT_DATA_ABSENT_REASON,
    KNOWN_NUMBER,
    QUESTIONNAIRE_URL,
    answer_system,
    known_link_id,
)
from decision_aid.fhir.questionnaire import Resource, coding, known_coding, number_text, to_json

_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
_DATE_PART = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T.*)?$")


def is_fhir_resource(data: Any) -> bool:
    """Whether parsed input is a FHIR resource rather than an answers file."""
    return isinstance(data, dict) and "resourceType" in data


def _answers_for(question: Question, value: AnswerValue) -> list[Resource]:
    if isinstance(question, SeveralQuestion):
        assert isinstance(value, list)
        return [{"valueCoding": coding(question, v)} for v in value]
    if isinstance(question, ChoiceQuestion):
        assert isinstance(value, str)
        return [{"valueCoding": coding(question, value)}]
    if isinstance(question, ScaleQuestion):
        assert isinstance(value, int)
        return [{"valueCoding": coding(question, value)}]
    if isinstance(question, WholeNumberQuestion):
        return [{"valueInteger": value}]
    return [{"valueDecimal": value}]


def _items_for(question: Question, value: AnswerValue) -> list[Resource]:
    """The response items of one answered question (two for a number question)."""
    if not isinstance(question, NumberQuestion):
        return [
            {"linkId": question.id, "text": question.text, "answer": _answers_for(question, value)}
        ]
    code = UNKNOWN if value == UNKNOWN else KNOWN_NUMBER
    items = [
        {
            "linkId": known_link_id(question.id),
            "text": question.text,
            "answer": [{"valueCoding": known_coding(question, code)}],
        }
    ]
    if value != UNKNOWN:
        items.append(
            {
                "linkId": question.id,
                "text": number_text(question),
                "answer": _answers_for(question, value),
            }
        )
    return items


def build_response(bank: QuestionBank, answers: AnswerSet, date: dt.date) -> Resource:
    """The QuestionnaireResponse for valid answers (from ``parse_answers``) on ``date``."""
    groups = []
    for section in bank.bank.sections:
        items = [
            item
            for q in bank.questions
            if q.section == section.id and q.id in answers.answers
            for item in _items_for(q, answers.answers[q.id])
        ]
        if items:
            groups.append({"linkId": section.id, "text": section.title, "item": items})
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{bank.content_version}",
        "status": "completed",
        "authored": date.isoformat(),
    }
    if groups:
        resource["item"] = groups
    return resource


def response_json(bank: QuestionBank, answers: AnswerSet, date: dt.date) -> str:
    """The QuestionnaireResponse as JSON text, checked against the FHIR R4 models first."""
    from decision_aid.fhir.validation import validation_problems

    resource = build_response(bank, answers, date)
    problems = validation_problems(resource, "QuestionnaireResponse")
    # Built from valid answers, it is always valid: a problem here is a bug, not bad input.
    assert not problems, [str(p) for p in problems]
    return to_json(resource)


# --- reading ---------------------------------------------------------------------------------


def _kind_of_value(answer: dict[str, Any]) -> str:
    keys = [k for k in answer if k.startswith(("value", "_value"))]
    return ", ".join(sorted(keys)) if keys else "no value"


class _Reader:
    """Turns one response's items into answers-file values, collecting problems."""

    def __init__(self, bank: QuestionBank, shown: str) -> None:
        self.bank = bank
        self.shown = shown
        self.values: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.known = set(bank.question_ids)
        self.number_of = {
            known_link_id(q.id): q for q in bank.questions if isinstance(q, NumberQuestion)
        }
        """Choice items "I know the number / Not known", by linkId, to their question."""
        self.said: dict[str, tuple[str, str]] = {}
        """Per number question: what its choice item says (code, where), if answered."""
        self.seen: set[str] = set()

    def read(self, items: list[dict[str, Any]]) -> None:
        """Read every item, then join each number question's two items into one answer."""
        self.items(items, "")
        for question_id, (code, at) in self.said.items():
            if code == UNKNOWN:
                if question_id in self.values:
                    self.problem(
                        question_id,
                        f"expected no number when {known_link_id(question_id)} says "
                        f"{UNKNOWN!r} ({at}), found {self.values[question_id]!r}",
                    )
                    continue
                self.values[question_id] = UNKNOWN
            # KNOWN_NUMBER: the decimal item's answer, or none (a required question then
            # says so, as for any question left empty).

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.shown, where, message))

    def items(self, items: list[dict[str, Any]], path: str) -> None:
        for index, item in enumerate(items):
            self.item(item, f"{path}item[{index}]")

    def item(self, item: dict[str, Any], path: str) -> None:
        link_id = item.get("linkId")
        if not isinstance(link_id, str):
            self.problem(path, "expected a linkId (a question id or a section id), found none")
            return
        answers = item.get("answer") or []
        children = item.get("item") or []
        if link_id in self.number_of:
            self.known_item(self.number_of[link_id], item, path)
            return
        if link_id not in self.known:
            if answers:
                # parse_answers says "unknown id" and suggests the closest real one.
                self.values.setdefault(link_id, None)
            self.items(children, f"{path}.")
            return
        if children:
            self.problem(link_id, f"expected no items inside a question, found some at {path}")
        for a_index, answer in enumerate(answers):
            if answer.get("item"):
                self.problem(
                    link_id,
                    f"expected no items inside an answer, found some at {path}.answer[{a_index}]",
                )
        if link_id in self.seen:
            self.problem(link_id, f"expected one item per question, found a second one at {path}")
            return
        self.seen.add(link_id)
        if not answers:
            return  # an item without an answer is a question not answered
        question = self.bank.question(link_id)
        value = self.value(question, answers, path)
        if value is not None:
            self.values[link_id] = value

    def known_item(self, question: NumberQuestion, item: dict[str, Any], path: str) -> None:
        """A number question's choice item: is the number known (then read it) or not."""
        link_id = known_link_id(question.id)
        if item.get("item"):
            self.problem(link_id, f"expected no items inside a question, found some at {path}")
        if link_id in self.seen:
            self.problem(link_id, f"expected one item per question, found a second one at {path}")
            return
        self.seen.add(link_id)
        answers = item.get("answer") or []
        if not answers:
            return
        at = f"{path}.answer[0]"
        expected = (
            f"expected one valueCoding, {KNOWN_NUMBER!r} or {UNKNOWN!r} from "
            f"{answer_system(question.id)}"
        )
        if len(answers) > 1:
            self.problem(link_id, f"{expected}, found {len(answers)} answers at {path}")
            return
        code = answers[0].get("valueCoding")
        if not isinstance(code, dict):
            self.problem(link_id, f"{expected}, found {_kind_of_value(answers[0])} at {at}")
            return
        value, system = code.get("code"), code.get("system")
        if system not in (None, answer_system(question.id)):
            self.problem(link_id, f"{expected}, found a code from {system} at {at}.valueCoding")
            return
        if value not in (KNOWN_NUMBER, UNKNOWN):
            self.problem(link_id, f"{expected}, found {value!r} at {at}.valueCoding")
            return
        self.said[question.id] = (value, at)

    def value(self, question: Question, answers: list[dict[str, Any]], path: str) -> Any:
        where = question.id
        if not isinstance(question, SeveralQuestion) and len(answers) > 1:
            self.problem(
                where,
                f"expected one answer (the question does not repeat), found {len(answers)} "
                f"at {path}",
            )
            return None
        out: list[Any] = []
        for index, answer in enumerate(answers):
            at = f"{path}.answer[{index}]"
            got = self.one(question, answer, at)
            if got is None:
                return None
            out.append(got)
        return out if isinstance(question, SeveralQuestion) else out[0]

    def one(self, question: Question, answer: dict[str, Any], at: str) -> Any:
        where = question.id
        if isinstance(question, ChoiceQuestion | SeveralQuestion | ScaleQuestion):
            code = answer.get("valueCoding")
            if not isinstance(code, dict):
                self.problem(
                    where, f"expected a valueCoding, found {_kind_of_value(answer)} at {at}"
                )
                return None
            system = code.get("system")
            if system is not None and system != answer_system(question.id):
                self.problem(
                    where,
                    f"expected a code from {answer_system(question.id)}, found one from "
                    f"{system} at {at}.valueCoding",
                )
                return None
            value = code.get("code")
            if not isinstance(value, str):
                self.problem(where, f"expected a code, found none at {at}.valueCoding")
                return None
            if isinstance(question, ScaleQuestion):
                if not re.fullmatch(r"-?\d+", value):
                    points = range(question.minimum, question.maximum + 1)
                    self.problem(
                        where,
                        f"expected one of the codes {', '.join(str(n) for n in points)}, "
                        f"found {value!r} at {at}.valueCoding",
                    )
                    return None
                return int(value)
            return value
        if isinstance(question, WholeNumberQuestion):
            if "valueInteger" not in answer:
                self.problem(
                    where, f"expected a valueInteger, found {_kind_of_value(answer)} at {at}"
                )
                return None
            return answer["valueInteger"]
        assert isinstance(question, NumberQuestion)
        if "valueDecimal" in answer:
            return answer["valueDecimal"]
        # Responses written before the choice item said "not known" this way: still read.
        extensions = (answer.get("_valueDecimal") or {}).get("extension") or []
        reasons = [e.get("valueCode") for e in extensions if e.get("url") == EXT_DATA_ABSENT_REASON]
        if reasons == [ASKED_UNKNOWN] or reasons == ["unknown"]:
            return UNKNOWN
        self.problem(
            where,
            f"expected a valueDecimal ('not known' is the answer {UNKNOWN!r} to "
            f"{known_link_id(question.id)}), found {_kind_of_value(answer)} at {at}",
        )
        return None


def report_date(authored: str) -> str | None:
    """The report's date (YYYY-MM-DD) from ``authored``, or ``None`` if it has no full date.

    The day the answers were given where they were given: the date in the time zone
    ``authored`` gives itself, never converted (``2026-12-04T23:30:00-05:00`` is
    2026-12-04, and ``2026-12-04T23:30:00Z`` too; LHC-Forms writes UTC, with ``Z``).
    """
    match = _DATE_PART.match(authored)
    if not match:
        return None
    if authored != match.group(1):
        try:
            # The time must be a real one: fhir.resources checks its pattern, not its values.
            when = dt.datetime.fromisoformat(authored)
        except ValueError:
            return None
        # An aware datetime's date() is its own local date: the same as the date written.
        return when.date().isoformat()
    try:
        return dt.date.fromisoformat(authored).isoformat()
    except ValueError:
        return None


def _check_header(data: dict[str, Any], shown: str) -> tuple[str | None, list[Problem]]:
    problems: list[Problem] = []
    canonical = data.get("questionnaire")
    if canonical is not None:
        url = str(canonical).split("|", 1)[0]
        if url != QUESTIONNAIRE_URL:
            problems.append(
                Problem(
                    shown,
                    "questionnaire",
                    f"expected a response to {QUESTIONNAIRE_URL}, found one to {canonical!r}",
                )
            )
    status = data.get("status")
    if status not in _STATUSES:
        # fhir.resources checks that a status is there, not that it is one of R4's codes.
        problems.append(
            Problem(shown, "status", f"expected one of {', '.join(_STATUSES)}, found {status!r}")
        )
    elif status == "entered-in-error":
        problems.append(
            Problem(
                shown,
                "status",
                "expected a response in use, found one marked 'entered-in-error'",
            )
        )
    date: str | None = None
    authored = data.get("authored")
    if isinstance(authored, str):
        date = report_date(authored)
        if date is None:
            problems.append(
                Problem(
                    shown,
                    "authored",
                    f"expected a full date (YYYY-MM-DD, a time may follow), found {authored!r}",
                )
            )
    return date, problems


def answers_from_response(data: Any, bank: QuestionBank, shown: str) -> AnswerSet:
    """Validate a QuestionnaireResponse and turn it into answers, as an answers file would.

    Raises:
        InvalidInputError: not a valid FHIR R4 QuestionnaireResponse (exit 65).
        AnswerFileError: the answers do not fit the bank (exit 65), naming each linkId.
    """
    from decision_aid.fhir.validation import check_resource

    if not isinstance(data, dict) or data.get("resourceType") != "QuestionnaireResponse":
        found = data.get("resourceType") if isinstance(data, dict) else None
        raise AnswerFileError(
            f"{shown}: expected a QuestionnaireResponse",
            [
                Problem(
                    shown,
                    "resourceType",
                    f"expected 'QuestionnaireResponse' (or an answers file), found {found!r}",
                )
            ],
        )
    check_resource(data, shown)
    date, problems = _check_header(data, shown)
    reader = _Reader(bank, shown)
    reader.read(data.get("item") or [])
    problems += reader.problems
    if problems:
        raise AnswerFileError(f"{shown}: {len(problems)} problem(s)", problems)
    document: dict[str, Any] = {"format": ANSWERS_FORMAT, "answers": reader.values}
    if date is not None:
        document["date"] = date
    return parse_answers(document, bank, shown)
