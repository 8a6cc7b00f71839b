"""The plain consultation: the TUI's steps, one question at a time as lines of text.

It drives the same flow model (:class:`decision_aid.core.consultation.Consultation`) and
the same pipeline (read, summarise, render, save) as the TUI, and keeps the same
resumable copy after every answer. Only the way of showing and answering differs: lines
of at most 72 characters on one stream, answers typed as lines on another, and nothing
that moves a cursor or sets a colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from decision_aid.core.answers import AnswerSet
from decision_aid.core.bank import Question, QuestionBank
from decision_aid.core.citations import strip_markers
from decision_aid.core.conditions import condition_holds
from decision_aid.core.consultation import REVIEW, SUMMARY, WELCOME, Consultation, Step
from decision_aid.core.resume import ResumeState, clear_resume, load_resume, save_resume
from decision_aid.core.summary import answer_label
from decision_aid.errors import EXIT_NOINPUT, EXIT_OK, DecisionAidError
from decision_aid.pipeline import (
    consultation_answers,
    name_problem,
    proposed_name,
    random_part,
    render,
    report_paths,
    save_consultation,
    shown_path,
    summarise,
)
from decision_aid.plain import answering, words
from decision_aid.plain.lines import markdown_lines, squeeze, wrap

EXIT_INTERRUPTED = 130
"""Stopped with Ctrl+C, as a shell reports it."""
RAISED_LEVELS = ("stop", "caution")
"""Points printed as soon as the answer that raises them is given."""


class InputEnded(Exception):
    """Standard input ended before the report was saved."""


@dataclass
class Lines:
    """Where the consultation writes its lines and reads the person's."""

    reader: TextIO
    writer: TextIO
    count: int = 0
    """Lines written so far (what a screen reader reads)."""

    def say(self, *lines: str) -> None:
        for line in lines:
            self.writer.write(line + "\n")
        self.count += len(lines)

    def paragraph(self, text: str, indent: str = "") -> None:
        self.say(*wrap(text, indent))

    def item(self, text: str) -> None:
        """A numbered line ("5. …", "0: …"): a second line starts under the text."""
        mark = text.split(" ", 1)[0]
        self.say(*wrap(text, "", " " * (len(mark) + 1)))

    def read(self) -> str:
        """One typed line, without its line ending."""
        self.writer.flush()
        line = self.reader.readline()
        if not line:
            raise InputEnded
        return line.rstrip("\r\n")


class PlainConsultation:
    """One consultation from welcome to saved report, on two text streams."""

    def __init__(
        self,
        bank: QuestionBank,
        lines: Lines,
        *,
        consultation: Consultation,
        start: Step,
        land: str | None,
        reports_dir: Path,
        resume_file: Path,
        report_date: dt.date,
        name_part: Callable[[], str] = random_part,
        notes: Iterable[str] = (),
    ) -> None:
        self.bank = bank
        self.lines = lines
        self.consultation = consultation
        self.reports_dir = reports_dir
        self.resume_file = resume_file
        self.report_date = report_date
        self._name_part = name_part
        self._start = start
        self._land = land
        """Where to start in the first section shown: a question id, "last", or None."""
        self._notes = list(notes)
        self._position = start
        self._kept = True
        self._raised = self._holding()

    # --- the flow --------------------------------------------------------------------------

    def run(self) -> int:
        """Ask until the report is saved; returns the exit code."""
        step = self._start
        try:
            if step != WELCOME:  # resumed past the welcome: still say how to answer
                self._notes_and_how_to()
            while True:
                self._position = step
                self._keep()
                if step.kind == "welcome":
                    self._welcome()
                    step = self.consultation.after(step)
                elif step.kind == "section":
                    step = self._section(step)
                elif step.kind == "review":
                    step = self._review(step)
                elif step.kind == "summary":
                    following = self._summary()
                    if following is None:
                        return EXIT_OK
                    step = following
                else:  # a step that shows the report: At a glance, the evidence
                    step = self._report_step(step)
        except InputEnded:
            self._ended(words.ENDED)
            return EXIT_NOINPUT
        except KeyboardInterrupt:  # Ctrl+C: every answer is already kept
            self._ended(words.STOPPED)
            return EXIT_INTERRUPTED

    def _ended(self, text: str) -> None:
        self.lines.say("")
        self.lines.paragraph(text if self.consultation.unsaved else words.ENDED_EMPTY)
        self.lines.writer.flush()

    def _welcome(self) -> None:
        say = self.lines.say
        say(*wrap(self.bank.report.title), "")
        paragraphs = [strip_markers(p) for p in self.bank.report.welcome]
        text = paragraphs[0]
        for before, paragraph in zip(paragraphs, paragraphs[1:], strict=False):
            # Consecutive list items stay one list, as on the TUI's welcome.
            both_items = before.startswith("- ") and paragraph.startswith("- ")
            text += ("\n" if both_items else "\n\n") + paragraph
        say(*squeeze(markdown_lines(text)), "")
        self._notes_and_how_to()

    def _notes_and_how_to(self) -> None:
        for note in self._notes:
            self.lines.paragraph(note)
        self._notes = []  # said once, not again if the welcome comes back
        self.lines.paragraph(words.HOW_TO)

    def _heading(self, step: Step) -> None:
        assert step.section is not None
        section = self.bank.section(step.section)
        number, total, after_review = self.consultation.progress(section.id)
        if step.from_review:
            title = words.CHANGING.format(title=section.title)
        elif after_review:
            title = words.AFTER_REVIEW.format(n=number, of=total, title=section.title)
        else:
            title = words.TOPIC.format(n=number, of=total, title=section.title)
        self.lines.say("", *wrap(title))
        if section.intro and not step.from_review:
            self.lines.paragraph(strip_markers(section.intro))

    def _section(self, step: Step) -> Step:
        """Ask the section's questions in order; returns the step that follows."""
        assert step.section is not None
        consultation = self.consultation
        self._heading(step)
        asked = consultation.questions_in(step.section)
        ids = [q.id for q in asked]
        land = step.focus if step.from_review else self._land
        self._land = None
        index = ids.index(land) if land in ids else len(ids) - 1 if land == "last" else 0
        while True:
            asked = consultation.questions_in(step.section)
            if index >= len(asked):
                return consultation.after(step)
            if index < 0:
                before = consultation.before(step)
                if before == WELCOME:
                    self.lines.paragraph(words.FIRST)
                    index = 0
                    continue
                return self._back_to(before)
            question = asked[index]
            self._position = Step("section", step.section, question.id, step.from_review)
            self._keep()
            if not self._ask(question):
                if step.from_review:
                    return consultation.before(step)
                index -= 1
                continue
            asked = consultation.questions_in(step.section)
            index = [q.id for q in asked].index(question.id) + 1
            if step.from_review:
                # An answer changed from the review may ask a new question: ask it now.
                rest = [q for q in asked[index:] if q.required and q.id not in consultation.answers]
                if not rest:
                    return consultation.after(step)
                index = asked.index(rest[0])

    def _back_to(self, step: Step) -> Step:
        """``step``, reached by going back: a section opens at its last question."""
        if step.kind == "section":
            self._land = "last"
        return step

    def _ask(self, question: Question) -> bool:
        """Ask one question until it is answered or skipped (True) or the person goes back."""
        say = self.lines.say
        say("")
        text = question.text if question.required else f"{question.text} {words.OPTIONAL}"
        self.lines.paragraph(text)
        for line in answering.choices(question):
            self.lines.item(line)
        current = self.consultation.answers.get(question.id)
        if current is not None:
            self.lines.paragraph(words.NOW.format(answer=answer_label(question, current)))
        prompt = wrap(answering.how_to_answer(question)) + wrap(
            words.KEYS if question.required else words.KEYS_OPTIONAL
        )
        say(*prompt)
        while True:
            typed = self.lines.read().strip()
            if typed == "?":
                say(words.WHY, *wrap(strip_markers(question.why)), *prompt)
                continue
            if typed.lower() == "b":
                return False
            if not typed:
                if current is not None or not question.required:
                    return True
                self.lines.paragraph(words.NEEDED)
                continue
            value, problem = answering.parse(question, typed)
            if value is None:
                self.lines.paragraph(problem)
                continue
            self._record(question.id, value)
            return True

    def _record(self, question_id: str, value: object) -> None:
        """Record one answer, keep the resumable copy, and say what it changed."""
        dropped = self.consultation.answer(question_id, value)  # type: ignore[arg-type]
        self._keep()
        if dropped:
            names = ", ".join(f'"{self.bank.question(qid).short}"' for qid in dropped)
            self.lines.paragraph(words.REMOVED.format(names=names))
        holding = self._holding()
        level_words = self.bank.labels.level_words
        for rule in self.bank.considerations:
            if rule.id in holding and rule.id not in self._raised:
                text = strip_markers(rule.text)
                self.lines.say("")
                self.lines.paragraph(words.RAISED.format(level=level_words[rule.level], text=text))
        self._raised = holding

    def _holding(self) -> set[str]:
        """The stop and take-care points the answers raise (the report's own rules)."""
        answers = self.consultation.answers
        return {
            rule.id
            for rule in self.bank.considerations
            if rule.level in RAISED_LEVELS and condition_holds(rule.when, answers)
        }

    def _review(self, step: Step) -> Step:
        """Every clinical answer, numbered; one can be chosen to change."""
        consultation = self.consultation
        say = self.lines.say
        say("", *wrap(words.REVIEW))
        rows: list[Question] = []
        for section in consultation.clinical:
            asked = consultation.questions_in(section.id)
            if not asked:
                continue
            say("", *wrap(section.title))
            for question in asked:
                rows.append(question)
                value = consultation.answers.get(question.id)
                shown = words.NOT_ANSWERED if value is None else answer_label(question, value)
                self.lines.item(f"{len(rows)}. {question.short}: {shown}")
        prompt = wrap(words.REVIEW_ASK)
        say("", *prompt)
        while True:
            typed = self.lines.read().strip()
            if typed.lower() == "b":
                return self._back_to(consultation.before(step))
            if not typed:
                missing = consultation.missing(consultation.clinical)
                if missing:
                    self.lines.paragraph(words.ANSWER_FIRST.format(short=missing[0].short))
                    return consultation.edit(missing[0].id)
                return consultation.after(step)
            if typed.isdigit() and 1 <= int(typed) <= len(rows):
                return consultation.edit(rows[int(typed) - 1].id)
            self.lines.paragraph(words.NOT_A_CHOICE.format(found=typed, ask=words.REVIEW_ASK))

    def _report_step(self, step: Step) -> Step:
        """A step between the review and the values that shows the report: its first
        section (``glance``), or the rest of it as numbered parts to read (any other)."""
        consultation = self.consultation
        missing = consultation.missing(consultation.clinical)
        if missing:
            self.lines.paragraph(words.ANSWER_FIRST.format(short=missing[0].short))
            return consultation.edit(missing[0].id)
        report = render(summarise(self.bank, self._answer_set(), self.report_date))
        sections = report_sections(report)
        say = self.lines.say
        kind: str = step.kind  # the bank's steps may grow: any other shows the parts
        if kind == "glance":
            say("", *squeeze(markdown_lines(sections[0] if sections else "")))
            prompt = wrap(words.PART_ASK)
            parts: list[str] = []
        else:
            parts = sections[1:]
            say("", *wrap(words.PARTS))
            for number, part in enumerate(parts, start=1):
                self.lines.item(f"{number}. {part.splitlines()[0].lstrip('#').strip()}")
            prompt = wrap(words.PARTS_ASK)
        say("", *prompt)
        while True:
            typed = self.lines.read().strip()
            if typed.lower() == "b":
                return self._back_to(consultation.before(step))
            if not typed:
                return consultation.after(step)
            if typed.isdigit() and 1 <= int(typed) <= len(parts):
                say("", *squeeze(markdown_lines(parts[int(typed) - 1])), "", *prompt)
                continue
            self.lines.paragraph(words.NOT_A_CHOICE.format(found=typed, ask=" ".join(prompt)))

    def _answer_set(self) -> AnswerSet:
        return consultation_answers(self.bank, self.consultation.answers, self.report_date)

    def _summary(self) -> Step | None:
        """The report's first section, then the save; None once both files are written,
        else the step to go to."""
        consultation = self.consultation
        if consultation.missing(consultation.clinical + consultation.values):
            return REVIEW
        report = render(summarise(self.bank, self._answer_set(), self.report_date))
        say = self.lines.say
        say("", *wrap(words.REPORT_START), "")
        say(*squeeze(markdown_lines(first_section(report))))
        say("", *wrap(words.REPORT_REST))
        name = proposed_name(self.reports_dir, self.report_date, self._name_part)
        while True:
            say("", *wrap(words.SAVE_ASK.format(name=name)))
            typed = self.lines.read().strip()
            if typed.lower() == "b":
                return self._back_to(consultation.before(SUMMARY))
            if typed:
                problem = name_problem(typed)
                if problem:
                    self.lines.paragraph(problem)
                    continue
                name = typed
            report_file, answers_file = report_paths(self.reports_dir, name)
            if report_file.exists() or answers_file.exists():
                self.lines.paragraph(words.NAME_TAKEN)
                name = proposed_name(self.reports_dir, self.report_date, self._name_part)
                continue
            try:
                save_consultation(
                    self.bank, self._answer_set(), self.report_date, report_file, answers_file
                )
            except DecisionAidError as exc:
                self.lines.paragraph(words.NOT_SAVED.format(problem=exc.message))
                continue
            break
        consultation.mark_saved()
        clear_resume(self.resume_file)
        say("", *wrap(words.SAVED))
        say(*wrap(words.SAVED_FOLDER.format(folder=shown_path(self.reports_dir))))
        say(*wrap(words.SAVED_REPORT.format(name=report_file.name)))
        say(*wrap(words.SAVED_ANSWERS.format(name=answers_file.name)))
        self.lines.writer.flush()
        return None

    # --- the resumable copy ----------------------------------------------------------------

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
                self.lines.paragraph(words.NOT_KEPT.format(problem=exc.message))
            self._kept = False
        else:
            self._kept = True


def report_sections(report: str) -> list[str]:
    """The report's ``## `` sections, each with its heading (not inside a code fence)."""
    sections: list[list[str]] = []
    fenced = False
    for line in report.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        if not fenced and line.startswith("## "):
            sections.append([])
        if sections:
            sections[-1].append(line)
    return ["\n".join(section) for section in sections]


def first_section(report: str) -> str:
    """The report's first ``## `` section, heading included."""
    sections = report_sections(report)
    return sections[0] if sections else ""


def run_plain(
    bank: QuestionBank,
    *,
    reader: TextIO,
    writer: TextIO,
    answers: AnswerSet | None = None,
    reports_dir: Path = Path("reports"),
    resume: bool = False,
    resume_file: Path,
    questions_dir: Path | None = None,
    report_date: dt.date | None = None,
    name_part: Callable[[], str] = random_part,
) -> int:
    """Run the plain consultation on ``reader`` and ``writer``; returns the exit code.

    The arguments are those of the TUI's ``make_app``; ``resume_file`` is where the
    resumable copy lives (the TUI's, so either front end continues the other's).
    """
    notes: list[str] = []
    start, land = WELCOME, None
    if resume:
        state, notices = load_resume(resume_file, bank)
        notes.extend(notices)
        if state is None:
            notes.append(words.NO_RESUME)
            consultation = Consultation(bank)
        else:
            consultation = Consultation(bank, state.answers)
            start = consultation.step_at(state.position)
            land = state.position if start.kind == "section" else None
    else:
        consultation = Consultation(bank, answers.answers if answers else None, from_file=True)
        if resume_file.exists():
            notes.append(words.EARLIER)
    if questions_dir is not None:
        notes.append(words.EDITED_BANK.format(folder=questions_dir))
    plain = PlainConsultation(
        bank,
        Lines(reader, writer),
        consultation=consultation,
        start=start,
        land=land,
        reports_dir=reports_dir,
        resume_file=resume_file,
        report_date=report_date or dt.date.today(),
        name_part=name_part,
        notes=notes,
    )
    return plain.run()
