"""The question bank as a FHIR R4 ``Questionnaire`` (see the package docstring for the map)."""

from __future__ import annotations

import json
from typing import Any

from decision_aid.core.bank import (
    ChoiceQuestion,
    EnableWhen,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.errors import ContentError, Problem
from decision_aid.fhir import (
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    EXT_OPTION_EXCLUSIVE,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    answer_system,
)

Resource = dict[str, Any]


def _number(value: float) -> int | float:
    # 0.0 and 200.0 in the bank are written 0 and 200, as a person would.
    return int(value) if float(value).is_integer() else float(value)


def coding(question: Question, code: str | int) -> Resource:
    """The ``Coding`` of one answer: the contract's value as code, the label as display."""
    if isinstance(question, ScaleQuestion):
        assert isinstance(code, int)
        display = question.labels[code]
    else:
        assert isinstance(question, ChoiceQuestion | SeveralQuestion)
        display = next(o.label for o in question.options if o.value == code)
    return {"system": answer_system(question.id), "code": str(code), "display": display}


def item_type(question: Question) -> str:
    """The FHIR item type that fits the question's kind."""
    if isinstance(question, WholeNumberQuestion):
        return "integer"
    if isinstance(question, NumberQuestion):
        return "decimal"
    return "choice"


def _enable_when(bank: QuestionBank, question: Question, rule: EnableWhen) -> Resource:
    target = bank.question(rule.question)
    out: Resource = {"question": rule.question, "operator": rule.operator}

    def refuse(why: str) -> ContentError:
        return ContentError(
            f"{question.id}: cannot be written as FHIR enableWhen",
            [Problem("bank.yaml", question.id, f"asked_when on {rule.question}: {why}")],
        )

    if rule.operator == "exists":
        if not isinstance(rule.answer, bool):
            raise refuse(f"expected true or false with 'exists', found {rule.answer!r}")
        out["answerBoolean"] = rule.answer
    elif isinstance(target, ChoiceQuestion | SeveralQuestion):
        if rule.operator not in ("=", "!="):
            raise refuse(f"FHIR compares codes only with = and !=, found {rule.operator!r}")
        out["answerCoding"] = {"system": answer_system(target.id), "code": str(rule.answer)}
    elif isinstance(target, ScaleQuestion):
        if rule.operator not in ("=", "!=") or isinstance(rule.answer, bool):
            raise refuse(
                "a scale is a coded choice in FHIR, compared only with = and != to a point; "
                f"found {rule.operator} {rule.answer!r}"
            )
        out["answerCoding"] = {"system": answer_system(target.id), "code": str(rule.answer)}
    elif isinstance(target, WholeNumberQuestion):
        if isinstance(rule.answer, bool) or not isinstance(rule.answer, int):
            raise refuse(f"expected a whole number, found {rule.answer!r}")
        out["answerInteger"] = rule.answer
    else:
        if isinstance(rule.answer, bool) or not isinstance(rule.answer, int | float):
            raise refuse(f"FHIR compares a decimal item only with a number, found {rule.answer!r}")
        out["answerDecimal"] = _number(rule.answer)
    return out


def question_item(bank: QuestionBank, question: Question) -> Resource:
    """One question as a Questionnaire item."""
    item: Resource = {"linkId": question.id, "text": question.text, "type": item_type(question)}
    if question.asked_when:
        item["enableWhen"] = [_enable_when(bank, question, r) for r in question.asked_when]
        if len(question.asked_when) > 1:
            item["enableBehavior"] = question.enable_behavior
    item["required"] = question.required
    if isinstance(question, SeveralQuestion):
        item["repeats"] = True
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        exclusive = question.exclusive if isinstance(question, SeveralQuestion) else []
        options = []
        for option in question.options:
            entry: Resource = {"valueCoding": coding(question, option.value)}
            if option.value in exclusive:
                entry["extension"] = [{"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True}]
            options.append(entry)
        item["answerOption"] = options
    elif isinstance(question, ScaleQuestion):
        points = range(question.minimum, question.maximum + 1)
        item["answerOption"] = [{"valueCoding": coding(question, n)} for n in points]
    elif isinstance(question, WholeNumberQuestion):
        item["extension"] = [
            {"url": EXT_MIN_VALUE, "valueInteger": question.minimum},
            {"url": EXT_MAX_VALUE, "valueInteger": question.maximum},
        ]
    else:
        item["extension"] = [
            {"url": EXT_MIN_VALUE, "valueDecimal": _number(question.minimum)},
            {"url": EXT_MAX_VALUE, "valueDecimal": _number(question.maximum)},
        ]
    # FHIR's own element order, which people reading the JSON expect (parsers do not care).
    return {key: item[key] for key in _ITEM_ORDER if key in item}


_ITEM_ORDER = (
    "extension",
    "linkId",
    "text",
    "type",
    "enableWhen",
    "enableBehavior",
    "required",
    "repeats",
    "answerOption",
)


def build_questionnaire(bank: QuestionBank) -> Resource:
    """The whole bank as one Questionnaire: a group per section, in bank order."""
    groups = []
    for section in bank.bank.sections:
        questions = [q for q in bank.questions if q.section == section.id]
        if questions:
            groups.append(
                {
                    "linkId": section.id,
                    "text": section.title,
                    "type": "group",
                    "item": [question_item(bank, q) for q in questions],
                }
            )
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": QUESTIONNAIRE_URL,
        "version": bank.content_version,
        "name": "IVIGDecisionAid",
        "title": bank.report.title,
        "status": "active",
        "subjectType": ["Patient"],
        "lastReviewDate": bank.bank.evidence_reviewed.isoformat(),
        "item": groups,
    }


def to_json(resource: Resource) -> str:
    """Stable JSON text: two-space indent, keys in the order written, UTF-8, final newline."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def questionnaire_json(bank: QuestionBank) -> str:
    """The Questionnaire as JSON text, checked against the FHIR R4 models first.

    Raises:
        ContentError: the bank cannot be written as a valid Questionnaire (exit 65).
    """
    from decision_aid.fhir.validation import validation_problems

    resource = build_questionnaire(bank)
    problems = validation_problems(resource, "Questionnaire")
    if problems:
        raise ContentError("the question bank does not make a valid Questionnaire", problems)
    return to_json(resource)
