"""The summary: everything the report and the summary screen show, from (bank, answers, date).

:func:`build_summary` is pure. Citation markers become ``[n]`` in report order, so the
same bank, answers and date always give the same summary, and the same report bytes.
"""

from __future__ import annotations

import datetime as dt
import functools

from decision_aid.core.answers import UNKNOWN, AnswerSet
from decision_aid.core.bank import (
    LEVELS,
    TOPICS,
    ChoiceQuestion,
    LabelsFile,
    NumberQuestion,
    Question,
    QuestionBank,
    ScaleQuestion,
    SeveralQuestion,
    Source,
)
from decision_aid.core.branching import asked_questions
from decision_aid.core.citations import Citer, cited_ids, strip_markers
from decision_aid.core.conditions import AnswerValue, condition_holds
from decision_aid.core.memo import ByIdentity
from decision_aid.core.record import Record, record


@record
class Out(Record):
    """Base for summary parts: plain data, frozen."""


@record
class AnsweredItem(Out):
    id: str
    question: str
    """The question's short name."""
    answer: str
    """The answer as the person chose it (a label, not a code)."""
    value: AnswerValue
    """The answer as written in the answers file."""


@record
class UnansweredItem(Out):
    id: str
    question: str


@record
class FigureOut(Out):
    events: int
    total: int
    label: str


@record
class Point(Out):
    """One evidence statement under an option, with its strength in words."""

    id: str
    kind: str
    text: str
    strength: str
    figures: list[FigureOut]


@record
class OptionRowOut(Out):
    id: str
    label: str
    ivig_summary: str
    standard_summary: str
    ivig_points: list[Point]
    standard_points: list[Point]


@record
class ConsiderationOut(Out):
    id: str
    topic: str
    level: str
    text: str
    """With ``[n]`` citation numbers, as in the report."""
    plain_text: str
    """Without citation numbers, for the JSON result."""
    sources: list[str]


@record
class ValueOut(Out):
    id: str
    label: str
    rating: int
    rating_label: str
    maximum: int
    rows: list[str]
    """Labels of the options-table rows this value bears on."""


@record
class SureOut(Out):
    id: str
    question: str
    answer: str
    advice: str | None


@record
class Section(Out):
    title: str
    paragraphs: list[str]


@record
class SourceOut(Out):
    number: int
    id: str
    authors: str | None
    title: str | None
    journal: str | None
    year: int | None
    volume_pages: str | None
    pmid: str | None
    doi: str | None
    url: str | None


@record
class Summary(Out):
    """What the report says, section by section (the contract's order)."""

    title: str
    content_version: str
    evidence_reviewed: dt.date
    date: dt.date
    about: list[str]
    answers_intro: str
    answers: list[AnsweredItem]
    unanswered_intro: str
    unanswered: list[UnansweredItem]
    options_intro: list[str]
    ivig_name: str
    standard_name: str
    rows: list[OptionRowOut]
    considerations_intro: str
    no_considerations: str
    considerations: list[ConsiderationOut]
    values_intro: str
    no_values: str
    values: list[ValueOut]
    sure_intro: str
    sure: list[SureOut]
    certainty: list[Section]
    questions_to_ask: list[str]
    sources_intro: str
    sources: list[SourceOut]
    about_report: list[str]
    labels: LabelsFile


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def answer_label(question: Question, value: AnswerValue) -> str:
    """How an answer reads to a person: option labels, numbers with units."""
    if isinstance(question, ChoiceQuestion | SeveralQuestion):
        labels = {o.value: o.label for o in question.options}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels[str(v)] for v in values)
    if isinstance(question, ScaleQuestion):
        assert isinstance(value, int)
        return f"{value} ({question.labels[value]})"
    if isinstance(question, NumberQuestion) and value == UNKNOWN:
        return question.unknown_label
    assert isinstance(value, int | float)
    unit = f" {question.unit}" if question.unit else ""
    return f"{_number(value)}{unit}"


# Memoised: a source's entry depends on its number and its record alone, and `run` over
# many answers files lists the same sources in every report. Source is frozen and hashable.
@functools.lru_cache(maxsize=1024)
def _source_out(number: int, source: Source) -> SourceOut:
    return SourceOut(
        number=number,
        id=source.id,
        authors=source.authors,
        title=source.title,
        journal=source.journal,
        year=source.year,
        volume_pages=source.volume_pages,
        pmid=source.pmid,
        doi=source.doi,
        url=None if (source.pmid or source.doi) else source.url,
    )


@record
class _Opening(Record):
    """The report's first sections: they depend on the bank alone."""

    about: list[str]
    options_intro: list[str]
    rows: list[OptionRowOut]
    cited: tuple[str, ...]
    """The sources they cite, in order of first citation."""


def _build_opening(bank: QuestionBank) -> _Opening:
    """About, the options' introduction and the options table, built once per bank.

    Nothing before them depends on the answers, so their text and the numbers of the
    sources they cite are the same in every report: building them was 1.2 of the 1.7 ms
    that build_summary took per report in `run` over many answers files (bench/run.py).
    Memoised as :data:`_opening`.
    """
    text = bank.report
    citer = Citer()
    cite = citer.cite

    about = [cite(p) for p in text.about]
    options_intro = [cite(p) for p in text.options_intro]

    def points(ids: list[str]) -> list[Point]:
        out = []
        for statement_id in ids:
            statement = bank.statement(statement_id)
            out.append(
                Point(
                    id=statement.id,
                    kind=statement.kind,
                    text=cite(statement.text),
                    strength=text.strength_words[statement.strength],
                    figures=[
                        FigureOut(events=f.events, total=f.total, label=f.label)
                        for f in statement.figures
                    ],
                )
            )
        return out

    rows = []
    for row in bank.options.rows:
        ivig_summary = cite(row.ivig.summary)
        standard_summary = cite(row.standard.summary)
        rows.append(
            OptionRowOut(
                id=row.id,
                label=row.label,
                ivig_summary=ivig_summary,
                standard_summary=standard_summary,
                ivig_points=points(row.ivig.statements),
                standard_points=points(row.standard.statements),
            )
        )
    return _Opening(about=about, options_intro=options_intro, rows=rows, cited=tuple(citer.order))


_opening = ByIdentity(_build_opening, size=1)
"""The opening of the last bank (frozen: the one kept by identity can never differ)."""


def build_summary(bank: QuestionBank, answer_set: AnswerSet, date: dt.date) -> Summary:
    """The summary for valid answers (from :func:`answers.parse_answers`) on ``date``."""
    # Every part is a plain dataclass: its values come from the checked bank and checked
    # answers, with the types the fields declare (mypy checks each call), so validating
    # them again only cost time: building pydantic validators for them was 22 ms and
    # 3 MiB of every `run` (bench/run.py).
    answers = answer_set.answers
    text = bank.report
    opening = _opening(bank)
    citer = Citer()
    citer.order.extend(opening.cited)  # numbered as if the opening had just been cited
    cite = citer.cite

    about = list(opening.about)
    asked = asked_questions(bank, answers)
    answered = [
        AnsweredItem(
            id=q.id, question=q.short, answer=answer_label(q, answers[q.id]), value=answers[q.id]
        )
        for q in asked
        if q.id in answers
    ]
    unanswered = [UnansweredItem(id=q.id, question=q.short) for q in asked if q.id not in answers]

    options_intro = list(opening.options_intro)
    rows = list(opening.rows)

    holding = [rule for rule in bank.considerations if condition_holds(rule.when, answers)]
    holding.sort(key=lambda rule: (LEVELS.index(rule.level), TOPICS.index(rule.topic)))
    considerations = [
        ConsiderationOut(
            id=rule.id,
            topic=rule.topic,
            level=rule.level,
            text=cite(rule.text),
            plain_text=strip_markers(rule.text),
            sources=cited_ids(rule.text),
        )
        for rule in holding
    ]

    row_labels = {row.id: row.label for row in bank.options.rows}
    values = [
        ValueOut(
            id=q.id,
            label=q.short,
            rating=int(answers[q.id]),  # type: ignore[arg-type]
            rating_label=q.labels[int(answers[q.id])],  # type: ignore[arg-type]
            maximum=q.maximum,
            rows=[row_labels[r] for r in q.rows],
        )
        for q in asked
        if isinstance(q, ScaleQuestion) and q.rows and q.id in answers
    ]
    values.sort(key=lambda v: -v.rating)

    advice = {a.question: a.if_no for a in text.sure_advice}
    sure = [
        SureOut(
            id=q.id,
            question=q.text,
            answer=answer_label(q, answers[q.id]),
            advice=cite(advice[q.id]) if answers[q.id] == "no" and q.id in advice else None,
        )
        for q in asked
        if q.id in advice and q.id in answers
    ]

    certainty = [
        Section(title=s.title, paragraphs=[cite(p) for p in s.paragraphs]) for s in text.certainty
    ]
    questions_to_ask = [cite(q) for q in text.questions_to_ask]
    about_report = [cite(p) for p in text.about_report]

    sources = [_source_out(n, bank.source(i)) for n, i in enumerate(citer.order, start=1)]
    return Summary(
        title=text.title,
        content_version=bank.content_version,
        evidence_reviewed=bank.bank.evidence_reviewed,
        date=date,
        about=about,
        answers_intro=text.answers_intro,
        answers=answered,
        unanswered_intro=text.unanswered_intro,
        unanswered=unanswered,
        options_intro=options_intro,
        ivig_name=bank.options.ivig_name,
        standard_name=bank.options.standard_name,
        rows=rows,
        considerations_intro=text.considerations_intro,
        no_considerations=text.no_considerations,
        considerations=considerations,
        values_intro=text.values_intro,
        no_values=text.no_values,
        values=values,
        sure_intro=text.sure_intro,
        sure=sure,
        certainty=certainty,
        questions_to_ask=questions_to_ask,
        sources_intro=text.sources_intro,
        sources=sources,
        about_report=about_report,
        labels=bank.labels,
    )
