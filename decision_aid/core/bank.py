"""The question bank as typed, frozen models: questions, sources, evidence, rules and report text.

Everything a person reads lives in ``questions/*.yaml``; these models only give it a shape.
Text fields may cite sources inline with ``[@source-id]``; the summary turns each marker
into a numbered ``[n]`` that resolves to the report's Sources list.

The models are frozen dataclasses (core/record.py), not pydantic models: loading a bank the
cache (core/cache.py) holds then needs no pydantic at all, and importing pydantic and
defining pydantic models was most of what ``run`` cost beyond its baseline (bench/run.py).
pydantic still checks every file's shape (core/validation.py): it validates dataclasses
as well as its own models, reads ``__pydantic_config__`` from each, and turns the
:class:`Constraint` and :class:`Check` marks below into its own rules when it first builds
a validator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import field, fields
from typing import Annotated, Any, ClassVar, Literal

from decision_aid.core.record import Record, record


class Constraint:
    """``Annotated`` mark for pydantic ``Field`` constraints, e.g. ``Constraint(min_length=1)``.

    Only a plain record here; pydantic asks it for its rules (through the
    ``__get_pydantic_core_schema__`` hook it looks for on any mark) when validating.
    """

    def __init__(self, **field_args: Any) -> None:
        self.field_args = field_args

    def __repr__(self) -> str:
        return f"Constraint({', '.join(f'{k}={v!r}' for k, v in self.field_args.items())})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic import Field

        return handler.generate_schema(Annotated[source, Field(**self.field_args)])


class Check:
    """``Annotated`` mark: after the type is checked, ``function`` checks (and returns) it.

    ``function`` raises ValueError with an "expected …, found …" message.
    """

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __repr__(self) -> str:
        return f"Check({self.function.__name__})"

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _check_question_id(value: str) -> str:
    if not QUESTION_ID.match(value):
        raise ValueError(f"expected a dotted question id such as 'kidney.egfr', found {value!r}")
    return value


def _check_slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"expected an id of lower-case letters, digits and '-', found {value!r}")
    return value


QuestionId = Annotated[str, Check(_check_question_id)]
Slug = Annotated[str, Check(_check_slug)]
Text = Annotated[str, Constraint(min_length=1)]

Topic = Literal[
    "nephritis",
    "kidney-function",
    "pregnancy",
    "prior-treatment",
    "iga-deficiency",
    "allergy",
    "clot-risk",
    "cost",
]
TOPICS: tuple[str, ...] = Topic.__args__  # type: ignore[attr-defined]
"""The contract's topics, in the order used to break ties between equal levels."""

Level = Literal["stop", "caution", "note"]
LEVELS: tuple[str, ...] = Level.__args__  # type: ignore[attr-defined]
"""Most serious first."""


def _every_key(keys: tuple[str, ...], what: str) -> Any:
    """A validator for a mapping that must have an entry for each of ``keys``."""

    def check(value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in keys if k not in value]
        if missing:
            raise ValueError(
                f"expected {what} for each of {', '.join(keys)}, found none for "
                + ", ".join(missing)
            )
        return value

    return Check(check)


Strength = Literal["very low", "low", "moderate", "high"]
STRENGTHS: tuple[str, ...] = Strength.__args__  # type: ignore[attr-defined]
OptionKey = Literal["ivig", "standard"]
Operator = Literal["exists", "=", "!=", ">", "<", ">=", "<="]
Scalar = bool | int | float | str


@record
class Model(Record):
    """Base for content: unknown keys are errors (pydantic reads this config)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


# --- questions -------------------------------------------------------------------------------


@record
class Option(Model):
    """One allowed answer to a choice question."""

    value: Slug | Annotated[str, Constraint(pattern=r"^[A-Za-z0-9_+]+$")]
    """The stable code written in answers files (the contract's values)."""
    label: Text
    """What the person sees and what the report says."""


@record
class EnableWhen(Model):
    """One condition for asking a question, with the semantics of FHIR ``enableWhen``.

    ``=``: at least one answer equals ``answer``; ``!=``: no answer equals it (true when
    unanswered); ``>``, ``<``, ``>=``, ``<=``: at least one answer compares so;
    ``exists``: ``answer`` is true and the question was answered, or false and it was not.
    """

    question: QuestionId
    operator: Operator
    answer: Scalar


@record
class QuestionBase(Model):
    """What every kind of question has."""

    id: QuestionId
    """Stable for as long as the answers format lives; never reused."""
    section: Slug
    """The section (screen) the question belongs to."""
    text: Text
    """The question as the person reads it."""
    short: Text
    """A short name for the question, used in the review screen and the report."""
    why: Text
    """Why we ask: one or two plain sentences."""
    facts: list[str] = field(default_factory=list)
    """Ids of the registry facts the ``why`` text rests on (as for a consideration)."""
    cautions: dict[str, Text] = field(default_factory=dict)
    """For a named fact with a registry ``caution``: the words of ``why`` that say it."""
    required: bool = True
    """A required question that is asked must be answered."""
    asked_when: list[EnableWhen] = field(default_factory=list)
    """Empty: always asked. Otherwise combined by ``enable_behavior``."""
    enable_behavior: Literal["all", "any"] = "all"


@record
class ChoiceQuestion(QuestionBase):
    """Pick one of the options."""

    kind: Literal["choice"]
    options: Annotated[list[Option], Constraint(min_length=2)]


@record
class SeveralQuestion(QuestionBase):
    """Pick one or more of the options."""

    kind: Literal["several"]
    options: Annotated[list[Option], Constraint(min_length=2)]
    exclusive: list[str] = field(default_factory=list)
    """Values that must stand alone (such as ``none``)."""


@record
class WholeNumberQuestion(QuestionBase):
    """A whole number within a range."""

    kind: Literal["whole_number"]
    minimum: int
    maximum: int
    unit: str | None = None


@record
class NumberQuestion(QuestionBase):
    """A number within a range, or the word ``unknown``."""

    kind: Literal["number_or_unknown"]
    minimum: float
    maximum: float
    unit: str | None = None
    unknown_label: Text = "Not known"


@record
class ScaleQuestion(QuestionBase):
    """A rating from ``minimum`` to ``maximum``, each point labelled."""

    kind: Literal["scale"]
    minimum: int = 0
    maximum: int = 4
    labels: dict[int, Text]
    """A label for every point of the scale."""
    rows: list[Slug] = field(default_factory=list)
    """For values: the rows of the options table this value bears on."""


Question = Annotated[
    ChoiceQuestion | SeveralQuestion | WholeNumberQuestion | NumberQuestion | ScaleQuestion,
    Constraint(discriminator="kind"),
]


@record
class Section(Model):
    """A group of questions shown together, in file order."""

    id: Slug
    title: Text
    intro: str = ""
    step: Literal["questions", "values"] = "questions"
    """``values`` sections are asked after the review of the clinical answers."""


@record
class BankFile(Model):
    """``questions/bank.yaml``."""

    content_version: Text
    evidence_reviewed: dt.date
    """The date the evidence was last reviewed (shown in About this report)."""
    sections: Annotated[list[Section], Constraint(min_length=1)]
    questions: Annotated[list[Question], Constraint(min_length=1)]
    implies: list[Implication] = field(default_factory=list)
    """Answers that imply another, for the rules (considerations) only."""


# --- sources and evidence --------------------------------------------------------------------


@record
class Source(Model):
    """One published source, copied from the checked registry in ``shared/evidence``."""

    id: Slug
    authors: str | None = None
    title: str | None = None
    """``None`` where the checked record did not show the title (never filled from memory)."""
    journal: str | None = None
    """Journal, or the publisher or regulator for a label or guideline page."""
    year: int | None = None
    volume_pages: str | None = None
    pmid: Annotated[str, Constraint(pattern=r"^[0-9]{1,9}$")] | None = None
    doi: Annotated[str, Constraint(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    pmcid: Annotated[str, Constraint(pattern=r"^PMC[0-9]{1,9}$")] | None = None
    """The PubMed Central id, where the registry has one (a free full text for readers)."""
    url: Annotated[str, Constraint(pattern=r"^https://\S+$")] | None = None
    """The publisher's or regulator's own page, for a source with no PMID and no DOI."""
    design: Text
    participants: str | None = None

    def __hash__(self) -> int:
        # The id alone: equal sources have equal ids, and the summary's memo of source
        # entries (keyed by source) hashed all 11 fields for each of about 50 sources per
        # report, 0.07 ms of `run`'s work per report (bench/run.py figure 2).
        return hash(self.id)


@record
class SourcesFile(Model):
    """``questions/sources.yaml``."""

    sources: Annotated[list[Source], Constraint(min_length=1)]


@record
class Figure(Model):
    """A count to draw as an icon array: ``events`` of ``total`` people."""

    events: Annotated[int, Constraint(ge=0)]
    total: Annotated[int, Constraint(gt=0)]
    label: Text
    """Who the count is about, e.g. "had a live birth with IVIG"."""

    def __post_init__(self) -> None:
        if self.events > self.total:
            raise ValueError(f"expected events ({self.events}) at most total ({self.total})")


@record
class Statement(Model):
    """One evidence statement shown to the person, tied to checked facts."""

    id: Slug
    option: OptionKey
    """The option the statement is about."""
    kind: Literal["benefit", "harm", "uncertainty"]
    strength: Strength
    """How far the evidence can be trusted (from the fact's ``strength``)."""
    facts: Annotated[list[str], Constraint(min_length=1)]
    """Ids of the checked facts in ``shared/evidence/facts.yaml`` this restates."""
    text: Text
    figures: list[Figure] = field(default_factory=list)


@record
class EvidenceFile(Model):
    """``questions/evidence.yaml``."""

    statements: Annotated[list[Statement], Constraint(min_length=1)]


@record
class OptionCell(Model):
    """One option's answer to one row of the options table."""

    summary: Text
    """Short text for the table cell."""
    statements: list[Slug] = field(default_factory=list)
    """Evidence statements shown under the table for this row and option."""


@record
class OptionRow(Model):
    """A question people ask, answered for each option."""

    id: Slug
    label: Text
    ivig: OptionCell
    standard: OptionCell


@record
class OptionsFile(Model):
    """``questions/options.yaml``."""

    ivig_name: Text
    standard_name: Text
    rows: Annotated[list[OptionRow], Constraint(min_length=1)]


# --- considerations --------------------------------------------------------------------------


@record
class Condition(Model):
    """A rule condition: one comparison, or ``all``/``any``/``not`` of other conditions.

    A comparison has ``question``, ``operator`` and ``answer`` with the same meaning as in
    :class:`EnableWhen`; ``operator: in`` with a list ``answer`` matches any of them.
    """

    question: QuestionId | None = None
    operator: Operator | Literal["in"] | None = None
    answer: Scalar | list[Scalar] | None = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = None
    """Written ``not`` in the file (a Python keyword, so named ``not_`` here)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "alias_generator": lambda name: "not" if name == "not_" else name,
        "validate_by_name": True,
    }

    def __post_init__(self) -> None:
        comparison = self.question is not None or self.operator is not None
        groups = [g for g in (self.all, self.any, self.not_) if g is not None]
        if comparison and groups:
            raise ValueError("expected either a comparison or one of all/any/not, found both")
        if not comparison and len(groups) != 1:
            raise ValueError(
                "expected a comparison (question, operator, answer) or exactly one of all, any, not"
            )
        if comparison:
            if self.question is None or self.operator is None:
                raise ValueError("expected question, operator and answer together")
            if self.answer is None:
                raise ValueError("expected an answer to compare with")
            if (self.operator == "in") != isinstance(self.answer, list):
                raise ValueError("expected a list answer with operator 'in', and only there")

    def questions(self) -> list[str]:
        """Every question id this condition reads."""
        if self.question is not None:
            return [self.question]
        found: list[str] = []
        for part in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            found.extend(part.questions())
        return found


@record
class Implication(Model):
    """An answer that implies another, as the contract's "an answer elsewhere may imply
    another": when ``when`` holds, the rules read ``question`` as also answered ``answer``.

    For a several-choices question the implied choice is added (and a choice that must
    stand alone, such as ``none``, no longer counts); for a one-choice question it
    replaces the answer. The person's answers, and what the report shows of them, never
    change: only the considerations' conditions read the implied answer (``loading``
    rewrites them once, so every caller of ``condition_holds`` sees the same).
    """

    when: Condition
    question: QuestionId
    answer: Annotated[str, Constraint(min_length=1)]
    why: Text
    """Why the one answer implies the other, for the people who edit the bank."""


@record
class Consideration(Model):
    """A point shown when its condition holds for the answers."""

    id: Slug
    topic: Topic
    level: Level
    when: Condition
    text: Text
    facts: list[str] = field(default_factory=list)
    """Ids of the registry facts (``evidence/facts.yaml``) the text rests on; ``check``
    holds every citation of the text to a source of these facts."""
    cautions: dict[str, Text] = field(default_factory=dict)
    """For each named fact that carries a ``caution`` in the registry: the words of the
    text that say what the caution says (``check`` finds them in the text)."""


@record
class ConsiderationsFile(Model):
    """``questions/considerations.yaml``."""

    considerations: Annotated[list[Consideration], Constraint(min_length=1)]


# --- report text -----------------------------------------------------------------------------


@record
class Paragraphs(Model):
    """A titled group of paragraphs."""

    title: Text
    paragraphs: Annotated[list[Text], Constraint(min_length=1)]


@record
class SureQuestionText(Model):
    """What a "no" to one SURE question suggests doing next."""

    question: QuestionId
    if_no: Text


@record
class ReportFile(Model):
    """``questions/report.yaml``: the fixed text of each report section."""

    title: Text
    welcome: Annotated[list[Text], Constraint(min_length=1)]
    """The consultation's first screen: Markdown paragraphs or list items, in order."""
    about: Annotated[list[Text], Constraint(min_length=1)]
    answers_intro: Text
    unanswered_intro: Text
    options_intro: Annotated[list[Text], Constraint(min_length=1)]
    strength_words: Annotated[dict[Strength, Text], _every_key(STRENGTHS, "words")]
    """How each strength is said to a patient."""
    considerations_intro: Text
    no_considerations: Text
    values_intro: Text
    no_values: Text
    sure_intro: Text
    sure_advice: list[SureQuestionText] = field(default_factory=list)
    certainty: Annotated[list[Paragraphs], Constraint(min_length=1)]
    questions_to_ask: Annotated[list[Text], Constraint(min_length=1)]
    sources_intro: Text
    about_report: Annotated[list[Text], Constraint(min_length=1)]


@record
class LabelsFile(Model):
    """``questions/labels.yaml``: the small fixed words the report's layout needs."""

    report_date: Text
    """Before the report's date, e.g. "Report date"."""
    how_sure: Text
    """Before a statement's strength, e.g. "How sure"."""
    bears_on: Text
    """Before the rows a value bears on."""
    out_of: Text
    """Between a rating and the top of the scale, e.g. "of"."""
    content_version: Text
    evidence_reviewed: Text
    level_words: Annotated[dict[Level, Text], _every_key(LEVELS, "a name")]
    """How each level of a consideration is named in the report."""


# --- the whole bank --------------------------------------------------------------------------


@record
class QuestionBank(Model):
    """The validated bank: every file, cross-checked. Built only by ``loading.load_bank``."""

    bank: BankFile
    sources: list[Source]
    statements: list[Statement]
    options: OptionsFile
    considerations: list[Consideration]
    report: ReportFile
    labels: LabelsFile

    @property
    def content_version(self) -> str:
        return self.bank.content_version

    @property
    def questions(self) -> list[Question]:
        return self.bank.questions

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if none)."""
        return self._questions_by_id[question_id]

    def source(self, source_id: str) -> Source:
        return self._sources_by_id[source_id]

    def statement(self, statement_id: str) -> Statement:
        return self._statements_by_id[statement_id]

    def section(self, section_id: str) -> Section:
        return self._sections_by_id[section_id]

    @property
    def question_ids(self) -> list[str]:
        return [q.id for q in self.bank.questions]

    # Lookups are derived once; the content is frozen, so they cannot go stale.
    _questions_by_id: dict[str, Question] = field(init=False, repr=False, compare=False)
    _sources_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    _statements_by_id: dict[str, Statement] = field(init=False, repr=False, compare=False)
    _sections_by_id: dict[str, Section] = field(init=False, repr=False, compare=False)

    def plain_files(self) -> list[tuple[str, Any, str]]:
        """Every file but ``sources.yaml``, in file order, as ``(name, plain data, top)``:
        ``top`` is the key a file's list sits under (``statements``), or ""."""
        return [
            ("bank.yaml", plain(self.bank), ""),
            ("evidence.yaml", plain(self.statements), "statements"),
            ("options.yaml", plain(self.options), ""),
            ("considerations.yaml", plain(self.considerations), "considerations"),
            ("report.yaml", plain(self.report), ""),
            ("labels.yaml", plain(self.labels), ""),
        ]

    def __post_init__(self) -> None:
        lookups = {
            "_questions_by_id": {q.id: q for q in self.bank.questions},
            "_sources_by_id": {s.id: s for s in self.sources},
            "_statements_by_id": {s.id: s for s in self.statements},
            "_sections_by_id": {s.id: s for s in self.bank.sections},
        }
        for name, lookup in lookups.items():
            object.__setattr__(self, name, lookup)


def plain(value: Any) -> Any:
    """Content as plain data (what its YAML holds): dicts, lists, text, numbers, dates as text.

    Keys are the field names (``not_``), as the checks that walk every text expect.
    """
    if isinstance(value, Model):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value) if f.init}
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
