"""Answers to a FHIR R4 QuestionnaireResponse and back: valid, lossless, same report bytes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from bench.answers import random_answers
from decision_aid.core.answers import ANSWERS_FORMAT, AnswerSet, load_answers, parse_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.summary import build_summary
from decision_aid.errors import InvalidInputError
from decision_aid.fhir import (
    ASKED_UNKNOWN,
    EXT_DATA_ABSENT_REASON,
    KNOWN_NUMBER,
    KNOWN_NUMBER_LABEL,
    QUESTIONNAIRE_URL,
    answer_system,
)
from decision_aid.fhir.response import answers_from_response, build_response, response_json
from decision_aid.report.render import render_markdown
from tests.fhir.conftest import EXAMPLES, OWN, ROUND_TRIP
from tests.helpers import TINY_ANSWERS

DATE = dt.date(2026, 11, 25)


def report(bank: QuestionBank, answers: AnswerSet) -> str:
    return render_markdown(build_summary(bank, answers, answers.date or DATE))


def round_trip(bank: QuestionBank, answers: AnswerSet) -> tuple[dict[str, Any], AnswerSet]:
    """Answers -> QuestionnaireResponse JSON text (validated) -> answers."""
    text = response_json(bank, answers, answers.date or DATE)
    resource = json.loads(text)
    QuestionnaireResponse.model_validate_json(text)  # the resource written is valid R4
    return resource, answers_from_response(resource, bank, "response.json")


def test_there_are_example_answers_files() -> None:
    """The round trip below covers the project's examples (never an empty list)."""
    assert EXAMPLES, "expected example answers files in examples/"
    assert OWN


@pytest.mark.parametrize("path", ROUND_TRIP, ids=lambda p: p.name)
def test_answers_file_round_trip_gives_same_report(path: Path, shipped_bank: QuestionBank) -> None:
    """answers file -> QuestionnaireResponse -> answers: the same answers, the same report bytes."""
    answers = load_answers(path, shipped_bank)
    resource, back = round_trip(shipped_bank, answers)
    assert dict(back.answers) == dict(answers.answers)
    assert back.date == (answers.date or DATE)
    assert report(shipped_bank, back) == report(shipped_bank, answers)
    assert resource["questionnaire"] == f"{QUESTIONNAIRE_URL}|{shipped_bank.content_version}"
    assert "subject" not in resource and "author" not in resource  # no one is named


@pytest.mark.parametrize("seed", range(40))
def test_generated_answers_round_trip(seed: int, any_bank: QuestionBank) -> None:
    """Random valid answers on every branch survive the round trip, report bytes included."""
    data = {
        "format": ANSWERS_FORMAT,
        "date": "2026-11-25",
        "answers": random_answers(any_bank, random.Random(seed)),
    }
    answers = parse_answers(data, any_bank, f"generated-{seed}")
    _, back = round_trip(any_bank, answers)
    assert back == answers
    assert report(any_bank, back) == report(any_bank, answers)


def _tiny(bank: QuestionBank, egfr: Any) -> AnswerSet:
    return parse_answers(
        {"format": ANSWERS_FORMAT, "answers": {**TINY_ANSWERS, "kidney.egfr": egfr}}, bank, "x"
    )


def _kidney_items(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return [i for g in resource["item"] for i in g["item"] if i["linkId"].startswith("kidney.")]


def test_not_known_is_a_plain_choice(tiny_bank: QuestionBank) -> None:
    """eGFR "unknown" is the answer `unknown` to kidney.egfr-known, with no decimal item."""
    resource = build_response(tiny_bank, _tiny(tiny_bank, "unknown"), DATE)
    system = answer_system("kidney.egfr")
    assert _kidney_items(resource) == [
        {
            "linkId": "kidney.egfr-known",
            "text": "What was your last eGFR?",
            "answer": [
                {"valueCoding": {"system": system, "code": "unknown", "display": "Not known"}}
            ],
        }
    ]
    assert "_valueDecimal" not in json.dumps(resource)  # no extension needed to read it
    assert answers_from_response(resource, tiny_bank, "r.json").answers["kidney.egfr"] == "unknown"


def test_a_number_is_the_choice_known_and_the_decimal(tiny_bank: QuestionBank) -> None:
    """eGFR 48 is `number` to kidney.egfr-known, then valueDecimal 48 on kidney.egfr."""
    resource = build_response(tiny_bank, _tiny(tiny_bank, 48), DATE)
    known, number = _kidney_items(resource)
    assert known["answer"][0]["valueCoding"]["code"] == KNOWN_NUMBER
    assert known["answer"][0]["valueCoding"]["display"] == KNOWN_NUMBER_LABEL
    assert (number["linkId"], number["answer"]) == ("kidney.egfr", [{"valueDecimal": 48}])


OLD_WAYS: dict[str, tuple[list[dict[str, Any]], Any]] = {
    # name: (kidney.egfr answers as responses written before the choice item had them, value)
    "data-absent-reason asked-unknown": (
        [
            {
                "_valueDecimal": {
                    "extension": [{"url": EXT_DATA_ABSENT_REASON, "valueCode": ASKED_UNKNOWN}]
                }
            }
        ],
        "unknown",
    ),
    "data-absent-reason unknown": (
        [
            {
                "_valueDecimal": {
                    "extension": [{"url": EXT_DATA_ABSENT_REASON, "valueCode": "unknown"}]
                }
            }
        ],
        "unknown",
    ),
    "a number alone": ([{"valueDecimal": 29.5}], 29.5),
}


@pytest.mark.parametrize("name", list(OLD_WAYS))
def test_responses_written_the_old_way_are_still_read(name: str, tiny_bank: QuestionBank) -> None:
    """Without the choice item: a decimal, or data-absent-reason for "not known" (as before)."""
    answer, value = OLD_WAYS[name]
    resource = build_response(tiny_bank, _tiny(tiny_bank, 48), DATE)
    group = next(
        g for g in resource["item"] if any(i["linkId"] == "kidney.egfr" for i in g["item"])
    )
    group["item"] = [i for i in group["item"] if i["linkId"] != "kidney.egfr-known"]
    next(i for i in group["item"] if i["linkId"] == "kidney.egfr")["answer"] = answer
    QuestionnaireResponse.model_validate(resource)
    back = answers_from_response(resource, tiny_bank, "old.json")
    assert back.answers["kidney.egfr"] == value
    assert back == _tiny(tiny_bank, value).__class__(answers=back.answers, date=DATE)


def test_decimals_and_whole_numbers_keep_their_type(tiny_bank: QuestionBank) -> None:
    """29.5 stays 29.5 and 48 stays 48 (so the report prints them the same way)."""
    for egfr in (29.5, 48, 48.0):
        answers = parse_answers(
            {"format": ANSWERS_FORMAT, "answers": {**TINY_ANSWERS, "kidney.egfr": egfr}},
            tiny_bank,
            "x",
        )
        _, back = round_trip(tiny_bank, answers)
        value = back.answers["kidney.egfr"]
        assert value == egfr and type(value) is type(egfr)


@pytest.mark.parametrize(
    ("authored", "date"),
    [
        ("2026-12-04T23:30:00-05:00", "2026-12-04"),  # evening west of UTC: not 5 December
        ("2026-12-05T04:30:00Z", "2026-12-05"),  # the same moment, written in UTC
        ("2026-12-04T14:59:48.278Z", "2026-12-04"),  # as LHC-Forms writes it
        ("2026-12-05T01:30:00+09:00", "2026-12-05"),  # early morning east of UTC
        ("2026-12-04", "2026-12-04"),
    ],
)
def test_authored_gives_the_date_in_its_own_time_zone(
    authored: str, date: str, tiny_bank: QuestionBank
) -> None:
    """`authored` gives the report the date written in it, in the time zone it gives."""
    answers = parse_answers({"format": ANSWERS_FORMAT, "answers": TINY_ANSWERS}, tiny_bank, "x")
    resource = build_response(tiny_bank, answers, DATE)
    resource["authored"] = authored
    back = answers_from_response(resource, tiny_bank, "r.json")
    assert back.date == dt.date.fromisoformat(date)
    assert report(tiny_bank, back) == report(
        tiny_bank,
        parse_answers(
            {"format": ANSWERS_FORMAT, "date": date, "answers": TINY_ANSWERS}, tiny_bank, "y"
        ),
    )


def _egfr(resource: dict[str, Any]) -> dict[str, Any]:
    return next(i for g in resource["item"] for i in g["item"] if i["linkId"] == "kidney.egfr")


def _known(resource: dict[str, Any]) -> dict[str, Any]:
    return next(
        i for g in resource["item"] for i in g["item"] if i["linkId"] == "kidney.egfr-known"
    )


def _status(resource: dict[str, Any]) -> dict[str, Any]:
    return resource["item"][0]["item"][0]


BAD: dict[str, tuple[Any, list[str]]] = {
    # name: (change to a valid response, words the message must contain)
    "unknown code": (
        lambda r: _status(r)["answer"][0]["valueCoding"].update(code="biopsy"),
        ["nephritis.status", "biopsy", "did you mean 'biopsy_proven'"],
    ),
    "mistyped linkId": (
        lambda r: _status(r).update(linkId="nephritis.statsu"),
        ["nephritis.statsu", "did you mean 'nephritis.status'"],
    ),
    "wrong value type": (
        lambda r: _egfr(r).update(answer=[{"valueString": "48"}]),
        ["kidney.egfr", "expected a valueDecimal", "valueString", "item[0].item[3].answer[0]"],
    ),
    "not a FHIR decimal": (
        lambda r: _egfr(r).update(answer=[{"valueDecimal": "forty"}]),
        ["kidney.egfr", "item[0].item[3].answer[0].valueDecimal", "forty"],
    ),
    "two value[x]": (
        lambda r: _egfr(r).update(answer=[{"valueDecimal": 48, "valueInteger": 48}]),
        ["kidney.egfr", "item[0].item[3].answer[0]"],
    ),
    "out of range": (
        lambda r: _egfr(r).update(answer=[{"valueDecimal": 250}]),
        ["kidney.egfr", "from 0 to 200", "250"],
    ),
    "two answers to a single choice": (
        lambda r: _status(r)["answer"].append(copy.deepcopy(_status(r)["answer"][0])),
        ["nephritis.status", "expected one answer", "found 2"],
    ),
    "code from another system": (
        lambda r: _status(r)["answer"][0]["valueCoding"].update(system="http://snomed.info/sct"),
        ["nephritis.status", "http://snomed.info/sct"],
    ),
    "required answer missing": (
        lambda r: r["item"][0]["item"].pop(0),
        ["nephritis.status", "expected an answer"],
    ),
    "hidden question answered": (
        lambda r: _status(r)["answer"][0]["valueCoding"].update(code="none"),
        ["nephritis.class", "expected no answer"],
    ),
    "question given twice": (
        lambda r: r["item"][0]["item"].append(copy.deepcopy(_status(r))),
        ["nephritis.status", "one item per question"],
    ),
    "unknown element": (
        lambda r: r.update(patientName="Anna"),
        ["patientName", "no such element"],
    ),
    "another questionnaire": (
        lambda r: r.update(questionnaire="http://example.org/Questionnaire/phq-9"),
        ["questionnaire", "phq-9"],
    ),
    "entered in error": (
        lambda r: r.update(status="entered-in-error"),
        ["status", "entered-in-error"],
    ),
    "status not an R4 code": (
        lambda r: r.update(status="done"),
        ["status", "expected one of in-progress, completed", "'done'"],
    ),
    "partial date": (
        lambda r: r.update(authored="2026-11"),
        ["authored", "2026-11"],
    ),
    "no such time": (
        lambda r: r.update(authored="2026-11-25T24:61:00Z"),
        ["authored", "24:61"],
    ),
    "not known and a number": (
        lambda r: _known(r)["answer"][0]["valueCoding"].update(code="unknown"),
        ["kidney.egfr", "expected no number when kidney.egfr-known says 'unknown'", "found 45"],
    ),
    "number known but not given": (
        lambda r: r["item"][0]["item"].remove(_egfr(r)),
        ["kidney.egfr", "expected an answer", "found none"],
    ),
    "known-item code not in its list": (
        lambda r: _known(r)["answer"][0]["valueCoding"].update(code="maybe"),
        ["kidney.egfr-known", "'number' or 'unknown'", "'maybe'"],
    ),
    "known-item code from another system": (
        lambda r: _known(r)["answer"][0]["valueCoding"].update(system="http://loinc.org"),
        ["kidney.egfr-known", "http://loinc.org"],
    ),
    "known-item not a coding": (
        lambda r: _known(r).update(answer=[{"valueString": "Not sure"}]),
        ["kidney.egfr-known", "valueString"],
    ),
    "known-item twice": (
        lambda r: r["item"][0]["item"].append(copy.deepcopy(_known(r))),
        ["kidney.egfr-known", "one item per question"],
    ),
    "not a response": (
        lambda r: r.update(resourceType="Patient"),
        ["resourceType", "Patient"],
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_response_names_file_and_link_id(name: str, tiny_bank: QuestionBank) -> None:
    """Each broken response is refused (exit 65) with the file and the linkId in the message."""
    change, words = BAD[name]
    answers = parse_answers({"format": ANSWERS_FORMAT, "answers": TINY_ANSWERS}, tiny_bank, "x")
    resource = build_response(tiny_bank, answers, DATE)
    change(resource)
    with pytest.raises(InvalidInputError) as caught:
        answers_from_response(resource, tiny_bank, "anna.fhir.json")
    assert caught.value.exit_code == 65
    lines = caught.value.lines()
    assert all(line.startswith("anna.fhir.json: ") for line in lines), lines
    message = "\n".join(lines)
    for word in words:
        assert word in message, message


def test_items_outside_their_groups_are_read_too(tiny_bank: QuestionBank) -> None:
    """A tool that flattens the groups (or drops texts) still gives the same answers."""
    answers = parse_answers({"format": ANSWERS_FORMAT, "answers": TINY_ANSWERS}, tiny_bank, "x")
    resource = build_response(tiny_bank, answers, DATE)
    flat = [
        {"linkId": item["linkId"], "answer": item["answer"]}
        for group in resource["item"]
        for item in group["item"]
    ]
    resource["item"] = flat
    assert answers_from_response(resource, tiny_bank, "flat.json").answers == answers.answers
