"""The bank as a FHIR R4 Questionnaire: valid, faithful to the contract, and stable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fhir.resources.R4B.questionnaire import Questionnaire

from decision_aid.core.bank import (
    ChoiceQuestion,
    NumberQuestion,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.loading import load_bank
from decision_aid.errors import ContentError
from decision_aid.fhir import (
    EXT_MAX_VALUE,
    EXT_MIN_VALUE,
    EXT_OPTION_EXCLUSIVE,
    EXT_SDC_OPTION_EXCLUSIVE,
    KNOWN_NUMBER,
    KNOWN_NUMBER_LABEL,
    QUESTIONNAIRE_URL,
    answer_system,
    known_link_id,
)
from decision_aid.fhir.questionnaire import build_questionnaire, number_text, questionnaire_json
from decision_aid.fhir.validation import validation_problems
from tests.helpers import TINY


def items_by_link_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            assert item["linkId"] not in found, f"linkId {item['linkId']} twice"
            found[item["linkId"]] = item
            walk(item.get("item", []))

    walk(resource["item"])
    return found


def extension(item: dict[str, Any], url: str) -> Any:
    values = [e for e in item.get("extension", []) if e["url"] == url]
    assert len(values) == 1, f"{item['linkId']}: expected one {url}"
    return values[0]


def test_questionnaire_is_valid_fhir(any_bank: QuestionBank) -> None:
    """The exported Questionnaire passes the fhir.resources R4 (R4B) models, as JSON text."""
    text = questionnaire_json(any_bank)
    assert validation_problems(json.loads(text), "q") == []
    parsed = Questionnaire.model_validate_json(text)
    assert parsed.version == any_bank.content_version
    assert parsed.url == QUESTIONNAIRE_URL
    assert parsed.status == "active"


def test_every_question_is_an_item_with_its_id(any_bank: QuestionBank) -> None:
    """linkId = question id, each once, inside a group per section, in bank order."""
    resource = build_questionnaire(any_bank)
    groups = resource["item"]
    assert [g["type"] for g in groups] == ["group"] * len(groups)
    assert [g["linkId"] for g in groups] == [
        s.id for s in any_bank.bank.sections if any(q.section == s.id for q in any_bank.questions)
    ]
    in_order = [item["linkId"] for g in groups for item in g["item"]]
    companions = {known_link_id(q.id) for q in any_bank.questions if isinstance(q, NumberQuestion)}
    assert companions and companions <= set(in_order)
    assert sorted(i for i in in_order if i not in companions) == sorted(any_bank.question_ids)
    for group in groups:
        ids = [item["linkId"] for item in group["item"]]
        expected = []
        for q in any_bank.questions:
            if q.section == group["linkId"]:
                # A number question's "do you know it" item comes right before it.
                expected += [known_link_id(q.id)] if isinstance(q, NumberQuestion) else []
                expected.append(q.id)
        assert ids == expected


def test_items_fit_each_kind(any_bank: QuestionBank) -> None:
    """Types, options (code = value, display = label), ranges, repeats and required."""
    items = items_by_link_id(build_questionnaire(any_bank))
    for question in any_bank.questions:
        item = items[question.id]
        if isinstance(question, NumberQuestion):
            assert item["text"] == number_text(question)
            assert items[known_link_id(question.id)]["text"] == question.text
        else:
            assert item["text"] == question.text
        assert item["required"] is question.required
        if isinstance(question, ChoiceQuestion | SeveralQuestion):
            assert item["type"] == "choice"
            assert item.get("repeats", False) is isinstance(question, SeveralQuestion)
            codings = [o["valueCoding"] for o in item["answerOption"]]
            assert [(c["code"], c["display"]) for c in codings] == [
                (o.value, o.label) for o in question.options
            ]
            assert {c["system"] for c in codings} == {answer_system(question.id)}
            exclusive = [
                o["valueCoding"]["code"]
                for o in item["answerOption"]
                if {"url": EXT_OPTION_EXCLUSIVE, "valueBoolean": True} in o.get("extension", [])
            ]
            expected = question.exclusive if isinstance(question, SeveralQuestion) else []
            assert exclusive == expected
            sdc_exclusive = [
                o["valueCoding"]["code"]
                for o in item["answerOption"]
                if {"url": EXT_SDC_OPTION_EXCLUSIVE, "valueBoolean": True} in o.get("extension", [])
            ]
            assert sdc_exclusive == expected
        elif isinstance(question, ScaleQuestion):
            assert item["type"] == "choice"
            codings = [o["valueCoding"] for o in item["answerOption"]]
            points = range(question.minimum, question.maximum + 1)
            assert [(c["code"], c["display"]) for c in codings] == [
                (str(n), question.labels[n]) for n in points
            ]
        elif isinstance(question, WholeNumberQuestion):
            assert item["type"] == "integer"
            assert extension(item, EXT_MIN_VALUE)["valueInteger"] == question.minimum
            assert extension(item, EXT_MAX_VALUE)["valueInteger"] == question.maximum
        else:
            assert isinstance(question, NumberQuestion)
            assert item["type"] == "decimal"
            assert extension(item, EXT_MIN_VALUE)["valueDecimal"] == question.minimum
            assert extension(item, EXT_MAX_VALUE)["valueDecimal"] == question.maximum
            known = items[known_link_id(question.id)]
            assert known["type"] == "choice" and "repeats" not in known
            assert known["required"] is question.required
            assert "extension" not in known  # a generic filler needs no extension here
            system = answer_system(question.id)
            assert [o["valueCoding"] for o in known["answerOption"]] == [
                {"system": system, "code": KNOWN_NUMBER, "display": KNOWN_NUMBER_LABEL},
                {"system": system, "code": "unknown", "display": question.unknown_label},
            ]


def test_enable_when_mirrors_asked_when(any_bank: QuestionBank) -> None:
    """Every asked_when is an enableWhen with the same question, operator and answer."""
    items = items_by_link_id(build_questionnaire(any_bank))
    for question in any_bank.questions:
        item = items[question.id]
        if isinstance(question, NumberQuestion):
            # The number is asked when its choice item says it is known; that item holds
            # the question's own conditions.
            assert item["enableWhen"] == [
                {
                    "question": known_link_id(question.id),
                    "operator": "=",
                    "answerCoding": {"system": answer_system(question.id), "code": KNOWN_NUMBER},
                }
            ]
            item = items[known_link_id(question.id)]
        rules = item.get("enableWhen", [])
        assert len(rules) == len(question.asked_when)
        if len(rules) > 1:
            assert item["enableBehavior"] == question.enable_behavior
        for rule, condition in zip(rules, question.asked_when, strict=True):
            target = any_bank.question(condition.question)
            on_known = isinstance(target, NumberQuestion) and (
                condition.operator == "exists" or condition.answer == "unknown"
            )
            link_id = known_link_id(condition.question) if on_known else condition.question
            assert (rule["question"], rule["operator"]) == (link_id, condition.operator)
            value = {k: v for k, v in rule.items() if k.startswith("answer")}
            (kind, answer), *_ = value.items()
            if kind == "answerCoding":
                assert answer == {
                    "system": answer_system(condition.question),
                    "code": str(condition.answer),
                }
            else:
                assert answer == condition.answer
            assert rule["question"] in items


def test_contract_ids_keep_their_codes(shipped_bank: QuestionBank) -> None:
    """The contract's stable ids are linkIds whose codes are exactly the contract's values."""
    contract = {
        "nephritis.status": ["none", "suspected", "biopsy_proven"],
        "nephritis.class": ["I", "II", "III", "IV", "V", "VI", "III+V", "IV+V", "unknown"],
        "pregnancy.plans": [
            "pregnant_now",
            "planning_within_year",
            "not_planning",
            "not_applicable",
        ],
        "pregnancy.antiphospholipid": ["yes", "no", "unknown"],
        "treatment.response": ["good", "partial", "none", "too_early"],
        "iga.status": ["normal", "deficient", "deficient_with_antibodies", "not_tested"],
        "allergy.past_reaction": ["yes", "no", "unknown"],
        "clot.history": ["yes", "no", "unknown"],
        "cost.coverage": ["covered", "partly_covered", "not_covered", "unknown"],
        "cost.concern": ["0", "1", "2", "3", "4"],
        "decision.leaning": ["ivig", "standard", "unsure"],
    }
    items = items_by_link_id(build_questionnaire(shipped_bank))
    for link_id, codes in contract.items():
        assert [o["valueCoding"]["code"] for o in items[link_id]["answerOption"]] == codes
    assert items["kidney.egfr"]["type"] == "decimal"
    # "Not known" for eGFR is a plain choice a filler can offer, before the number.
    known = [o["valueCoding"]["code"] for o in items["kidney.egfr-known"]["answerOption"]]
    assert known == [KNOWN_NUMBER, "unknown"]
    assert items["pregnancy.losses"]["type"] == "integer"
    assert items["treatment.prior"]["repeats"] is True
    assert items["clot.risk_factors"]["repeats"] is True


def test_same_bank_same_bytes(any_bank: QuestionBank) -> None:
    """No timestamps or random ids: the export is the same every time."""
    assert questionnaire_json(any_bank) == questionnaire_json(any_bank)


def _bank_with(tmp_path: Path, extra: dict[str, Any]) -> QuestionBank:
    folder = tmp_path / "bank"
    shutil.copytree(TINY, folder)
    data = yaml.safe_load((folder / "bank.yaml").read_text(encoding="utf-8"))
    data["questions"].append(extra)
    (folder / "bank.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return load_bank(folder, "edited")


def test_condition_fhir_cannot_say_is_refused(tmp_path: Path) -> None:
    """An ordering comparison on a scale (a coded choice in FHIR) is a ContentError."""
    bank = _bank_with(
        tmp_path,
        {
            "id": "values.follow_up",
            "section": "values",
            "kind": "choice",
            "required": False,
            "short": "Follow up",
            "text": "Do you want to talk about it?",
            "why": "It helps.",
            "asked_when": [{"question": "values.kidney_protection", "operator": ">=", "answer": 3}],
            "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
        },
    )
    with pytest.raises(ContentError) as caught:
        questionnaire_json(bank)
    message = "\n".join(caught.value.lines())
    assert "values.follow_up" in message and "values.kidney_protection" in message


def test_conditions_on_a_number_question_look_at_the_right_item(tmp_path: Path) -> None:
    """`exists` and `= unknown` look at the choice item; a number compares on the decimal."""
    base = {
        "section": "values",
        "kind": "choice",
        "required": False,
        "short": "Follow up",
        "text": "Do you want to talk about it?",
        "why": "It helps.",
        "options": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    }
    bank = _bank_with(
        tmp_path,
        {
            **base,
            "id": "values.follow_up",
            "enable_behavior": "any",
            "asked_when": [
                {"question": "kidney.egfr", "operator": "=", "answer": "unknown"},
                {"question": "kidney.egfr", "operator": "<", "answer": 30},
                {"question": "kidney.egfr", "operator": "exists", "answer": False},
            ],
        },
    )
    rules = items_by_link_id(build_questionnaire(bank))["values.follow_up"]["enableWhen"]
    system = answer_system("kidney.egfr")
    assert rules == [
        {
            "question": "kidney.egfr-known",
            "operator": "=",
            "answerCoding": {"system": system, "code": "unknown"},
        },
        {"question": "kidney.egfr", "operator": "<", "answerDecimal": 30},
        {"question": "kidney.egfr-known", "operator": "exists", "answerBoolean": False},
    ]
    assert validation_problems(build_questionnaire(bank), "q") == []
