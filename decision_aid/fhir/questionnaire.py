"""The question bank as a FHIR R4 ``Questionnaire`` (see the package docstring for the map)."""

from __future__ import annotations

import json
from typing import Any

from decision_aid.core.answers import UNKNOWN
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
    EXT_SDC_OPTION_EXCLUSIVE,
    KNOWN_NUMBER,
    KNOWN_NUMBER_LABEL,
    QUESTIONNAIRE_ID,
    QUESTIONNAIRE_URL,
    answer_system,
    known_link_id,
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


def known_coding(question: NumberQuestion, code: str) -> Resource:
    """The ``Coding`` of a number question's choice item: the number is known, or not."""
    display = KNOWN_NUMBER_LABEL if code == KNOWN_NUMBER else question.unknown_label
    return {"system": answer_system(question.id), "code": code, "display": display}


def number_text(question: NumberQuestion) -> str:
    """The text of a number question's decimal item (its text is on the choice item)."""
    return f"{question.short}, in {question.unit}" if question.unit else question.short


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
        if isinstance(target, NumberQuestion):
            # "Not known" is an answer too: only the choice item holds both.
            out["question"] = known_link_id(target.id)
        out["answerBoolean"] = rule.answer
    elif isinstance(target, NumberQuestion) and rule.answer == UNKNOWN:
        if rule.operator not in ("=", "!="):
            raise refuse(f"'{UNKNOWN}' is compared only with = and !=, found {rule.operator!r}")
        out["question"] = known_link_id(target.id)
        out["answerCoding"] = {"system": answer_system(target.id), "code": UNKNOWN}
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


def _known_item(bank: QuestionBank, question: NumberQuestion) -> Resource:
    """A number question's first item: the choice "I know the number / Not known"."""
    item: Resource = {"linkId": known_link_id(question.id), "text": question.text}
    item["type"] = "choice"
    _asked_when(bank, question, item)
    item["required"] = question.required
    item["answerOption"] = [
        {"valueCoding": known_coding(question, code)} for code in (KNOWN_NUMBER, UNKNOWN)
    ]
    return {key: item[key] for key in _ITEM_ORDER if key in item}


def _asked_when(bank: QuestionBank, question: Question, item: Resource) -> None:
    if question.asked_when:
        item["enableWhen"] = [_enable_when(bank, question, r) for r in question.asked_when]
        if len(question.asked_when) > 1:
            item["enableBehavior"] = question.enable_behavior


def question_items(bank: QuestionBank, question: Question) -> list[Resource]:
    """One question as Questionnaire items: one item, or two for a number or "not known"."""
    if isinstance(question, NumberQuestion):
        return [_known_item(bank, question), question_item(bank, question)]
    return [question_item(bank, question)]


def question_item(bank: QuestionBank, question: Question) -> Resource:
    """The Questionnaire item whose linkId is the question's id."""
    item: Resource = {"linkId": question.id, "text": question.text, "type": item_type(question)}
    if isinstance(question, NumberQuestion):
        # Asked when its choice item says the number is known (that item holds the
        # question's own conditions, so this one needs no others: a hidden item has no
        # answer, and then "=" does not hold).
        item["text"] = number_text(question)
        item["enableWhen"] = [
            {
                "question": known_link_id(question.id),
                "operator": "=",
                "answerCoding": {"system": answer_system(question.id), "code": KNOWN_NUMBER},
            }
        ]
    else:
        _asked_when(bank, question, item)
    item["required"] = question.required
    if isinstance(question, SeveralQuestion):
        item["repeats"] = True
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        exclusive = question.exclusive if isinstance(question, SeveralQuestion) else []
        options = []
        for option in question.options:
            entry: Resource = {"valueCoding": coding(question, option.value)}
            if option.value in exclusive:
                # R4's core extension, and SDC's, which fillers that follow SDC look for.
                entry["extension"] = [
                    {"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True},
                    {"url": EXT_SDC_OPTION_EXCLUSIVE, "valueBoolean": True},
                ]
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
                    "item": [item for q in questions for item in question_items(bank, q)],
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
