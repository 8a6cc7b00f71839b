"""One section screen shows every topic in turn: each visit shows that topic, as if new.

The app keeps one :class:`SectionScreen` and the questions of each topic once built
(bench/run.py figure 4); these tests check that reusing them never shows another
topic's questions, an old answer, or what was left open on an earlier visit.
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import sys
from pathlib import Path
from typing import get_args

import pytest
from textual.widgets import Button, Static

from decision_aid.core.answers import AnswerSet, load_answers
from decision_aid.core.bank import QuestionBank
from decision_aid.core.consultation import StepKind
from decision_aid.tui import app as app_module
from decision_aid.tui.screens.review import ReviewScreen
from decision_aid.tui.screens.section import SectionBody, SectionScreen
from decision_aid.tui.widgets.choice_field import ChoiceField
from decision_aid.tui.widgets.number_field import NumberField
from decision_aid.tui.widgets.step_header import StepHeader
from tests.helpers import DATA, TINY_ANSWERS
from tests.tui.helpers import TINY_KEYS, build_app, press

SIZE = (80, 24)


def header(screen: SectionScreen) -> tuple[str, str]:
    """The title and progress the screen's top line shows."""
    top = screen.query_one(StepHeader)
    return (
        str(top.query_one(".title", Static).render()),
        str(top.query_one(".progress", Static).render()),
    )


def shown(screen: SectionScreen) -> list[str]:
    """The ids of the questions shown (their blocks displayed and on screen)."""
    return [b.question.id for b in screen.blocks if b.display and b.region.height]


def focusable_questions(screen: SectionScreen) -> set[str]:
    """The questions whose answers the cursor can reach (Tab never enters a hidden topic)."""
    ids = set()
    for widget in screen.focus_chain:
        node = widget.parent
        while node is not None and not hasattr(node, "question"):
            node = node.parent
        if node is not None:
            ids.add(node.question.id)  # type: ignore[attr-defined]
    return ids


async def test_each_topic_shows_its_own_questions_and_answers(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Kidneys, review, values, and back: one screen, the right topic, title and answers."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:17])  # answered the kidneys, on "what matters to you"
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.section is not None
        assert screen.section.id == "values"
        assert header(screen) == ("What matters to you", "After the review, 1 of 1")
        assert shown(screen) == ["values.kidney_protection"]
        assert focusable_questions(screen) == {"values.kidney_protection"}
        await press(pilot, "b", "b", "b", "b")  # the evidence, At a glance, the review, kidneys
        assert app.screen is screen and screen.section.id == "kidneys"
        assert header(screen) == ("Your kidneys", "Topic 1 of 1")
        assert shown(screen) == [
            "nephritis.status",
            "nephritis.class",
            "kidney.egfr",
            "pregnancy.losses",
            "treatment.prior",
            "treatment.response",
        ]
        assert "values.kidney_protection" not in focusable_questions(screen)
        assert {b.question.id: b.value for b in screen.blocks} == {
            k: v for k, v in TINY_ANSWERS.items() if not k.startswith("values.")
        }
        assert screen.next_button.has_focus  # every answer given: the cursor is on Next


async def test_a_topic_opened_again_shows_what_a_new_one_would(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """ "Why we ask", "needs an answer" marks and a moved cursor are not kept between visits."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "question_mark", "down", "n")  # why shown, cursor moved, Next
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        first = screen.blocks[0]
        field = first.field
        assert isinstance(field, ChoiceField)
        assert first.has_class("-why") and field.cursor == 1
        assert [b.question.id for b in screen.blocks if b.has_class("-needed")]
        await press(pilot, "b")  # back to the welcome, then start again
        await press(pilot, "n")
        assert app.screen is screen
        assert not any(b.has_class("-why") or b.has_class("-needed") for b in screen.blocks)
        assert field.cursor == 0 and field.has_focus


async def test_an_edit_from_the_review_and_back_again(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Opened from the review the buttons lead back there; opened again normally, they do
    not, and the topic shows the changed answer."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:14])
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "down", "down", "enter")  # change eGFR
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.from_review
        assert str(screen.next_button.label) == "Done: back to the review ›"
        assert not screen.query_one("#back", Button).display  # one button, not two "Back"s
        assert header(screen)[1] == "Changing an answer"
        await press(pilot, "6", "0", "n")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "b")  # the last topic, as Back leads there from the review
        assert app.screen is screen and not screen.from_review
        assert str(screen.next_button.label) == "Next ›"
        assert str(screen.query_one("#back", Button).label) == "‹ Back"
        assert screen.query_one("#back", Button).display
        assert header(screen)[1] == "Topic 1 of 1"
        egfr = next(b for b in screen.blocks if b.question.id == "kidney.egfr").field
        assert isinstance(egfr, NumberField)
        assert egfr.value == 60 and egfr.input.value == "60"


async def test_a_kept_topic_shows_answers_changed_while_it_was_hidden(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Shown again after its answers changed elsewhere, a topic shows the new answers and
    the questions they ask, not those it was built with."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:17])  # the values topic; the kidneys one is kept
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        kidneys = tiny_bank.section("kidneys")
        answers = {"nephritis.status": "none", "kidney.egfr": "unknown"}
        asked = [q for q in tiny_bank.questions if q.section == "kidneys"]
        asked = [q for q in asked if q.id not in ("nephritis.class", "treatment.response")]
        await screen.show_section(kidneys, "Topic 1 of 1", asked, answers)
        await pilot.pause()
        assert shown(screen) == [q.id for q in asked]
        values = {b.question.id: b.value for b in screen.blocks}
        assert values == {
            "nephritis.status": "none",
            "kidney.egfr": "unknown",
            "pregnancy.losses": None,
            "treatment.prior": None,
        }
        egfr = next(b for b in screen.blocks if b.question.id == "kidney.egfr").field
        assert isinstance(egfr, NumberField) and egfr.input.value == ""
        not_sure = egfr.query_one(".not-sure", ChoiceField)
        assert not_sure.value == ["unknown"]
        # The cursor goes to the first question without an answer, as in a new topic.
        assert next(
            b for b in screen.blocks if b.question.id == "pregnancy.losses"
        ).field.input.has_focus  # type: ignore[attr-defined]


async def test_next_twice_quickly_goes_two_topics_on(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Enter on Next right after Enter on Next works: the button is the same one, and a
    Textual button ignores Enter for 0.2 s after a press."""
    answers = load_answers(DATA / "answers" / "contract-example.answers.yaml", shipped_bank)
    app = build_app(shipped_bank, tmp_path, answers=answers)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")  # every answer given: the cursor is on Next
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.section is not None
        first = screen.section.id
        await pilot.press("enter", "enter")  # well within 0.2 s of each other
        await pilot.pause()
        order = [s.id for s in app.consultation.clinical]
        assert screen.section.id == order[order.index(first) + 2]


async def test_an_answers_file_topic_opens_on_next(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """With every answer given, each topic opens with the cursor on Next."""
    app = build_app(tiny_bank, tmp_path, answers=AnswerSet(answers=TINY_ANSWERS))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen) and screen.next_button.has_focus
        await press(pilot, "n", "n", "n", "n")  # the review, At a glance, the evidence, values
        assert app.screen is screen and screen.next_button.has_focus


async def test_the_next_topic_is_built_while_the_person_reads(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Once a topic is shown, the next one's questions are built, hidden and out of reach
    of the cursor until that topic is shown."""
    app = build_app(shipped_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        first, second = (s.id for s in app.consultation.clinical[:2])
        bodies = {body.section.id: body for body in screen.query(SectionBody)}
        assert set(bodies) == {first, second}
        assert not bodies[second].display and bodies[second].blocks
        following = {q.id for q in app.consultation.questions_in(second)}
        assert not following & focusable_questions(screen)
        await press(pilot, "enter", "4", "5", "enter", "n")  # "No" kidney disease, eGFR 45
        assert screen.section is not None and screen.section.id == second
        assert shown(screen) == [q.id for q in app.consultation.questions_in(second)]


async def test_a_topic_shown_while_it_is_being_built_is_built_once(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Next pressed before the next topic's questions are ready waits for them."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        values = tiny_bank.section("values")
        questions = [q for q in tiny_bank.questions if q.section == "values"]
        building = asyncio.create_task(screen.prepare(values, questions, {}))
        await asyncio.sleep(0)  # the build has started, not finished
        await screen.show_section(values, "After the review, 1 of 1", questions, {})
        await building
        await pilot.pause()
        assert [b.section.id for b in screen.query(SectionBody)] == ["kidneys", "values"]
        assert shown(screen) == [q.id for q in questions]


async def test_a_question_asked_again_shows_as_new(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """A follow-up question is shown when an answer asks it and hidden when one no longer
    does; asked again, it shows no answer (the one it had was removed)."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        assert "nephritis.class" not in shown(screen)
        await press(pilot, "down", "enter", "down", "enter")  # biopsy, class V
        assert shown(screen)[:2] == ["nephritis.status", "nephritis.class"]
        follow_up = screen.blocks[1]
        assert follow_up.value == "V"
        await press(pilot, "shift+tab", "shift+tab", "up", "enter")  # "No": class not asked
        assert "nephritis.class" not in shown(screen)
        assert "nephritis.class" not in app.consultation.answers
        await press(pilot, "shift+tab", "down", "enter")  # biopsy again
        assert screen.blocks[1] is follow_up and follow_up.value is None
        field = follow_up.field
        assert isinstance(field, ChoiceField) and field.cursor == 0 and field.has_focus


async def test_the_collector_runs_once_the_next_topic_is_built(
    shipped_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's collector runs between topics (after the next one is built), not in the
    middle of a key press whenever it comes due."""
    app = build_app(shipped_bank, tmp_path)
    built: list[list[str]] = []

    def collect(generation: int = 2) -> int:
        built.append([body.section.id for body in app.screen.query(SectionBody)])
        return 0

    monkeypatch.setattr(gc, "collect", collect)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        first, second = (s.id for s in app.consultation.clinical[:2])
        assert built == [[first, second]]


async def test_the_next_screens_modules_load_while_the_person_reads(
    tiny_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The modules the review or the summary needs are imported once the topic before it
    is shown, and not sooner: opening that screen then does not wait for them."""
    for name in ("probe_review", "probe_summary"):
        (tmp_path / f"{name}.py").write_text("", encoding="utf-8")
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        app_module, "STEP_MODULES", {"review": ("probe_review",), "summary": ("probe_summary",)}
    )
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")  # kidneys: the review follows
        assert "probe_review" in sys.modules
        assert "probe_summary" not in sys.modules
        keys = TINY_KEYS[1 : TINY_KEYS.index("n", 1) + 3]  # At a glance, the evidence, values
        await press(pilot, *keys)
        assert app.screen.section is not None and app.screen.section.id == "values"
        assert "probe_summary" in sys.modules


def test_each_step_module_is_a_real_module_for_a_real_step() -> None:
    """The names are real modules, for real kinds of step (a wrong one would stop the
    consultation when the step before it is shown)."""
    assert set(app_module.STEP_MODULES) <= set(get_args(StepKind))
    for names in app_module.STEP_MODULES.values():
        for name in names:
            assert importlib.util.find_spec(name) is not None, name
