"""The shipped rules (questions/considerations.yaml) on the answers the content audit tried."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from decision_aid.core.answers import load_answers
from decision_aid.core.bank import LEVELS, QuestionBank
from decision_aid.core.conditions import condition_holds
from decision_aid.core.loading import load_bank
from decision_aid.core.summary import build_summary

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def bank() -> QuestionBank:
    return load_bank()


def levels(bank: QuestionBank, answers: dict[str, Any]) -> dict[str, str]:
    """The points that hold, by id, with their level."""
    return {c.id: c.level for c in bank.considerations if condition_holds(c.when, answers)}


def test_pregnancy_with_class_iv_nephritis_names_the_pregnancy_warnings(bank: QuestionBank) -> None:
    """C2: pregnant or planning, kidney disease, no mycophenolate yet: a caution about it."""
    for plans in ("pregnant_now", "planning_within_year"):
        answers = {
            "nephritis.status": "biopsy_proven",
            "nephritis.class": "IV",
            "pregnancy.plans": plans,
            "treatment.prior": ["hydroxychloroquine"],
        }
        found = levels(bank, answers)
        assert found["nephritis-pregnancy-medicines"] == "caution"
        rule = next(c for c in bank.considerations if c.id == "nephritis-pregnancy-medicines")
        assert "stop both before a pregnancy" in rule.text and "birth defect" in rule.text
    taken = {**answers, "treatment.prior": ["mycophenolate"]}
    found = levels(bank, taken)
    assert "nephritis-pregnancy-medicines" not in found and "mycophenolate-pregnancy" in found
    assert "nephritis-pregnancy-medicines" not in levels(
        bank, {**answers, "pregnancy.plans": "not_planning"}
    )


@pytest.mark.parametrize(
    ("iga", "reaction", "expected"),
    [
        ("normal", "yes", {"allergy-past-reaction": "stop"}),
        ("normal", "unknown", {"allergy-past-reaction-unknown": "caution"}),
        (
            "deficient_with_antibodies",
            "yes",
            {"allergy-past-reaction": "stop", "iga-antibodies-past-reaction": "stop"},
        ),
        ("deficient_with_antibodies", "no", {"iga-antibodies": "caution"}),
        (
            "deficient",
            "yes",
            {"allergy-past-reaction": "stop", "iga-deficient-past-reaction": "caution"},
        ),
    ],
)
def test_a_past_severe_reaction_is_asked_of_everyone_and_weighed_by_the_labels(
    bank: QuestionBank, iga: str, reaction: str, expected: dict[str, str]
) -> None:
    """C3: the labels rule IVIG out after a severe reaction to immune globulin, whatever IgA."""
    found = levels(bank, {"iga.status": iga, "allergy.past_reaction": reaction})
    topics = {"allergy-past-reaction", "allergy-past-reaction-unknown", "allergy-not-asked"}
    shown = {k: v for k, v in found.items() if k.startswith("iga-") or k in topics}
    assert shown == expected


@pytest.mark.parametrize("factor", ["smoking", "heart_disease", "diabetes", "estrogen"])
def test_each_heart_or_vessel_risk_gives_the_same_clot_caution(
    bank: QuestionBank, factor: str
) -> None:
    """C4: smoking, heart disease and diabetes alike give the labels' clot caution."""
    found = levels(bank, {"clot.history": "no", "clot.risk_factors": [factor]})
    assert found["clot-label-risks"] == "caution"
    assert "clot-none-known" not in found


@pytest.mark.parametrize(
    ("losses", "point"),
    [
        (0, "pregnancy-no-losses"),
        (1, "pregnancy-few-losses"),
        (2, "pregnancy-few-losses"),
        (3, "pregnancy-several-losses"),
    ],
)
def test_every_number_of_losses_gets_its_point(bank: QuestionBank, losses: int, point: str) -> None:
    """C5: 1 or 2 losses: the trials (3 or more) apply only in part."""
    found = levels(bank, {"pregnancy.plans": "pregnant_now", "pregnancy.losses": losses})
    assert point in found
    assert (
        len(
            {"pregnancy-no-losses", "pregnancy-few-losses", "pregnancy-several-losses"} & set(found)
        )
        == 1
    )


def test_kidney_disease_with_a_good_egfr_is_still_a_kidney_caution(bank: QuestionBank) -> None:
    """C6: existing kidney disease is a reported risk, whatever the eGFR."""
    for status in ("suspected", "biopsy_proven"):
        found = levels(bank, {"nephritis.status": status, "kidney.egfr": 75})
        assert found["egfr-60-plus-kidney-disease"] == "caution" and "egfr-60-plus" not in found
    found = levels(bank, {"nephritis.status": "none", "kidney.egfr": 75})
    assert found["egfr-60-plus"] == "note"


@pytest.mark.parametrize("mixed", ["III+V", "IV+V"])
def test_mixed_classes_get_both_class_points(bank: QuestionBank, mixed: str) -> None:
    """C7: class III+V and IV+V are told about class V too."""
    found = levels(bank, {"nephritis.status": "biopsy_proven", "nephritis.class": mixed})
    assert {"nephritis-class-iii-iv", "nephritis-class-v"} <= set(found)


def test_pregnant_and_taking_estrogen_is_pointed_out(bank: QuestionBank) -> None:
    """C10: an answer that looks contradictory is named, not silently accepted."""
    found = levels(bank, {"pregnancy.plans": "pregnant_now", "clot.risk_factors": ["estrogen"]})
    assert found["pregnancy-estrogen"] == "note"


def test_an_egfr_just_below_60_is_not_called_59_or_less(bank: QuestionBank) -> None:
    """C13: 59.5 is "below 60", not "between 30 and 59"."""
    found = levels(bank, {"kidney.egfr": 59.5})
    assert "egfr-30-to-59" in found
    rule = next(c for c in bank.considerations if c.id == "egfr-30-to-59")
    assert "59" not in rule.text and "below 60" in rule.text


def test_the_values_do_not_link_fewer_medicines_to_harms(bank: QuestionBank) -> None:
    """C12: no row suggests IVIG lets a person take fewer other medicines."""
    question = bank.question("values.fewer_other_medicines")
    assert question.rows == ["what"]  # type: ignore[union-attr]


def test_no_point_says_more_than_acr_2024_confirmed(bank: QuestionBank) -> None:
    """S3: ACR 2024 "prefers three medicines over two", never its unconfirmed details."""
    for rule in bank.considerations:
        if "[@acr-2024-ln]" in rule.text:
            assert "std-acr2024-triple-details" not in rule.facts, rule.id
            assert "three-medicine plan" not in rule.text, rule.id


def test_no_point_claims_only_one_guideline_names_ivig(bank: QuestionBank) -> None:
    """S2: no absence claim about what guidelines say."""
    for rule in bank.considerations:
        assert "the one that names IVIG" not in rule.text, rule.id


def test_both_randomised_trials_of_ivig_against_heparin_are_given(bank: QuestionBank) -> None:
    """S1: Dendrinos 2009 (85 women) beside Triolo 2003 (40 women), both favouring heparin."""
    rule = next(c for c in bank.considerations if c.id == "pregnancy-antiphospholipid")
    assert "[@dendrinos-2009]" in rule.text and "[@triolo-2003]" in rule.text
    assert "85 women" in rule.text and "40 women" in rule.text


def test_a_format_1_file_says_the_allergy_question_was_not_asked(bank: QuestionBank) -> None:
    """The format 1 example: a caution that the question was never asked, most serious first."""
    answers = load_answers(EXAMPLES / "format-1-still-read.yaml", bank)
    assert answers.not_asked == frozenset({"allergy.past_reaction"})
    summary = build_summary(bank, answers, dt.date(2026, 11, 25))
    ids = [c.id for c in summary.considerations]
    assert "allergy-not-asked" in ids
    ranks = [LEVELS.index(c.level) for c in summary.considerations]
    assert ranks == sorted(ranks)


def test_a_past_reaction_comes_first(bank: QuestionBank) -> None:
    """The example with a past severe reaction opens its points with the stop."""
    answers = load_answers(EXAMPLES / "past-severe-reaction-to-ivig.yaml", bank)
    summary = build_summary(bank, answers, dt.date(2026, 11, 25))
    assert summary.considerations[0].id == "allergy-past-reaction"
    assert summary.considerations[0].level == "stop"
