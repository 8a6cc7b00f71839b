"""A broken bank gives messages naming the file, the place inside it and what was expected.

Each case copies the tiny bank, breaks one thing, and checks the words of the message.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_aid.core.loading import inspect_bank, load_bank
from decision_aid.errors import ContentError, InputMissingError
from tests.helpers import TINY

Edit = Callable[[dict[str, Any]], None]


def q(data: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(item for item in data["questions"] if item["id"] == qid)


def setitem(path: list[Any], value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        node: Any = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


CASES: list[tuple[str, str, Edit, list[str]]] = [
    (
        "misspelt key",
        "bank.yaml",
        lambda d: q(d, "kidney.egfr").update(txt=q(d, "kidney.egfr").pop("text")),
        ["tiny/bank.yaml: questions[2] (kidney.egfr)", "unknown key 'txt'", "did you mean 'text'"],
    ),
    (
        "unknown kind",
        "bank.yaml",
        lambda d: q(d, "kidney.egfr").update(kind="multiple"),
        ["tiny/bank.yaml: questions[2]", "expected kind to be one of", "found 'multiple'"],
    ),
    (
        "condition on a misspelt question",
        "bank.yaml",
        lambda d: q(d, "nephritis.class")["asked_when"][0].update(question="nephritis.statsu"),
        [
            "questions[1] (nephritis.class).asked_when[0].question",
            "expected an existing question id",
            "did you mean 'nephritis.status'",
        ],
    ),
    (
        "condition that looks forward",
        "bank.yaml",
        lambda d: q(d, "nephritis.status").update(
            asked_when=[{"question": "kidney.egfr", "operator": ">", "answer": 3}]
        ),
        ["questions[0] (nephritis.status).asked_when[0].question", "conditions may only look back"],
    ),
    (
        "condition answer outside the domain",
        "bank.yaml",
        lambda d: q(d, "nephritis.class")["asked_when"][0].update(answer="biopsy"),
        [
            "questions[1] (nephritis.class).asked_when[0].answer",
            "expected one of none, biopsy_proven",
        ],
    ),
    (
        "duplicate question id",
        "bank.yaml",
        lambda d: q(d, "kidney.egfr").update(id="nephritis.status"),
        ["questions[2] (nephritis.status)", "expected a unique id"],
    ),
    (
        "bad question id",
        "bank.yaml",
        lambda d: q(d, "kidney.egfr").update(id="Kidney EGFR"),
        ["questions[2]", "expected a dotted question id", "found 'Kidney EGFR'"],
    ),
    (
        "scale with a missing label",
        "bank.yaml",
        lambda d: q(d, "values.kidney_protection")["labels"].pop(4),
        ["(values.kidney_protection).labels", "expected a label for each of [0, 1, 2, 3, 4]"],
    ),
    (
        "exclusive value that is no option",
        "bank.yaml",
        lambda d: q(d, "treatment.prior").update(exclusive=["nothing"]),
        ["(treatment.prior).exclusive", "expected one of its option values", "found 'nothing'"],
    ),
    (
        "citation of an unknown source",
        "evidence.yaml",
        lambda d: d["statements"][0].update(text="All 7 got better. [@levy-200]"),
        ["tiny/evidence.yaml: statements[0].text", "did you mean 'levy-2000'"],
    ),
    (
        "broken citation marker",
        "report.yaml",
        setitem(["about", 0], "See [@Levy 2000]."),
        ["tiny/report.yaml: about[0]", "expected a citation like [@source-id]", "[@Levy 2000]"],
    ),
    (
        "statement without a citation",
        "evidence.yaml",
        lambda d: d["statements"][0].update(text="All 7 got better."),
        ["statements[0] (ivig-kidney-small-report).text", "expected at least one citation"],
    ),
    (
        "source without any identifier",
        "sources.yaml",
        lambda d: [d["sources"][1].pop(k) for k in ("doi", "authors")],
        [
            "tiny/sources.yaml: sources[1] (triolo-2003)",
            "expected a pmid, a doi, the url",
            "found no authors",
        ],
    ),
    (
        "source address that is not https",
        "sources.yaml",
        lambda d: d["sources"][1].update(url="http://47.251.13.51/x"),
        ["sources[1] (triolo-2003).url", "expected text matching the pattern", "found 'http:"],
    ),
    (
        "statement under the wrong option",
        "options.yaml",
        lambda d: d["rows"][0]["ivig"].update(statements=["heparin-trial"]),
        ["tiny/options.yaml: rows[0] (kidney-benefit).ivig.statements", "about 'standard'"],
    ),
    (
        "rule on an unknown value",
        "considerations.yaml",
        lambda d: d["considerations"][0]["when"].update(answer="VII"),
        ["considerations[0] (class-v).when.answer", "expected one of IV, V"],
    ),
    (
        "rule with two forms",
        "considerations.yaml",
        lambda d: d["considerations"][0]["when"].update(all=[]),
        ["considerations[0] (class-v).when", "found both"],
    ),
    (
        "rule with an unknown level",
        "considerations.yaml",
        lambda d: d["considerations"][0].update(level="warning"),
        ["considerations[0] (class-v).level", "'stop', 'caution' or 'note'", "found 'warning'"],
    ),
    (
        "value linked to an unknown row",
        "bank.yaml",
        lambda d: q(d, "values.kidney_protection").update(rows=["kidney"]),
        ["(values.kidney_protection).rows", "did you mean 'kidney-benefit'"],
    ),
]


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


@pytest.mark.parametrize(("name", "file", "edit", "fragments"), CASES, ids=[c[0] for c in CASES])
def test_broken_bank_message(
    bank_copy: Path, name: str, file: str, edit: Edit, fragments: list[str]
) -> None:
    """The message names the file, the place and what was expected."""
    path = bank_copy / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_bank(bank_copy, "tiny")
    text = "\n".join(caught.value.lines())
    for fragment in fragments:
        assert fragment in text, text


def test_uncited_source_is_a_problem(bank_copy: Path) -> None:
    """A source nobody cites is flagged: the registry holds only what the report uses."""
    path = bank_copy / "considerations.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in data["considerations"]:
        rule["text"] = rule["text"].replace("[@triolo-2003]", "[@levy-2000]")
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for name in ("evidence.yaml", "options.yaml"):
        file = bank_copy / name
        file.write_text(file.read_text().replace("[@triolo-2003]", "[@levy-2000]"))
    _, problems = inspect_bank(bank_copy, "tiny")
    assert [str(p) for p in problems] == [
        "tiny/sources.yaml: sources[1] (triolo-2003): expected every source to be cited "
        "somewhere, found it uncited"
    ]


def test_every_problem_is_collected(bank_copy: Path) -> None:
    """Two broken files give problems from both in one run."""
    (bank_copy / "labels.yaml").write_text("report_date: Date\n")
    (bank_copy / "report.yaml").write_text("title: [unclosed\n")
    _, problems = inspect_bank(bank_copy, "tiny")
    files = {p.file for p in problems}
    assert files == {"tiny/labels.yaml", "tiny/report.yaml"}
    assert any(p.line == 2 or p.line == 1 for p in problems if p.file == "tiny/report.yaml")


def test_missing_bank_file_is_named(bank_copy: Path) -> None:
    """A bank folder without one of its files names that file (exit 66)."""
    (bank_copy / "options.yaml").unlink()
    with pytest.raises(InputMissingError, match="tiny/options.yaml: no such file"):
        load_bank(bank_copy, "tiny")


def test_missing_bank_folder(tmp_path: Path) -> None:
    """A --questions folder that does not exist is named."""
    with pytest.raises(InputMissingError, match="expected a question bank folder"):
        load_bank(tmp_path / "nowhere", "nowhere")


def test_templates_in_content_are_plain_text(bank_copy: Path) -> None:
    """Content can hold {{ }} and {% %}: it is data, never rendered as a template."""
    from decision_aid.core.answers import parse_answers
    from decision_aid.core.summary import build_summary
    from decision_aid.report.render import render_markdown
    from tests.helpers import TINY_ANSWERS

    path = bank_copy / "report.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["about"] = ["Try {{ 7 * 7 }} and {% if true %}x{% endif %} and __import__('os')."]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    bank = load_bank(bank_copy, "tiny")
    answers = parse_answers(
        {"format": "ivig-decision-aid/answers/2", "answers": TINY_ANSWERS}, bank, "x"
    )
    import datetime as dt

    text = render_markdown(build_summary(bank, answers, dt.date(2026, 11, 25)))
    assert "Try {{ 7 * 7 }} and {% if true %}x{% endif %} and __import__('os')." in text


@pytest.mark.parametrize(
    ("implication", "message"),
    [
        (
            {"question": "treatment.prior", "answer": "mycophenolat"},
            "tiny/bank.yaml: implies[0].answer: expected an option of treatment.prior that can "
            "go with others, found 'mycophenolat' (did you mean 'mycophenolate'?)",
        ),
        (
            {"question": "treatment.prior", "answer": "none"},
            "tiny/bank.yaml: implies[0].answer: expected an option of treatment.prior that can "
            "go with others, found 'none'",
        ),
        (
            {"question": "nephritis.statsu", "answer": "none"},
            "tiny/bank.yaml: implies[0].question: expected an existing question id, found "
            "'nephritis.statsu' (did you mean 'nephritis.status'?)",
        ),
        (
            {
                "question": "nephritis.status",
                "answer": "none",
                "when": {
                    "question": "nephritis.status",
                    "operator": "=",
                    "answer": "biopsy_proven",
                },
            },
            "tiny/bank.yaml: implies[0].when: expected a condition on other questions than "
            "'nephritis.status' (an answer cannot imply itself), found it read there",
        ),
    ],
)
def test_a_broken_implication_is_named(
    bank_copy: Path, implication: dict[str, Any], message: str
) -> None:
    """implies: the question, its answer and its reason are checked like any condition."""
    path = bank_copy / "bank.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    when = {"question": "kidney.egfr", "operator": "<", "answer": 30}
    data["implies"] = [{"when": when, "why": "For the test.", **implication}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    bank, problems = inspect_bank(bank_copy, "tiny")
    assert bank is None
    assert [str(p) for p in problems] == [message]
