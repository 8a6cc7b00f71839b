"""Reading ``questions/`` into a validated :class:`QuestionBank`, or every problem with it.

Two passes, like a compiler: pydantic checks each file's shape, then
:func:`cross_check` checks what spans files (ids exist, conditions look back, markers
resolve). Both collect problems instead of stopping at the first, so ``check`` can
list them all and start-up can refuse a broken bank with the same words.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from decision_aid.core import cache
from decision_aid.core.bank import (
    BankFile,
    ChoiceQuestion,
    Condition,
    ConsiderationsFile,
    EvidenceFile,
    LabelsFile,
    Model,
    NumberQuestion,
    OptionsFile,
    Question,
    QuestionBank,
    ReportFile,
    ScaleQuestion,
    SeveralQuestion,
    SourcesFile,
    WholeNumberQuestion,
)
from decision_aid.core.citations import broken_markers, cited_ids
from decision_aid.core.implies import with_implications
from decision_aid.core.yamlio import parse_yaml, read_text
from decision_aid.errors import ContentError, DecisionAidError, InputMissingError, Problem

BANK_FILES: dict[str, type[Model]] = {
    "bank.yaml": BankFile,
    "sources.yaml": SourcesFile,
    "evidence.yaml": EvidenceFile,
    "options.yaml": OptionsFile,
    "considerations.yaml": ConsiderationsFile,
    "report.yaml": ReportFile,
    "labels.yaml": LabelsFile,
}
"""Every file of a bank and the model of its top level."""


def default_questions_dir() -> Path:
    """The bank installed with the package, or ``questions/`` beside it in a checkout."""
    # The wheel puts the bank inside the package folder (pyproject.toml); the package is
    # always installed as files, never zipped, so a path beside this module finds it
    # (importlib.resources would add 5 ms of imports to every start for the same answer).
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_questions"
    if packaged.is_dir():
        return packaged
    return package.parent / "questions"


def load_bank(folder: Path | None = None, shown_as: str | None = None) -> QuestionBank:
    """Load and validate a bank folder.

    Args:
        folder: the bank; ``None`` for the installed one.
        shown_as: how to name the folder in messages (what the user typed).

    Raises:
        ContentError: listing every problem found (exit 65).
        InputMissingError: the folder or one of its files is missing (exit 66).
    """
    bank, problems = _read_bank(folder, shown_as, use_cache=True)
    if problems or bank is None:
        raise ContentError(f"the question bank has {len(problems)} problem(s)", problems)
    return bank


def inspect_bank(
    folder: Path | None = None, shown_as: str | None = None
) -> tuple[QuestionBank | None, list[Problem]]:
    """Load a bank and return it (if whole) with every problem found.

    Every file is read and checked, never taken from the cache: this is what ``check``
    reports on. A whole bank whose texts do not trace to the evidence registry
    (core/traceability.py) is returned with those problems.
    """
    return _read_bank(folder, shown_as, use_cache=False)


def _read_bank(
    folder: Path | None, shown_as: str | None, use_cache: bool
) -> tuple[QuestionBank | None, list[Problem]]:
    root = folder if folder is not None else default_questions_dir()
    label = shown_as if shown_as is not None else ("questions" if folder is None else str(folder))
    if not root.is_dir():
        raise InputMissingError(f"{label}: expected a question bank folder, found none")
    texts: dict[str, str] = {}
    unreadable: dict[str, list[Problem]] = {}
    for name in BANK_FILES:
        shown = f"{label.rstrip('/')}/{name}"
        _refuse_link_outside(root, name, shown)
        try:
            texts[name] = read_text(root / name, shown)
        except DecisionAidError as exc:
            if exc.exit_code != 65:
                raise
            unreadable[name] = exc.problems or [Problem(shown, "", exc.message)]
    # The texts just read are the key, and the same texts are parsed below on a miss, so
    # a bank edited meanwhile can never be stored under the old text's key.
    key = cache.bank_key(texts) if use_cache and not unreadable else None
    if key is not None:
        cached = cache.load_bank(key)
        if cached is not None:
            return cached, []
    parsed: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, model in BANK_FILES.items():
        shown = f"{label.rstrip('/')}/{name}"
        if name in unreadable:
            problems.extend(unreadable[name])
            continue
        try:
            raw = parse_yaml(texts[name], shown)
        except DecisionAidError as exc:
            if exc.exit_code != 65:
                raise
            problems.extend(exc.problems or [Problem(shown, "", exc.message)])
            continue
        # pydantic (and its validators) is loaded only here: a bank from the cache never
        # needs it.
        from decision_aid.core.validation import check_shape

        content, shape_problems = check_shape(model, raw, shown)
        if content is None:
            problems.extend(shape_problems)
        else:
            parsed[name] = content
    if problems:
        return None, problems
    bank = QuestionBank(
        bank=parsed["bank.yaml"],
        sources=parsed["sources.yaml"].sources,
        statements=parsed["evidence.yaml"].statements,
        options=parsed["options.yaml"],
        considerations=parsed["considerations.yaml"].considerations,
        report=parsed["report.yaml"],
        labels=parsed["labels.yaml"],
    )
    problems = cross_check(bank, label)
    if problems:
        return None, problems
    bank = with_implications(bank)
    if not use_cache:
        # `check`: every text that states a fact is held to the evidence registry. Only
        # here, so that `run` and the consultation never need the registry.
        from decision_aid.core.traceability import check_bank_facts, default_registry_dir

        fact_problems, _ = check_bank_facts(bank, label, default_registry_dir(root))
        return bank, fact_problems
    if key is not None:
        cache.store_bank(key, bank)
    return bank, []


def _refuse_link_outside(root: Path, name: str, shown: str) -> None:
    """A bank file must lie inside the bank folder: a link out of it is not followed.

    An edited bank is handed around; a link to a file elsewhere (another bank, or a
    private file whose lines would be quoted back in messages) is refused by name.
    """
    path = root / name
    if not path.is_symlink():
        return
    target = path.resolve()
    if not target.is_relative_to(root.resolve()):
        raise InputMissingError(
            f"{shown}: expected a file inside the question bank folder, found a link to "
            f"{target}, outside it; copy the file into the folder instead"
        )


# --- cross-file checks -----------------------------------------------------------------------


def _walk_text(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk_text(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk_text(value, f"{path}[{index}]")


def _domain_problem(question: Question, operator: str, answer: object) -> str | None:
    """Why ``answer`` cannot be compared with ``question``'s answers, or None."""
    if operator == "exists":
        return None if isinstance(answer, bool) else f"expected true or false, found {answer!r}"
    answers = answer if isinstance(answer, list) else [answer]
    for value in answers:
        if isinstance(question, ChoiceQuestion | SeveralQuestion):
            allowed = [o.value for o in question.options]
            if value not in allowed or operator in {">", "<", ">=", "<="}:
                return (
                    f"expected one of {', '.join(allowed)} with = or !=, found {operator} {value!r}"
                )
        elif isinstance(question, NumberQuestion) and value == "unknown":
            if operator not in {"=", "!=", "in"}:
                return f"expected = or != with 'unknown', found {operator}"
        elif not isinstance(value, int | float) or isinstance(value, bool):
            return f"expected a number, found {value!r}"
    return None


def cross_check(bank: QuestionBank, label: str) -> list[Problem]:
    """Everything that spans files or items: ids, references, markers, order."""
    problems: list[Problem] = []
    f_bank, f_sources = f"{label}/bank.yaml", f"{label}/sources.yaml"
    f_evidence, f_options = f"{label}/evidence.yaml", f"{label}/options.yaml"
    f_rules, f_report = f"{label}/considerations.yaml", f"{label}/report.yaml"

    def duplicates(ids: list[str], file: str, what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(ids):
            if item in seen:
                problems.append(
                    Problem(
                        file,
                        f"{what}[{index}] ({item})",
                        f"expected a unique id, found {item!r} again",
                    )
                )
            seen.add(item)

    duplicates([s.id for s in bank.bank.sections], f_bank, "sections")
    duplicates(bank.question_ids, f_bank, "questions")
    duplicates([s.id for s in bank.sources], f_sources, "sources")
    duplicates([s.id for s in bank.statements], f_evidence, "statements")
    duplicates([r.id for r in bank.options.rows], f_options, "rows")
    duplicates([c.id for c in bank.considerations], f_rules, "considerations")

    section_ids = [s.id for s in bank.bank.sections]
    row_ids = [r.id for r in bank.options.rows]
    order = bank.question_ids
    for index, question in enumerate(bank.questions):
        where = f"questions[{index}] ({question.id})"
        if question.section not in section_ids:
            problems.append(
                Problem(
                    f_bank,
                    f"{where}.section",
                    _expected_id("a section id", question.section, section_ids),
                )
            )
        if isinstance(question, ChoiceQuestion | SeveralQuestion):
            values = [o.value for o in question.options]
            duplicates(values, f_bank, f"{where}.options")
            if isinstance(question, SeveralQuestion):
                for value in question.exclusive:
                    if value not in values:
                        problems.append(
                            Problem(
                                f_bank,
                                f"{where}.exclusive",
                                _expected_id("one of its option values", value, values),
                            )
                        )
        if isinstance(question, WholeNumberQuestion | NumberQuestion | ScaleQuestion):
            if question.minimum >= question.maximum:
                problems.append(
                    Problem(
                        f_bank,
                        f"{where}.minimum",
                        "expected minimum below maximum, "
                        f"found {question.minimum} and {question.maximum}",
                    )
                )
        if isinstance(question, ScaleQuestion):
            points = set(range(question.minimum, question.maximum + 1))
            if set(question.labels) != points:
                problems.append(
                    Problem(
                        f_bank,
                        f"{where}.labels",
                        f"expected a label for each of {sorted(points)}, "
                        f"found labels for {sorted(question.labels)}",
                    )
                )
            for row in question.rows:
                if row not in row_ids:
                    problems.append(
                        Problem(
                            f_bank,
                            f"{where}.rows",
                            _expected_id("a row id of options.yaml", row, row_ids),
                        )
                    )
        for k, rule in enumerate(question.asked_when):
            place = f"{where}.asked_when[{k}].question"
            if rule.question not in order:
                problems.append(
                    Problem(
                        f_bank, place, _expected_id("an existing question id", rule.question, order)
                    )
                )
                continue
            if order.index(rule.question) >= index:
                problems.append(
                    Problem(
                        f_bank,
                        place,
                        f"expected a question asked before {question.id!r} (conditions may "
                        f"only look back, so there is no cycle), found {rule.question!r}",
                    )
                )
                continue
            reason = _domain_problem(bank.question(rule.question), rule.operator, rule.answer)
            if reason:
                problems.append(Problem(f_bank, f"{where}.asked_when[{k}].answer", reason))
    for index, implication in enumerate(bank.bank.implies):
        where = f"implies[{index}]"
        problems.extend(_condition_problems(bank, implication.when, f_bank, f"{where}.when"))
        if implication.question not in order:
            problems.append(
                Problem(
                    f_bank,
                    f"{where}.question",
                    _expected_id("an existing question id", implication.question, order),
                )
            )
            continue
        target = bank.question(implication.question)
        if not isinstance(target, ChoiceQuestion | SeveralQuestion):
            problems.append(
                Problem(
                    f_bank,
                    f"{where}.question",
                    f"expected a choice question, found {implication.question!r} "
                    f"(a {target.kind} question)",
                )
            )
            continue
        values = [o.value for o in target.options]
        alone = target.exclusive if isinstance(target, SeveralQuestion) else []
        if implication.answer not in values or implication.answer in alone:
            problems.append(
                Problem(
                    f_bank,
                    f"{where}.answer",
                    _expected_id(
                        f"an option of {implication.question} that can go with others",
                        implication.answer,
                        [v for v in values if v not in alone],
                    ),
                )
            )
        if implication.question in implication.when.questions():
            problems.append(
                Problem(
                    f_bank,
                    f"{where}.when",
                    f"expected a condition on other questions than {implication.question!r} "
                    "(an answer cannot imply itself), found it read there",
                )
            )
    for s_index, section in enumerate(bank.bank.sections):
        if not any(q.section == section.id for q in bank.questions):
            problems.append(
                Problem(
                    f_bank,
                    f"sections[{s_index}] ({section.id})",
                    "expected at least one question in this section, found none",
                )
            )

    for index, source in enumerate(bank.sources):
        # The contract lets a source with no PMID, DOI or publisher's page be cited by its
        # authors, title, journal and year alone (the registry's Dendrinos 2009 is one).
        if not (source.pmid or source.doi or source.url):
            missing = [
                name
                for name in ("authors", "title", "journal", "year")
                if getattr(source, name) is None
            ]
            if missing:
                problems.append(
                    Problem(
                        f_sources,
                        f"sources[{index}] ({source.id})",
                        "expected a pmid, a doi, the url of the publisher's own page, or else "
                        f"authors, title, journal and year; found no {', '.join(missing)}",
                    )
                )

    statement_ids = [s.id for s in bank.statements]
    used_statements: set[str] = set()
    for r_index, option_row in enumerate(bank.options.rows):
        for key in ("ivig", "standard"):
            cell = getattr(option_row, key)
            for s_id in cell.statements:
                place = f"rows[{r_index}] ({option_row.id}).{key}.statements"
                if s_id not in statement_ids:
                    problems.append(
                        Problem(
                            f_options,
                            place,
                            _expected_id("an evidence statement id", s_id, statement_ids),
                        )
                    )
                elif bank.statement(s_id).option != key:
                    problems.append(
                        Problem(
                            f_options,
                            place,
                            f"expected a statement about option {key!r}, "
                            f"found {s_id!r} about {bank.statement(s_id).option!r}",
                        )
                    )
                used_statements.add(s_id)
    for index, statement in enumerate(bank.statements):
        if statement.id not in used_statements:
            problems.append(
                Problem(
                    f_evidence,
                    f"statements[{index}] ({statement.id})",
                    "expected the statement to be used by a row of options.yaml, found it unused",
                )
            )
        if not cited_ids(statement.text):
            problems.append(
                Problem(
                    f_evidence,
                    f"statements[{index}] ({statement.id}).text",
                    "expected at least one citation such as [@levy-2000], found none",
                )
            )

    for index, consideration in enumerate(bank.considerations):
        where = f"considerations[{index}] ({consideration.id})"
        problems.extend(_condition_problems(bank, consideration.when, f_rules, f"{where}.when"))
        if not cited_ids(consideration.text):
            problems.append(
                Problem(
                    f_rules,
                    f"{where}.text",
                    "expected at least one citation such as [@levy-2000], found none",
                )
            )

    for index, advice in enumerate(bank.report.sure_advice):
        if advice.question not in order:
            problems.append(
                Problem(
                    f_report,
                    f"sure_advice[{index}].question",
                    _expected_id("an existing question id", advice.question, order),
                )
            )

    source_ids = [s.id for s in bank.sources]
    used_sources: set[str] = set()
    texts: list[tuple[str, str, str]] = []
    for name, dumped, top in bank.plain_files():
        texts.extend((f"{label}/{name}", path, text) for path, text in _walk_text(dumped, top))
    for file, path, text in texts:
        for marker in broken_markers(text):
            problems.append(
                Problem(file, path, f"expected a citation like [@source-id], found {marker!r}")
            )
        for source_id in cited_ids(text):
            used_sources.add(source_id)
            if source_id not in source_ids:
                problems.append(
                    Problem(
                        file,
                        path,
                        _expected_id("a source id from sources.yaml", source_id, source_ids),
                    )
                )
    for index, source in enumerate(bank.sources):
        if source.id not in used_sources:
            problems.append(
                Problem(
                    f_sources,
                    f"sources[{index}] ({source.id})",
                    "expected every source to be cited somewhere, found it uncited",
                )
            )
    return problems


def _condition_problems(
    bank: QuestionBank, condition: Condition, file: str, where: str
) -> list[Problem]:
    problems: list[Problem] = []
    order = bank.question_ids
    if condition.question is not None:
        if condition.question not in order:
            return [
                Problem(
                    file,
                    f"{where}.question",
                    _expected_id("an existing question id", condition.question, order),
                )
            ]
        reason = _domain_problem(
            bank.question(condition.question), str(condition.operator), condition.answer
        )
        if reason:
            problems.append(Problem(file, f"{where}.answer", reason))
        return problems
    for key, parts in (("all", condition.all), ("any", condition.any)):
        for index, part in enumerate(parts or []):
            problems.extend(_condition_problems(bank, part, file, f"{where}.{key}[{index}]"))
    if condition.not_ is not None:
        problems.extend(_condition_problems(bank, condition.not_, file, f"{where}.not"))
    return problems


def _expected_id(what: str, found: str, known: list[str]) -> str:
    guess = difflib.get_close_matches(found, known, n=1)
    hint = f" (did you mean {guess[0]!r}?)" if guess else ""
    return f"expected {what}, found {found!r}{hint}"
