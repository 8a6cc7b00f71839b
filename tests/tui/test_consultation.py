"""The consultation driven with the keyboard (and the mouse) through Textual's pilot."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import yaml

from decision_aid.cli import main
from decision_aid.core.bank import QuestionBank
from decision_aid.core.resume import resume_path
from decision_aid.tui.screens.confirm import QuitScreen
from decision_aid.tui.screens.report_pages import EvidenceScreen, GlanceScreen
from decision_aid.tui.screens.review import ReviewScreen
from decision_aid.tui.screens.save import SavedScreen, SaveScreen
from decision_aid.tui.screens.section import SectionScreen
from decision_aid.tui.screens.summary import SummaryScreen
from decision_aid.tui.screens.welcome import WelcomeScreen
from decision_aid.tui.widgets.choice_field import ChoiceField
from decision_aid.tui.widgets.number_field import NumberField
from decision_aid.tui.widgets.question_block import QuestionBlock
from tests.helpers import TINY, TINY_ANSWERS
from tests.tui.helpers import DATE, NAME_PART, TINY_KEYS, build_app, press

SIZE = (80, 24)


def block(app: object, question_id: str) -> QuestionBlock:
    """The block of ``question_id`` on the current section screen."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, SectionScreen)
    return next(b for b in screen.blocks if b.question.id == question_id)


def notices(app: object) -> list[str]:
    """The text of every notification shown so far."""
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def test_whole_consultation_saves_report_and_answers(
    tiny_bank: QuestionBank, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Start to saved report with the keyboard: both files are private, the resumable copy
    is gone, and the report is byte for byte what `run NAME.answers.yaml` writes."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS)
        assert isinstance(app.screen, SummaryScreen)
        assert app.consultation.answers == TINY_ANSWERS
        assert resume_path().exists()
        await press(pilot, "s")  # save
        assert isinstance(app.screen, SaveScreen)
        await press(pilot, "enter")  # accept the proposed name
        assert isinstance(app.screen, SavedScreen)
        await press(pilot, "enter")  # Quit
    assert app.return_code == 0

    name = f"{DATE.isoformat()}-{NAME_PART}"
    report = tmp_path / "reports" / f"{name}.md"
    answers = tmp_path / "reports" / f"{name}.answers.yaml"
    for path in (report, answers):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = yaml.safe_load(answers.read_text(encoding="utf-8"))
    assert saved["date"] == DATE and saved["answers"] == TINY_ANSWERS
    assert not resume_path().exists()

    rebuilt = tmp_path / "rebuilt.md"
    code = main(["run", str(answers), "--out", str(rebuilt), "--questions", str(TINY)])
    assert code == 0, capsys.readouterr().err
    assert rebuilt.read_bytes() == report.read_bytes()


async def test_back_goes_back_and_keeps_answers(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """Back from the values returns through the evidence and At a glance to the review, then
    to the section, answers in place."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:17])  # up to what matters to you
        assert isinstance(app.screen, SectionScreen) and app.screen.section.id == "values"
        await press(pilot, "b")
        assert isinstance(app.screen, EvidenceScreen)
        await press(pilot, "b")
        assert isinstance(app.screen, GlanceScreen)
        await press(pilot, "b")
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "b")
        assert isinstance(app.screen, SectionScreen) and app.screen.section.id == "kidneys"
        assert block(app, "kidney.egfr").value == 45
        assert block(app, "nephritis.class").value == "V"
        await press(pilot, "b")
        assert isinstance(app.screen, WelcomeScreen)
    assert app.consultation.answers == {
        k: v for k, v in TINY_ANSWERS.items() if not k.startswith("values.")
    }


async def test_changing_an_answer_drops_the_answers_it_hides(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Choosing "No" kidney disease after a biopsy class removes the class and says so."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "down", "enter", "down", "enter")
        assert app.consultation.answers["nephritis.class"] == "V"
        block(app, "nephritis.status").focus_answer()
        await press(pilot, "up", "enter")  # "No"
        assert "nephritis.class" not in app.consultation.answers
        assert [b.question.id for b in app.screen.blocks][:2] == [  # type: ignore[attr-defined]
            "nephritis.status",
            "kidney.egfr",
        ]
        assert any("Biopsy class" in text for text in notices(app))
        saved = json.loads(resume_path().read_text(encoding="utf-8"))
        assert saved["answers"] == {"nephritis.status": "none"}


async def test_number_out_of_range_is_refused_with_the_range(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """250 for eGFR shows the allowed range as it is typed; Enter and Next do not take it."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter")  # "No": the cursor goes to eGFR
        field = block(app, "kidney.egfr").field
        assert isinstance(field, NumberField)
        await press(pilot, "2", "5")
        assert not field.has_class("-problem")
        await press(pilot, "0")
        assert field.has_class("-problem")
        assert "from 0 to 200" in str(field.problem.render())
        await press(pilot, "enter", "n")
        assert isinstance(app.screen, SectionScreen)
        assert "kidney.egfr" not in app.consultation.answers
        assert field.input.has_focus
        await press(pilot, "backspace", "enter")
        assert app.consultation.answers["kidney.egfr"] == 25
        assert not field.has_class("-problem")


async def test_not_sure_answers_a_number_question(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """The bank's "not known" choice under a number box answers `unknown`."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter", "4", "tab", "enter")
        assert app.consultation.answers["kidney.egfr"] == "unknown"
        field = block(app, "kidney.egfr").field
        assert isinstance(field, NumberField) and field.input.value == ""


async def test_next_needs_the_required_answers(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """Next with questions unanswered stays, marks each one and names them."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter", "n")
        assert isinstance(app.screen, SectionScreen)
        needed = [b.question.id for b in app.screen.blocks if b.has_class("-needed")]
        assert needed == [
            "kidney.egfr",
            "pregnancy.losses",
            "treatment.prior",
            "treatment.response",
        ]
        assert any("Past miscarriages" in text for text in notices(app))


async def test_why_we_ask_shows_on_a_key(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """? shows why the current question is asked, and hides it again."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "question_mark")
        first = block(app, "nephritis.status")
        assert first.has_class("-why")
        assert first.query_one(".why").display
        await press(pilot, "question_mark")
        assert not first.has_class("-why")


async def test_review_opens_an_answer_to_change_it(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """Enter on an answer in the review opens it; Next returns to the review, changed."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:14])
        assert isinstance(app.screen, ReviewScreen)
        await press(pilot, "down", "down", "enter")  # the third answer: eGFR
        assert isinstance(app.screen, SectionScreen) and app.screen.from_review
        egfr = block(app, "kidney.egfr").field
        assert isinstance(egfr, NumberField) and egfr.input.has_focus
        await press(pilot, "6", "0", "n")  # typing replaces the old answer
        assert isinstance(app.screen, ReviewScreen)
        assert app.consultation.answers["kidney.egfr"] == 60
        assert app.screen.answers.highlighted_option is not None
        assert app.screen.answers.highlighted_option.id == "kidney.egfr"
        assert "60 mL/min" in str(app.screen.answers.highlighted_option.prompt)


async def test_quit_with_unsaved_answers_asks_first(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Ctrl+Q with answers not in a report asks; Stay stays, Quit quits."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter", "ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await press(pilot, "enter")  # Stay has the cursor
        assert isinstance(app.screen, SectionScreen)
        await press(pilot, "ctrl+q", "q")
    assert app.return_code == 0
    assert resume_path().exists()


async def test_quit_without_answers_does_not_ask(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """With nothing answered, Ctrl+Q quits at once."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "ctrl+q")
    assert app.return_code == 0


async def test_resume_continues_where_it_stopped(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """An app stopped mid-way (no save, no quit question) is continued by --resume."""
    first = build_app(tiny_bank, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:10])  # the kidneys section, half answered
        kept = dict(first.consultation.answers)
        first.exit()  # as if the terminal closed
    assert stat.S_IMODE(resume_path().stat().st_mode) == 0o600

    second = build_app(tiny_bank, tmp_path, resume=True)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, SectionScreen)
        assert second.consultation.answers == kept
        assert block(second, "treatment.prior").field.has_focus
        await press(pilot, *TINY_KEYS[10:], "s", "enter", "enter")
    assert second.return_code == 0
    assert not resume_path().exists()


async def test_resume_drops_what_is_no_longer_valid(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """A resumable file with a wrong value and an unknown id keeps the rest and says so."""
    path = resume_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "format": "ivig-decision-aid/resume/1",
                "position": "review",
                "answers": {"nephritis.status": "none", "kidney.egfr": 900, "no.such": 1},
            }
        ),
        encoding="utf-8",
    )
    app = build_app(tiny_bank, tmp_path, resume=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.consultation.answers == {"nephritis.status": "none"}
        assert isinstance(app.screen, ReviewScreen)
        shown = " ".join(notices(app))
        assert "Kidney function" in shown and "no.such" in shown


async def test_save_failure_keeps_the_answers(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """A reports folder that cannot be made gives an error message; nothing is lost."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    app = build_app(tiny_bank, tmp_path, reports_dir=blocker / "reports")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS, "s", "enter")
        assert isinstance(app.screen, SummaryScreen)
        assert any(n.severity == "error" for n in app._notifications)
        assert app.consultation.unsaved
        assert resume_path().exists()


async def test_answers_file_starts_prefilled(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """--answers fills every screen in: Next alone goes through, and quitting does not ask."""
    from decision_aid.core.answers import AnswerSet

    app = build_app(tiny_bank, tmp_path, answers=AnswerSet(answers=TINY_ANSWERS))
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        assert block(app, "kidney.egfr").value == 45
        assert app.screen.next_button.has_focus  # type: ignore[attr-defined]
        await press(pilot, "n", "n", "n", "n", "n")  # review, glance, evidence, values
        assert isinstance(app.screen, SummaryScreen)
        await press(pilot, "ctrl+q")
    assert app.return_code == 0


async def test_mouse_chooses_an_option(tiny_bank: QuestionBank, tmp_path: Path) -> None:
    """Clicking an option chooses it, as Enter does."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        field = block(app, "nephritis.status").field
        assert isinstance(field, ChoiceField)
        await pilot.click(field, offset=(8, 1))  # the second option's label
        await pilot.pause()
        assert app.consultation.answers["nephritis.status"] == "biopsy_proven"


async def test_several_choices_keep_none_on_its_own(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Ticking "None of these" unticks the others, and ticking another unticks it."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "n")
        block(app, "treatment.prior").focus_answer()
        await press(pilot, "enter", "down", "enter")
        assert app.consultation.answers["treatment.prior"] == ["mycophenolate", "cyclophosphamide"]
        await press(pilot, "down", "enter")
        assert app.consultation.answers["treatment.prior"] == ["none"]
        assert "treatment.response" not in [b.question.id for b in app.screen.blocks]  # type: ignore[attr-defined]
        await press(pilot, "up", "enter")
        assert app.consultation.answers["treatment.prior"] == ["cyclophosphamide"]


async def test_high_contrast_on_a_key_and_with_no_color(
    tiny_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+T switches to high contrast and back; NO_COLOR starts in high contrast."""
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-dark"
        await press(pilot, "ctrl+t")
        assert app.theme == "decision-aid-high-contrast"
        await press(pilot, "ctrl+t")
        assert app.theme == "textual-dark"
    monkeypatch.setenv("NO_COLOR", "1")
    plain = build_app(tiny_bank, tmp_path)
    async with plain.run_test(size=SIZE) as pilot:
        assert plain.theme == "decision-aid-high-contrast"


async def test_welcome_says_an_unsaved_consultation_is_waiting(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """Starting afresh while a resumable copy exists says how to continue it instead."""
    first = build_app(tiny_bank, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await press(pilot, "n", "enter")
        first.exit()
    second = build_app(tiny_bank, tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, WelcomeScreen)
        note = str(second.screen.query_one(".note").render())
        assert "--resume" in note
