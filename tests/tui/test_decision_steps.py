"""The consultation on the shipped bank: nothing chosen for the person, flags as they arise,
no citation markup on any screen, and the focused control marked in text (issue 15)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Markdown, Static

from decision_aid.core.answers import AnswerSet, load_answers
from decision_aid.core.bank import ChoiceQuestion, QuestionBank
from decision_aid.core.citations import strip_markers
from decision_aid.core.flags import flag_line, raised_points
from decision_aid.tui.app import DecisionAidApp
from decision_aid.tui.screens.report_pages import EvidenceScreen
from decision_aid.tui.screens.section import SectionScreen
from decision_aid.tui.screens.summary import SummaryScreen
from decision_aid.tui.widgets.choice_field import ChoiceField
from decision_aid.tui.widgets.marked_button import MARK
from decision_aid.tui.widgets.question_block import QuestionBlock
from tests.tui.helpers import build_app, press

SIZE = (80, 24)
EXAMPLE = Path(__file__).parents[2] / "examples" / "several-unknowns.yaml"
"""Clinical answers only: no value, no SURE answer."""


def clinical_answers(bank: QuestionBank) -> AnswerSet:
    return load_answers(EXAMPLE, bank)


def on_screen(app: DecisionAidApp) -> str:
    """Every text the current screen shows, its pictures' and its widgets' alike."""
    texts = [str(widget.render()) for widget in app.screen.query(Static) if widget.display]
    return "\n".join(texts) + app.export_screenshot()


async def press_until(pilot: Pilot[Any], key: str, done: Any, limit: int = 40) -> None:
    """Press ``key`` until ``done()`` holds (at most ``limit`` times)."""
    for _ in range(limit):
        if done():
            return
        await press(pilot, key)
    assert done(), f"not reached after {limit} presses of {key!r}"


def in_values_step(app: DecisionAidApp) -> bool:
    screen = app.screen
    values = {s.id for s in app.consultation.values}
    return isinstance(screen, SectionScreen) and getattr(screen.section, "id", "") in values


async def test_enters_over_values_leaning_and_sure_record_nothing(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Enter on optional questions with nothing chosen moves on and records nothing: thirteen
    presses go through every value, the leaning and every SURE question to the summary."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    optional = [q.id for s in app.consultation.values for q in app.consultation.questions_in(s.id)]
    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", lambda: in_values_step(app))
        before = dict(app.consultation.answers)
        # One Enter per optional question (six values, the leaning, four SURE questions),
        # and one on Next for each of the two screens: the twelve, and the leaning.
        presses = len(optional) + len(app.consultation.values)
        assert presses == 13
        for _ in range(presses):
            await press(pilot, "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert app.consultation.answers == before
        assert not any(qid in app.consultation.answers for qid in optional)


async def test_an_optional_question_starts_with_nothing_under_the_cursor(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """The first key moves to the first option; Enter then chooses it."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", lambda: in_values_step(app))
        field = app.screen.focused
        assert isinstance(field, ChoiceField) and field.cursor == -1
        assert "›" not in str(field.render())
        await press(pilot, "down")
        assert field.cursor == 0 and "›" in str(field.render())
        await press(pilot, "enter")
        block = field.parent
        assert isinstance(block, QuestionBlock)
        assert app.consultation.answers[block.question.id] == field.options[0][0]


async def test_a_point_shows_under_the_answer_that_raises_it(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Choosing an option that raises a stop or take-care point shows the point's first
    sentence under that question at once, with its level word, as the report words it."""
    answers = dict(clinical_answers(shipped_bank).answers)
    # A choice question whose option raises a point that the example's answers do not.
    found = None
    for question in shipped_bank.questions:
        if not isinstance(question, ChoiceQuestion) or question.id not in answers:
            continue
        for option in question.options:
            trial = {**answers, question.id: option.value}
            raised = raised_points(shipped_bank, trial).get(question.id)
            if raised and not raised_points(shipped_bank, answers).get(question.id):
                found = question, option.value, [flag_line(shipped_bank, p) for p in raised]
                break
        if found:
            break
    assert found is not None, "the shipped bank has a choice that raises a point"
    question, value, lines = found

    app = build_app(shipped_bank, tmp_path, answers=AnswerSet(answers=answers))

    def showing() -> bool:
        screen = app.screen
        return isinstance(screen, SectionScreen) and any(
            b.question.id == question.id for b in screen.blocks
        )

    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", showing)
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        block = next(b for b in screen.blocks if b.question.id == question.id)
        assert not block.has_class("-flagged")
        field = block.field
        assert isinstance(field, ChoiceField)
        field.focus()
        field.cursor = [v for v, _ in field.options].index(value)
        await press(pilot, "enter")
        assert block.has_class("-flagged")
        shown = str(block.query_one(".flags", Static).render())
        assert shown == "\n".join(lines)
        assert all(line.startswith("! ") for line in lines)
        assert "[@" not in shown


async def test_no_citation_markup_on_any_screen(shipped_bank: QuestionBank, tmp_path: Path) -> None:
    """A whole consultation on the shipped bank, every "why we ask" opened: no screen shows a
    raw ``[@source-id]`` marker and no line is wider than the terminal."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    seen = 0
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(30):
            screen = app.screen
            if isinstance(screen, SectionScreen):
                screen.next_button.focus()
                await press(pilot, "question_mark")  # every "why we ask" of the topic
            text = on_screen(app)
            assert "[@" not in text, type(screen).__name__
            seen += 1
            if isinstance(screen, SummaryScreen):
                break
            await press(pilot, "n")
        assert isinstance(app.screen, SummaryScreen)
    assert seen >= 10


async def test_the_focused_button_is_marked_in_text(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """The button with the cursor reads "› Next ›"; the others keep the mark's room blank."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        screen.next_button.focus()
        await pilot.pause()
        back = screen.query_one("#back", Button)
        assert str(screen.next_button.render()).startswith(MARK)
        assert str(back.render()).startswith(" " * len(MARK))
        back.focus()
        await pilot.pause()
        assert str(back.render()).startswith(MARK)
        assert not str(screen.next_button.render()).startswith(MARK)


async def test_each_value_shows_what_each_option_offers_on_it(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Under a value, the options table's short cells for the rows it bears on, both options."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    names = (shipped_bank.options.ivig_name, shipped_bank.options.standard_name)
    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", lambda: in_values_step(app))
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        with_rows = [b for b in screen.blocks if getattr(b.question, "rows", [])]
        assert with_rows
        for block in with_rows:
            beside = str(block.query_one(".beside", Static).render())
            assert all(f"{name}: " in beside for name in names)
            assert "[@" not in beside


async def test_a_no_to_a_sure_question_shows_its_next_step(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """Answering "no" shows, under that question, the next step the report suggests."""
    advice = shipped_bank.report.sure_advice[0]
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))

    def showing() -> bool:
        screen = app.screen
        return isinstance(screen, SectionScreen) and any(
            b.question.id == advice.question for b in screen.blocks
        )

    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", showing)
        screen = app.screen
        assert isinstance(screen, SectionScreen)
        block = next(b for b in screen.blocks if b.question.id == advice.question)
        field = block.field
        assert isinstance(field, ChoiceField)
        field.focus()
        field.cursor = [v for v, _ in field.options].index("no")
        await press(pilot, "enter")
        assert app.consultation.answers[advice.question] == "no"
        shown = str(block.query_one(".flags", Static).render())
        assert shown.startswith(strip_markers(advice.if_no)[:40])


async def test_the_evidence_shows_one_part_at_a_time_and_digits_jump(
    shipped_bank: QuestionBank, tmp_path: Path
) -> None:
    """The contents list every section and row; a digit goes to that section, and only the
    part highlighted is laid out."""
    app = build_app(shipped_bank, tmp_path, answers=clinical_answers(shipped_bank))
    async with app.run_test(size=SIZE) as pilot:
        await press_until(pilot, "n", lambda: isinstance(app.screen, EvidenceScreen))
        screen = app.screen
        assert isinstance(screen, EvidenceScreen)
        assert len(screen.sections) >= 5
        await press(pilot, "3")
        assert screen.contents.highlighted == screen.sections[2]
        shown = screen.query_one(Markdown).source
        assert shown == screen.parts[screen.sections[2]].text
        assert len(screen.query(Markdown)) == 1
        await press(pilot, "down")
        assert screen.query_one(Markdown).source == screen.parts[screen.sections[2] + 1].text
