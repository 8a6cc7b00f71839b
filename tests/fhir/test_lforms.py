"""The exported Questionnaire in a real, independent form filler: NLM's LHC-Forms, both ways.

Every example's answers (and the sets in ``tests/data/lforms/`` that flip the branches the
examples leave alone, eGFR "not known" included) are entered in LHC-Forms by clicks and
typing; LHC-Forms' own QuestionnaireResponse, given to ``run``, must give the same report
bytes as the answers file. The other way, the response ``run --fhir`` writes, loaded into
LHC-Forms, must show the same answers. In both, LHC-Forms must show exactly the questions
the product asks (no ``enableWhen`` difference).

Slow (a browser): one Chromium for the module. Never skipped: without LHC-Forms or
Chromium it fails and says how to install them (``.ci/install-system-deps``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decision_aid.cli import main
from decision_aid.core.answers import UNKNOWN, AnswerSet, load_answers
from decision_aid.core.bank import (
    NumberQuestion,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    WholeNumberQuestion,
)
from decision_aid.core.branching import asked_questions
from decision_aid.fhir import KNOWN_NUMBER, KNOWN_SUFFIX, known_link_id
from decision_aid.fhir.questionnaire import build_questionnaire
from decision_aid.fhir.response import build_response
from tests.fhir.conftest import EXAMPLES, ROUND_TRIP
from tests.fhir.lforms.page import CHROMIUM, DIST, Filler, open_filler
from tests.helpers import DATA

pytestmark = pytest.mark.slow

BRANCHES = sorted((DATA / "lforms").glob("*.yaml"))
"""Answer sets kept for this test: the branches the examples do not flip."""
# A format 1 file without the allergy question says it was not asked, which a
# QuestionnaireResponse cannot say: such a file is read, but never round-trips (conftest).
ANSWER_SETS = ROUND_TRIP + BRANCHES
"""Every answer set entered in LHC-Forms: found by listing folders, so new ones count."""
DATE = "2026-11-25"


@pytest.fixture(scope="module")
def filler() -> Iterator[Filler]:
    """One headless Chromium with LHC-Forms for the whole module."""
    assert (DIST / "webcomponent" / "main.js").is_file(), (
        f"LHC-Forms is not installed in {DIST.parents[2]}: run .ci/install-system-deps "
        "(it runs `npm ci` there)"
    )
    assert Path(CHROMIUM).is_file(), f"{CHROMIUM} is missing: run .ci/install-system-deps"
    with open_filler() as opened:
        yield opened


@pytest.fixture(scope="module")
def questionnaire(shipped_bank: QuestionBank) -> dict[str, Any]:
    return build_questionnaire(shipped_bank)


def _items(questionnaire: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}

    def walk(items: list[dict[str, Any]]) -> None:
        for item in items:
            found[item["linkId"]] = item
            walk(item.get("item", []))

    walk(questionnaire["item"])
    return found


def _option(item: dict[str, Any], code: str) -> tuple[int, dict[str, str]]:
    """The place and the coding of an answer code among an item's options."""
    codes = [o["valueCoding"]["code"] for o in item["answerOption"]]
    index = codes.index(code)
    return index, item["answerOption"][index]["valueCoding"]


def _question_of(link_id: str) -> str:
    """The bank question a Questionnaire item belongs to."""
    return link_id.removesuffix(KNOWN_SUFFIX)


def fill(filler: Filler, bank: QuestionBank, q: dict[str, Any], answers: AnswerSet) -> None:
    """Enter every answer on the page, in the order a person meets the questions."""
    items = _items(q)

    def choose(link_id: str, code: str) -> None:
        filler.choose(link_id, *_option(items[link_id], code))

    for question in bank.questions:
        if question.id not in answers.answers:
            continue
        value = answers.answers[question.id]
        if isinstance(question, NumberQuestion):
            known = known_link_id(question.id)
            choose(known, UNKNOWN if value == UNKNOWN else KNOWN_NUMBER)
            if value != UNKNOWN:
                assert isinstance(value, int | float)
                filler.type(question.id, str(value))
        elif isinstance(question, WholeNumberQuestion):
            filler.type(question.id, str(value))
        elif isinstance(question, SeveralQuestion):
            assert isinstance(value, list)
            for each in value:
                choose(question.id, each)
            filler.close_list(question.id)
        else:
            choose(question.id, str(value))


def differences(bank: QuestionBank, answers: AnswerSet, shown: dict[str, list[str]]) -> set[str]:
    """Questions LHC-Forms shows but the product does not ask, or the other way round."""
    asked = {q.id for q in asked_questions(bank, answers.answers)}
    on_page = {_question_of(link_id) for link_id in shown}
    return asked ^ on_page


def read_back(bank: QuestionBank, q: dict[str, Any], shown: dict[str, list[str]]) -> dict[str, Any]:
    """The answers the page shows, in the answers file's words (codes and numbers)."""
    items = _items(q)
    values: dict[str, Any] = {}
    for link_id, texts in shown.items():
        if not texts:
            continue
        question = bank.question(_question_of(link_id))
        item = items[link_id]
        if "answerOption" in item:
            by_display = {
                o["valueCoding"]["display"]: o["valueCoding"]["code"] for o in item["answerOption"]
            }
            codes = [by_display[text] for text in texts]
            if isinstance(question, NumberQuestion):
                if codes == [UNKNOWN]:
                    values[question.id] = UNKNOWN
            elif isinstance(question, SeveralQuestion):
                values[question.id] = codes
            elif isinstance(question, ScaleQuestion):
                values[question.id] = int(codes[0])
            else:
                values[question.id] = codes[0]
        elif isinstance(question, WholeNumberQuestion):
            values[question.id] = int(texts[0])
        else:
            number = float(texts[0])
            values[question.id] = int(number) if number.is_integer() else number
    return values


def report(path: Path, out: Path, date: str) -> bytes:
    """The report bytes ``run`` writes for one input (exit 0 required)."""
    code = main(["run", str(path), "--out", str(out), "--date", date])
    assert code == 0, f"run {path.name} exited {code}"
    (written,) = out.glob("*.md")
    return written.read_bytes()


def assert_same_report(response: dict[str, Any], path: Path, tmp_path: Path) -> None:
    """`run` on LHC-Forms' response gives the bytes `run` gives on the answers file."""
    # LHC-Forms dates its response now, in UTC; the report's date is that date as written.
    authored = dt.datetime.fromisoformat(response["authored"])
    assert abs(authored - dt.datetime.now(dt.UTC)) < dt.timedelta(hours=1)
    date = response["authored"][:10]
    lforms = tmp_path / "lforms.json"
    lforms.write_text(json.dumps(response), encoding="utf-8")
    undated = tmp_path / f"answers{path.suffix}"
    # The same file without its own date, so --date gives both reports the same one.
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    undated.write_text("".join(x for x in lines if not x.startswith("date:")), encoding="utf-8")
    expected = report(undated, tmp_path / "from-answers", date)
    assert report(lforms, tmp_path / "from-lforms", date) == expected


def test_there_are_answer_sets_and_they_flip_every_branch(shipped_bank: QuestionBank) -> None:
    """Between them the sets ask and skip every conditional question, answer and skip every
    optional one, pick every exclusive answer, and give every number question a number and
    "not known": so LHC-Forms meets every path through the bank."""
    sets = [load_answers(path, shipped_bank).answers for path in ANSWER_SETS]
    assert len(EXAMPLES) >= 6 and BRANCHES
    missing = []
    for question in shipped_bank.questions:
        asked = [question.id in {q.id for q in asked_questions(shipped_bank, a)} for a in sets]
        answered = [question.id in a for a in sets]
        if question.asked_when and not (any(asked) and not all(asked)):
            missing.append(f"{question.id}: asked in some sets and not in others")
        if not question.required and not (any(answered) and not all(answered)):
            missing.append(f"{question.id}: answered in some sets and left out in others")
        if isinstance(question, NumberQuestion):
            values = [a.get(question.id) for a in sets]
            if UNKNOWN not in values or not any(isinstance(v, int | float) for v in values):
                missing.append(f"{question.id}: a number in one set and {UNKNOWN} in another")
        if isinstance(question, SeveralQuestion):
            for alone in question.exclusive:
                if not any(a.get(question.id) == [alone] for a in sets):
                    missing.append(f"{question.id}: [{alone}] in one set")
    assert not missing, f"add an answer set to {DATA / 'lforms'} for: {missing}"


def test_questionnaire_loads_without_errors(
    filler: Filler, questionnaire: dict[str, Any], shipped_bank: QuestionBank
) -> None:
    """Loaded empty, the form shows the questions asked before any answer, with no error."""
    filler.errors.clear()
    filler.load(questionnaire)
    shown = filler.shown()
    nothing = AnswerSet(answers={}, date=None)
    assert differences(shipped_bank, nothing, shown) == set()
    assert all(texts == [] for texts in shown.values())
    assert filler.errors == []


@pytest.mark.parametrize("path", ANSWER_SETS, ids=lambda p: p.name)
def test_lforms_response_gives_the_same_report(
    path: Path,
    filler: Filler,
    questionnaire: dict[str, Any],
    shipped_bank: QuestionBank,
    tmp_path: Path,
) -> None:
    """Answers typed and clicked into LHC-Forms: its own response gives `run` the same bytes."""
    answers = load_answers(path, shipped_bank)
    filler.load(questionnaire)
    fill(filler, shipped_bank, questionnaire, answers)
    shown = filler.shown()
    assert differences(shipped_bank, answers, shown) == set()
    assert read_back(shipped_bank, questionnaire, shown) == dict(answers.answers)
    assert_same_report(filler.response(), path, tmp_path)
    assert filler.errors == []


@pytest.mark.parametrize("path", ANSWER_SETS, ids=lambda p: p.name)
def test_product_response_shows_the_same_answers(
    path: Path,
    filler: Filler,
    questionnaire: dict[str, Any],
    shipped_bank: QuestionBank,
    tmp_path: Path,
) -> None:
    """The response `run --fhir` writes, loaded into LHC-Forms: the form shows every answer,
    "not known" included, and exactly the questions the product asks; saved again from
    there, it still gives the same report."""
    answers = load_answers(path, shipped_bank)
    response = build_response(shipped_bank, answers, dt.date.fromisoformat(DATE))
    filler.load(questionnaire, response)
    shown = filler.shown()
    assert differences(shipped_bank, answers, shown) == set()
    assert read_back(shipped_bank, questionnaire, shown) == dict(answers.answers)
    assert_same_report(filler.response(), path, tmp_path)
    assert filler.errors == []


def test_none_with_another_choice_from_lforms_is_refused_by_name(
    filler: Filler,
    questionnaire: dict[str, Any],
    shipped_bank: QuestionBank,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """LHC-Forms lets a person tick `none` and another answer (it ignores optionExclusive);
    `run` refuses that response with one message naming the question and the answer."""
    question, alone, answers = next(
        (q, alone, a)
        for q in shipped_bank.questions
        if isinstance(q, SeveralQuestion)
        for alone in q.exclusive
        for a in (load_answers(path, shipped_bank) for path in ANSWER_SETS)
        if a.answers.get(q.id) == [alone]
    )
    other = next(o.value for o in question.options if o.value != alone)
    filler.load(questionnaire)
    fill(filler, shipped_bank, questionnaire, answers)
    filler.choose(question.id, *_option(_items(questionnaire)[question.id], other))
    filler.close_list(question.id)
    response = tmp_path / "both.json"
    response.write_text(json.dumps(filler.response()), encoding="utf-8")
    capsys.readouterr()
    code = main(["run", str(response), "--out", str(tmp_path / "never")])
    err = capsys.readouterr().err
    assert code == 65
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"{response}: {question.id}: expected {alone!r} on its own" in err
    assert not (tmp_path / "never").exists()
