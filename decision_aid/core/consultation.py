"""One consultation's answers and the order of its steps: plain Python, no Textual.

The TUI and the plain consultation (``decision_aid.plain``) each own one
:class:`Consultation`. Screens never change it: they report what the person did, and the
front end calls :meth:`Consultation.answer` and the step functions here, which call the
core's branching. Keeping this free of Textual lets the flow be read and tested without a
screen, and a question or step added to the bank reaches both front ends unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from decision_aid.core.answers import AnswerSet
from decision_aid.core.bank import Question, QuestionBank, Section
from decision_aid.core.branching import asked_questions, prune
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.resume import STEPS

StepKind = Literal["welcome", "section", "review", "glance", "evidence", "summary"]
"""The steps of a decision, in order: the topics, the review, the report's **At a glance**
to talk through, the evidence, then what matters and where the person stands (the bank's
"values" sections), and the report to save."""


@dataclass(frozen=True)
class Step:
    """A place in the consultation: a screen and what it shows."""

    kind: StepKind
    section: str | None = None
    """The section shown, for ``kind == "section"``."""
    focus: str | None = None
    """A question to put the cursor on when the section opens."""
    from_review: bool = False
    """Opened from the review to change an answer: Back and Next return to the review."""


WELCOME = Step("welcome")
REVIEW = Step("review")
GLANCE = Step("glance")
EVIDENCE = Step("evidence")
SUMMARY = Step("summary")


class Consultation:
    """The answers given so far and where each step leads."""

    def __init__(
        self,
        bank: QuestionBank,
        answers: Mapping[str, AnswerValue] | None = None,
        *,
        from_file: bool = False,
    ) -> None:
        self.bank = bank
        kept, _ = prune(bank, dict(answers or {}))
        self.answers: dict[str, AnswerValue] = kept
        """Answers to the questions asked, in bank order."""
        # Answers read from an answers file are already saved; resumed ones are not.
        self._saved: dict[str, AnswerValue] = dict(kept) if from_file else {}
        self.clinical: list[Section] = self._sections("questions")
        """Sections asked before the review, in bank order (only those with questions)."""
        self.values: list[Section] = self._sections("values")
        """Sections asked after the review (what matters, how sure)."""

    def _sections(self, step: str) -> list[Section]:
        used = {q.section for q in self.bank.questions}
        return [s for s in self.bank.bank.sections if s.step == step and s.id in used]

    # --- answers ---------------------------------------------------------------------------

    def answer(self, question_id: str, value: AnswerValue | None) -> list[str]:
        """Record (or, with ``None``, remove) one answer.

        Returns:
            The ids of answers dropped because their questions are no longer asked.
        """
        answers = dict(self.answers)
        if value is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = value
        kept, dropped = prune(self.bank, answers)
        self.answers = kept
        return dropped

    def questions_in(self, section_id: str) -> list[Question]:
        """The questions of a section asked for the current answers, in bank order."""
        return [q for q in asked_questions(self.bank, self.answers) if q.section == section_id]

    def missing(self, sections: list[Section]) -> list[Question]:
        """Required questions of these sections that are asked and not yet answered."""
        ids = {s.id for s in sections}
        return [
            q
            for q in asked_questions(self.bank, self.answers)
            if q.section in ids and q.required and q.id not in self.answers
        ]

    @property
    def unsaved(self) -> bool:
        """Whether there are answers not yet written to a report."""
        return bool(self.answers) and self.answers != self._saved

    def mark_saved(self) -> None:
        """The current answers are now in a saved report."""
        self._saved = dict(self.answers)

    def answer_set(self, date: dt.date) -> AnswerSet:
        """The answers as the core takes them, dated ``date``."""
        return AnswerSet(answers=dict(self.answers), date=date)

    # --- steps -----------------------------------------------------------------------------

    def progress(self, section_id: str) -> tuple[int, int, bool]:
        """``(n, of, after_review)``: the section's place among its kind of sections."""
        for group, after_review in ((self.clinical, False), (self.values, True)):
            ids = [s.id for s in group]
            if section_id in ids:
                return ids.index(section_id) + 1, len(ids), after_review
        raise KeyError(section_id)

    def _open(self, sections: list[Section], start: int, direction: int) -> Section | None:
        index = start
        while 0 <= index < len(sections):
            if self.questions_in(sections[index].id):
                return sections[index]
            index += direction
        return None

    def _group(self, section_id: str) -> tuple[list[Section], int]:
        for group in (self.clinical, self.values):
            ids = [s.id for s in group]
            if section_id in ids:
                return group, ids.index(section_id)
        raise KeyError(section_id)

    def after(self, step: Step) -> Step:
        """The step that Next leads to from ``step``."""
        if step.kind == "welcome":
            first = self._open(self.clinical, 0, 1)
            return Step("section", first.id) if first else REVIEW
        if step.kind == "review":
            return GLANCE
        if step.kind == "glance":
            return EVIDENCE
        if step.kind == "evidence":
            first = self._open(self.values, 0, 1)
            return Step("section", first.id) if first else SUMMARY
        if step.kind == "summary":
            return SUMMARY
        assert step.section is not None
        if step.from_review:
            return Step("review", focus=step.focus)
        group, index = self._group(step.section)
        following = self._open(group, index + 1, 1)
        if following is not None:
            return Step("section", following.id)
        return REVIEW if group is self.clinical else SUMMARY

    def before(self, step: Step) -> Step:
        """The step that Back leads to from ``step``."""
        if step.kind == "welcome":
            return WELCOME
        if step.kind == "review":
            last = self._open(self.clinical, len(self.clinical) - 1, -1)
            return Step("section", last.id) if last else WELCOME
        if step.kind == "glance":
            return REVIEW
        if step.kind == "evidence":
            return GLANCE
        if step.kind == "summary":
            last = self._open(self.values, len(self.values) - 1, -1)
            return Step("section", last.id) if last else EVIDENCE
        assert step.section is not None
        if step.from_review:
            return Step("review", focus=step.focus)
        group, index = self._group(step.section)
        earlier = self._open(group, index - 1, -1)
        if earlier is not None:
            return Step("section", earlier.id)
        return WELCOME if group is self.clinical else EVIDENCE

    def edit(self, question_id: str) -> Step:
        """The step that changes one answer, opened from the review."""
        return Step("section", self.bank.question(question_id).section, question_id, True)

    def position(self, step: Step) -> str:
        """Where ``step`` is, as the resumable file keeps it (a question id or a step)."""
        if step.kind != "section":
            return step.kind
        assert step.section is not None
        if step.focus is not None:
            return step.focus
        questions = self.questions_in(step.section)
        return questions[0].id if questions else "welcome"

    def step_at(self, position: str) -> Step:
        """The step to continue from a resumable file's position."""
        if position in STEPS:
            step = Step(position)  # type: ignore[arg-type]
        elif position in self.bank.question_ids:
            section = self.bank.question(position).section
            step = Step("section", section) if self.questions_in(section) else WELCOME
        else:
            step = WELCOME
        if step.kind != "section" and step.kind not in ("welcome", "review"):
            if self.missing(self.clinical + self.values):
                return REVIEW
        return step
