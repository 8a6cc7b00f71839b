"""The consultation app: the flow from welcome to saved report, over the core's functions.

``run_consultation`` is what the command line calls; ``make_app`` builds the same app
for it and for the tests (posting's ``make_posting`` pattern). The app owns the
:class:`Consultation`; screens show what it passes down and report what the person did
(``SectionScreen.Answered``, ``dismiss``), and the app decides what comes next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType

from decision_aid.core.answers import AnswerSet
from decision_aid.core.bank import Question, QuestionBank, Section
from decision_aid.core.citations import strip_markers
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.consultation import REVIEW, WELCOME, Consultation, Step
from decision_aid.core.flags import answer_lines
from decision_aid.core.resume import (
    ResumeState,
    clear_resume,
    load_resume,
    resume_path,
    save_resume,
)
from decision_aid.core.values_beside import options_beside
from decision_aid.errors import DecisionAidError
from decision_aid.pipeline import (
    consultation_answers,
    proposed_name,
    random_part,
    render,
    report_paths,
    save_consultation,
    shown_path,
    summarise,
)
from decision_aid.tui.screens.welcome import WelcomeScreen
from decision_aid.tui.themes import DEFAULT_THEME, HIGH_CONTRAST

# Every screen after the welcome is imported when first shown, not at start: the
# summary brings Textual's Markdown widget and its parser, the sections every field
# widget (bench/run.py figure 3). Their messages reach the app by handler name.
if TYPE_CHECKING:
    from decision_aid.tui.screens.review import ReviewRow
    from decision_aid.tui.screens.section import SectionScreen


STEP_MODULES: dict[str, tuple[str, ...]] = {
    "review": ("decision_aid.tui.screens.review",),
    "glance": ("decision_aid.tui.screens.report_pages", "decision_aid.report.render"),
    "summary": ("decision_aid.tui.screens.summary", "decision_aid.report.render"),
}
"""What a step's screen imports when it is first shown, loaded while the step before it
is read: the summary's (Textual's Markdown widget, markdown-it, Jinja2) were about 100 of
the 255 ms between the key press and the report (bench/run.py figure 4, others)."""

GC_THRESHOLD = 10_000
"""Allocations between the collector's youngest-generation runs (Python's default: 700)."""


class DecisionAidApp(App[int]):
    """One consultation, from welcome to saved report."""

    CSS_PATH = "app.tcss"
    TITLE = "IVIG decision aid"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            id="quit",
            tooltip="Quit (asks first when answers are not saved in a report).",
        ),
        Binding(
            "ctrl+t",
            "toggle_contrast",
            "Contrast",
            id="contrast",
            tooltip="Switch between the usual colours and high contrast.",
        ),
    ]
    """
    | Key(s) | Description |
    | :- | :- |
    | ctrl+q | Quit; asks first when answers are not saved in a report. |
    | ctrl+t | Switch high-contrast colours on or off. |
    """

    def __init__(
        self,
        bank: QuestionBank,
        *,
        consultation: Consultation,
        start: Step,
        reports_dir: Path,
        resume_file: Path,
        report_date: dt.date,
        name_part: Callable[[], str] = random_part,
        notices: list[str] | None = None,
        welcome_note: str = "",
    ) -> None:
        super().__init__()
        self.bank = bank
        self.consultation = consultation
        self.reports_dir = reports_dir
        self.resume_file = resume_file
        """Where every answer is kept as it is given (the user's data folder)."""
        self.report_date = report_date
        """The date the report carries (the day the consultation started)."""
        self._name_part = name_part
        self._start = start
        self._notices = list(notices or [])
        self._welcome_note = welcome_note
        self._report: tuple[AnswerSet, str] | None = None
        """The last report made, with the answers it was made for."""
        self._kept = True
        """Whether the last write of the resumable copy worked."""
        self._position = start
        self._sections: SectionScreen | None = None
        """The one section screen, once the first section has been shown."""

    # --- start and the flow ----------------------------------------------------------------

    def on_mount(self) -> None:
        self.register_theme(HIGH_CONTRAST)
        self.theme = HIGH_CONTRAST.name if self.no_color else DEFAULT_THEME
        for notice in self._notices:
            self.notify(notice, title="Continuing", severity="warning", timeout=10)
        self.run_flow()

    @work(exclusive=True, group="flow")
    async def run_flow(self) -> None:
        """Show one step after another until the app exits."""
        step = self._start
        while True:
            self._position = step
            self._keep()
            step = await self._show(step)

    async def _show(self, step: Step) -> Step:
        consultation = self.consultation
        if step.kind == "welcome":
            await self.push_screen_wait(
                WelcomeScreen(self.bank.report.title, welcome_text(self.bank), self._welcome_note)
            )
            return consultation.after(step)
        if step.kind == "section":
            assert step.section is not None
            screen = await self._show_section(step)
            self._settle_after(step)
            result = await screen.visit()
            for question_id, value in result.answers.items():
                asked = {q.id for q in consultation.questions_in(step.section)}
                # An earlier answer in the result may have hidden this question since.
                if question_id in asked and consultation.answers.get(question_id) != value:
                    self._record(question_id, value)
            return consultation.after(step) if result.move == "next" else consultation.before(step)
        if step.kind == "review":
            from decision_aid.tui.screens.review import ReviewScreen

            shown = self.push_screen(
                ReviewScreen(self._review_groups(), focus=step.focus), wait_for_dismiss=True
            )
            self._settle_after(step)
            choice = await shown
            if choice.move == "edit":
                assert choice.question_id is not None
                return consultation.edit(choice.question_id)
            if choice.move == "back":
                return consultation.before(step)
            missing = consultation.missing(consultation.clinical)
            if missing:
                self.notify(
                    f'Please answer "{missing[0].short}" first.', title="An answer is needed"
                )
                return consultation.edit(missing[0].id)
            return consultation.after(step)
        if step.kind in ("glance", "evidence"):
            return await self._show_report_pages(step)
        if consultation.missing(consultation.clinical + consultation.values):
            return REVIEW
        try:
            report = self.report_text()
        except DecisionAidError as exc:  # a bug if it happens: say so, keep the answers
            self.notify("\n".join(exc.lines()), title="No report", severity="error", timeout=15)
            return REVIEW
        from decision_aid.tui.screens.summary import SummaryScreen

        await self.push_screen_wait(SummaryScreen(report, self._date_text()))
        return consultation.before(step)

    async def _show_report_pages(self, step: Step) -> Step:
        """At a glance (the report's first section) or the rest of it, a part at a time."""
        from decision_aid.tui.screens.report_pages import (
            EvidenceScreen,
            GlanceScreen,
            report_parts,
        )

        consultation = self.consultation
        missing = consultation.missing(consultation.clinical)
        if missing:
            return consultation.edit(missing[0].id)
        try:
            parts = report_parts(self.report_text())
        except DecisionAidError as exc:  # a bug if it happens: say so, keep the answers
            self.notify("\n".join(exc.lines()), title="No report", severity="error", timeout=15)
            return REVIEW
        sections = [i for i, part in enumerate(parts) if part.depth == 2]
        rest = parts[sections[1] :] if len(sections) > 1 else []
        if step.kind == "glance":
            screen: GlanceScreen | EvidenceScreen = GlanceScreen(parts[0], "After the review")
        else:
            screen = EvidenceScreen(rest, "After the review", "The evidence, a part at a time")
        move = await self.push_screen_wait(screen)
        return consultation.after(step) if move == "next" else consultation.before(step)

    async def _show_section(self, step: Step) -> SectionScreen:
        """Show the step's section on the one section screen (made and pushed when first used).

        The section screen stays in the stack from then on, under the review, the
        summary and the welcome when they are shown: going from one section to the next
        changes what it shows instead of building a new screen (``bench/run.py`` figure 4).
        """
        from decision_aid.tui.screens.section import SectionScreen

        assert step.section is not None
        consultation = self.consultation
        number, total, after_review = consultation.progress(step.section)
        if step.from_review:
            progress = "Changing an answer"
        elif after_review:
            progress = f"After the review, {number} of {total}"
        else:
            progress = f"Topic {number} of {total}"
        with self.batch_update():  # the new screen is drawn once, with its questions
            screen = self._sections
            if screen is None:
                every: dict[str, list[Question]] = {}
                for question in self.bank.questions:
                    every.setdefault(question.section, []).append(question)
                screen = self._sections = SectionScreen(every, options_beside(self.bank))
                await self.push_screen(screen)
            await screen.show_section(
                self.bank.section(step.section),
                progress,
                consultation.questions_in(step.section),
                consultation.answers,
                focus=step.focus,
                from_review=step.from_review,
            )
            screen.show_flags(self._flag_lines())
        return screen

    def _flag_lines(self) -> dict[str, list[str]]:
        """What to show under each answer given (points raised, next steps after a "no")."""
        return answer_lines(self.bank, self.consultation.answers)

    def _settle_after(self, step: Step) -> None:
        """Once this step is drawn, and so while the person reads it: have the section
        screen build the next topic's questions, then run Python's collector."""
        screen, following = self._sections, self.consultation.after(step)
        if screen is None:
            return
        next_section = None
        if following.kind == "section" and following.section is not None:
            section = self.bank.section(following.section)
            questions = self.consultation.questions_in(section.id)
            next_section = (section, questions, dict(self.consultation.answers))
        modules = STEP_MODULES.get(following.kind, ())
        # After the refresh, then queued on the section screen: not part of this step's
        # first picture. A key pressed meanwhile waits until the topic is built.
        self.call_after_refresh(screen.call_later, self._settle, screen, next_section, modules)

    async def _settle(
        self,
        screen: SectionScreen,
        next_section: tuple[Section, list[Question], dict[str, AnswerValue]] | None,
        modules: tuple[str, ...] = (),
    ) -> None:
        await asyncio.sleep(0)  # one turn of the loop: what waits for the picture goes first
        if next_section is not None:
            await screen.prepare(*next_section)  # showing that topic is then quicker
        for name in modules:  # opening that screen is then quicker
            importlib.import_module(name)
        # The collector's older generations came due in the middle of key presses (40 to
        # 100 ms each, bench/run.py figure 4); collected now, between topics, they rarely
        # come due before the person has read the next one.
        gc.collect()

    def _review_groups(self) -> list[tuple[Section, list[ReviewRow]]]:
        from decision_aid.core.summary import answer_label
        from decision_aid.tui.screens.review import ReviewRow

        consultation = self.consultation
        groups = []
        for section in consultation.clinical:
            rows = [
                ReviewRow(
                    q,
                    answer_label(q, consultation.answers[q.id])
                    if q.id in consultation.answers
                    else None,
                )
                for q in consultation.questions_in(section.id)
            ]
            if rows:
                groups.append((section, rows))
        return groups

    def _date_text(self) -> str:
        return f"Report date {self.report_date.isoformat()}"

    # --- answers ---------------------------------------------------------------------------

    def on_section_screen_answered(self, event: SectionScreen.Answered) -> None:
        screen = event.screen
        section = screen.section
        # Taken on the way out of a section, the answer may arrive with the next one shown.
        shown = (
            screen is self.screen
            and section is not None
            and self.bank.question(event.question_id).section == section.id
        )
        if shown and section is not None:
            self._position = Step("section", section.id, event.question_id)
        self._record(event.question_id, event.value)
        if shown and section is not None:
            screen.show_questions(
                self.consultation.questions_in(section.id), self.consultation.answers
            )
            screen.show_flags(self._flag_lines())

    def _record(self, question_id: str, value: AnswerValue | None) -> None:
        """Record one answer, keep the resumable copy, and say which answers it removed."""
        dropped = self.consultation.answer(question_id, value)
        self._keep()
        if dropped:
            names = ", ".join(f'"{self.bank.question(qid).short}"' for qid in dropped)
            self.notify(
                f"That answer means {names} no longer applies, so its answer was removed.",
                title="Answer removed",
            )

    def _keep(self) -> None:
        """Write the resumable copy (answers and position) after every change."""
        if not self.consultation.unsaved:
            return
        state = ResumeState(
            position=self.consultation.position(self._position),
            answers=self.consultation.answers,
        )
        try:
            save_resume(self.resume_file, state, self.bank)
        except DecisionAidError as exc:
            if self._kept:
                self.notify(
                    f"{exc.message}. Your answers are still here, but not kept on disk.",
                    title="Cannot keep a copy",
                    severity="error",
                    timeout=10,
                )
            self._kept = False
        else:
            self._kept = True

    # --- the report ------------------------------------------------------------------------

    def answer_set(self) -> AnswerSet:
        """The answers as an answers file gives them (validated, in bank order)."""
        return consultation_answers(self.bank, self.consultation.answers, self.report_date)

    def report_text(self) -> str:
        """The report exactly as ``ivig-decision-aid run`` writes it for these answers."""
        answers = self.answer_set()
        # At a glance, the evidence and the summary show the same answers' report in turn.
        if self._report is None or self._report[0] != answers:
            self._report = answers, render(summarise(self.bank, answers, self.report_date))
        return self._report[1]

    def proposed_name(self) -> str:
        """Date and a short random part, not yet used in the reports folder."""
        return proposed_name(self.reports_dir, self.report_date, self._name_part)

    def report_paths(self, name: str) -> tuple[Path, Path]:
        return report_paths(self.reports_dir, name)

    def on_summary_screen_save_requested(self) -> None:
        self.save_report()

    @work(exclusive=True, group="save")
    async def save_report(self) -> None:
        """Ask for a name, write the report and its answers (0600), and say where."""
        from decision_aid.tui.screens.save import SavedScreen, SaveScreen

        name = await self.push_screen_wait(
            SaveScreen(shown_path(self.reports_dir), self.proposed_name())
        )
        while name is not None:
            report, answers = self.report_paths(name)
            if report.exists() or answers.exists():
                problem = "A report with this name is already there; choose another name."
                name = await self.push_screen_wait(
                    SaveScreen(shown_path(self.reports_dir), name, problem)
                )
                continue
            break
        if name is None:
            return
        report, answers = self.report_paths(name)
        try:
            save_consultation(self.bank, self.answer_set(), self.report_date, report, answers)
        except DecisionAidError as exc:
            self.notify(
                f"{exc.message}. Your answers are kept; try another folder or name.",
                title="The report was not saved",
                severity="error",
                timeout=15,
            )
            return
        self.consultation.mark_saved()
        clear_resume(self.resume_file)
        if await self.push_screen_wait(
            SavedScreen(shown_path(self.reports_dir), report.name, answers.name)
        ):
            self.exit(0)

    # --- app keys --------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, asking first when there are answers not in a saved report."""
        from decision_aid.tui.screens.confirm import QuitScreen

        if isinstance(self.screen, QuitScreen):
            return
        if not self.consultation.unsaved:
            self.exit(0)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.exit(0)

        self.push_screen(QuitScreen(kept=self._kept), answered)

    def action_toggle_contrast(self) -> None:
        """Switch between the usual theme and high contrast."""
        high = self.theme == HIGH_CONTRAST.name
        self.theme = DEFAULT_THEME if high else HIGH_CONTRAST.name


def welcome_text(bank: QuestionBank) -> str:
    """The welcome screen: the bank's welcome text, then the keys (the app's own words).

    The welcome text is content, so it lives in ``questions/report.yaml`` where ``check``
    grades it and resolves its citations; the screen shows it without the markers.
    """
    paragraphs = [strip_markers(p) for p in bank.report.welcome]
    # Beside this module, read as a file: importlib.resources (and zipfile, which it
    # brings) cost 3 ms of every start (bench/run.py figure 3).
    keys = Path(__file__).with_name("keys.md").read_text("utf-8")
    # Consecutive list items stay one list; other paragraphs are separated by a blank line.
    text = paragraphs[0]
    for before, paragraph in zip(paragraphs, paragraphs[1:], strict=False):
        both_items = before.startswith("- ") and paragraph.startswith("- ")
        text += ("\n" if both_items else "\n\n") + paragraph
    return text + "\n\n" + keys.strip() + "\n"


def make_app(
    bank: QuestionBank,
    *,
    answers: AnswerSet | None = None,
    reports_dir: Path = Path("reports"),
    resume: bool = False,
    questions_dir: Path | None = None,
    report_date: dt.date | None = None,
    name_part: Callable[[], str] = random_part,
    resume_file: Path | None = None,
) -> DecisionAidApp:
    """Build the consultation app: what ``run_consultation`` runs and the tests drive.

    Args:
        bank: the validated question bank.
        answers: answers to start with (``--answers FILE``).
        reports_dir: where reports are saved.
        resume: continue the consultation kept in the user's data folder.
        questions_dir: the edited bank in use (``--questions``), to say so on the welcome.
        report_date: the report's date (default today): fixed by tests.
        name_part: the random part of proposed report names: fixed by tests.
        resume_file: where the resumable copy lives (default: the user's data folder).
    """
    # A consultation makes and drops many small objects (widgets, styles, strips): with
    # the default threshold of 700, collections ran every few milliseconds and a full one
    # could take 100-300 ms in the middle of a key press (bench/run.py figure 4).
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    path = resume_file or resume_path()
    notices: list[str] = []
    notes: list[str] = []
    start = WELCOME
    if resume:
        state, notices = load_resume(path, bank)
        if state is None:
            notices = ["There was no unsaved consultation to continue, so this one is new."]
            consultation = Consultation(bank)
        else:
            consultation = Consultation(bank, state.answers)
            start = consultation.step_at(state.position)
    else:
        consultation = Consultation(bank, answers.answers if answers else None, from_file=True)
        if path.exists():
            notes.append(
                "An earlier consultation was not saved. To continue it instead, quit "
                "(Ctrl+Q) and run:  ivig-decision-aid --resume. "
                "Answering here replaces it."
            )
    if questions_dir is not None:
        notes.append(f"Questions from {questions_dir} (an edited bank).")
    return DecisionAidApp(
        bank,
        consultation=consultation,
        start=start,
        reports_dir=reports_dir,
        resume_file=path,
        report_date=report_date or dt.date.today(),
        name_part=name_part,
        notices=notices,
        welcome_note=" ".join(notes),
    )


def run_consultation(
    bank: QuestionBank,
    *,
    answers: AnswerSet | None = None,
    reports_dir: Path = Path("reports"),
    resume: bool = False,
    questions_dir: Path | None = None,
    report_date: dt.date | None = None,
) -> int:
    """Open the consultation in the terminal; returns the exit code."""
    app = make_app(
        bank,
        answers=answers,
        reports_dir=reports_dir,
        resume=resume,
        questions_dir=questions_dir,
        report_date=report_date,
    )
    # Everything made so far (modules, the bank) lives as long as the process: frozen,
    # the collector no longer walks it. That took about a fifth of the CPU time from
    # launch to the welcome screen (bench/run.py figure 3). Only here, not in make_app:
    # tests build many apps in one process, and freezing would keep their garbage.
    gc.freeze()
    result = app.run()
    return app.return_code if app.return_code is not None else int(result or 0)
