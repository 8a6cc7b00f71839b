"""Generated answers files through ``run``: a whole report (0) or clear messages (65), nothing else.

Each property runs on the tiny bank and on the shipped one. Files are written as YAML or
JSON and passed to the real command line; see ``runner.py`` for the promises checked
after every run.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_aid.core.answers import dump_answers, parse_answers
from tests.properties import strategies as gen
from tests.properties.runner import (
    BANK_NAMES,
    DATE,
    assert_run_outcome,
    bank,
    bank_args,
    cli,
)

pytestmark = pytest.mark.parametrize("bank_name", BANK_NAMES)


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    """A fresh folder for one example (the tmp_path fixture is per test, not per example)."""
    with tempfile.TemporaryDirectory(prefix="prop-") as name:
        yield Path(name)


def run_one(folder: Path, bank_name: str, name: str, text: str | bytes) -> tuple[Any, Path, Path]:
    """Write one input, run it, check the common promises; returns (outcome, input, out)."""
    source = folder / "in" / name
    source.parent.mkdir()
    if isinstance(text, bytes):
        source.write_bytes(text)
    else:
        source.write_text(text, encoding="utf-8")
    out = folder / "out"
    outcome = cli(
        "run", str(source), "--out", str(out), "--json", "--date", DATE, *bank_args(bank_name)
    )
    assert_run_outcome(outcome, [source], out)
    return outcome, source, out


@given(data=st.data())
def test_valid_answers_give_a_report(bank_name: str, data: st.DataObject) -> None:
    """Any valid answers file, YAML or JSON, gives its report and nothing else."""
    case = data.draw(gen.valid_case(bank(bank_name)))
    with workdir() as folder:
        text = gen.dump(case.document, case.suffix)
        outcome, _, out = run_one(folder, bank_name, "mine" + case.suffix, text)
        assert outcome.code == 0, outcome.err
        assert [p.name for p in out.iterdir()] == ["mine.md"]


@given(data=st.data())
def test_one_known_mistake_gives_its_message(bank_name: str, data: st.DataObject) -> None:
    """A valid file broken in one known way: exit 65, a message naming the file and the place."""
    case = data.draw(gen.broken_case(bank(bank_name)))
    with workdir() as folder:
        text = gen.dump(case.document, case.suffix)
        outcome, source, out = run_one(folder, bank_name, "mine" + case.suffix, text)
        assert outcome.code == 65, (case.why, outcome)
        assert not out.exists()
    for fragment in case.mentions:
        # ": kidney.egfr: expected" follows the file's name; other fragments stand alone.
        expected = f"{source}{fragment}" if fragment.startswith(": ") else fragment
        assert expected in outcome.err, (case.why, expected, outcome.err)


@given(data=st.data())
def test_anything_gives_a_report_or_a_message(bank_name: str, data: st.DataObject) -> None:
    """Any values under any keys (nested, huge, odd Unicode, empty): 0 or 65, never a crash."""
    case = data.draw(gen.any_case(bank(bank_name)))
    with workdir() as folder:
        text = gen.dump(case.document, case.suffix)
        outcome, _, _ = run_one(folder, bank_name, "mine" + case.suffix, text)
    assert outcome.code in (0, 65)


@given(data=st.data())
def test_damaged_text_gives_a_report_or_a_message(bank_name: str, data: st.DataObject) -> None:
    """A valid file with characters deleted, inserted or replaced: 0 or 65, never a crash."""
    case = data.draw(gen.valid_case(bank(bank_name)))
    text = gen.dump(case.document, case.suffix)
    edits = data.draw(
        st.lists(
            st.tuples(
                st.integers(0, len(text)),
                st.sampled_from(["delete", "insert", "replace"]),
                st.one_of(st.sampled_from(list(":-[]{}&*!|>'\"#%@`,?\n\t ")), st.characters()),
            ),
            min_size=1,
            max_size=4,
        )
    )
    for position, edit, char in edits:
        if edit == "delete":
            text = text[:position] + text[position + 1 :]
        elif edit == "insert":
            text = text[:position] + char + text[position:]
        else:
            text = text[:position] + char + text[position + 1 :]
    encoded = text.encode("utf-8", "surrogatepass")
    with workdir() as folder:
        outcome, _, _ = run_one(folder, bank_name, "mine" + case.suffix, encoded)
    assert outcome.code in (0, 65)


@given(raw=st.one_of(st.binary(max_size=3000), st.text(max_size=3000).map(str.encode)))
def test_any_bytes_give_a_message(bank_name: str, raw: bytes) -> None:
    """Arbitrary bytes or text as an answers file: one clear message, exit 65."""
    for suffix in (".yaml", ".json"):
        with workdir() as folder:
            outcome, _, _ = run_one(folder, bank_name, "mine" + suffix, raw)
        assert outcome.code == 65


@given(data=st.data())
def test_same_answers_give_the_same_bytes(bank_name: str, data: st.DataObject) -> None:
    """YAML, JSON and the answers file the TUI would save all give byte-identical reports."""
    questions = bank(bank_name)
    case = data.draw(gen.valid_case(questions))
    with workdir() as folder:
        same_bytes(folder, bank_name, case)


def same_bytes(folder: Path, bank_name: str, case: gen.Case) -> None:
    questions = bank(bank_name)
    (folder / "in").mkdir()
    as_yaml, as_json, saved = (
        folder / "in" / "a.yaml",
        folder / "in" / "b.json",
        folder / "in" / "c.answers.yaml",
    )
    as_yaml.write_text(gen.dump(case.document, ".yaml"), encoding="utf-8")
    as_json.write_text(gen.dump(case.document, ".json"), encoding="utf-8")
    parsed = parse_answers(case.document, questions, "generated")
    if parsed.date is None:
        parsed = dataclasses.replace(parsed, date=dt.date.fromisoformat(DATE))
    saved.write_text(dump_answers(parsed, questions), encoding="utf-8")
    out = folder / "out"
    inputs = [as_yaml, as_json, saved]
    outcome = cli(
        "run", *map(str, inputs), "--out", str(out), "--json", "--date", DATE, *bank_args(bank_name)
    )
    assert_run_outcome(outcome, inputs, out)
    assert outcome.code == 0
    reports = [(out / name).read_bytes() for name in ("a.md", "b.md", "c.md")]
    assert reports[0] == reports[1] == reports[2]


@given(data=st.data())
def test_fhir_response_gives_the_same_report(bank_name: str, data: st.DataObject) -> None:
    """The QuestionnaireResponse --fhir writes, given back to run, gives the same report."""
    from decision_aid.fhir.response import response_json

    questions = bank(bank_name)
    # Format 2 only: a QuestionnaireResponse has no way to say a question was not asked
    # (what a format 1 file without the allergy question means).
    case = data.draw(gen.valid_case(questions, format_1=False))
    parsed = parse_answers(case.document, questions, "generated")
    date = parsed.date or dt.date.fromisoformat(DATE)
    with workdir() as folder:
        (folder / "in").mkdir()
        as_yaml, as_fhir = folder / "in" / "a.yaml", folder / "in" / "b.json"
        as_yaml.write_text(gen.dump(case.document, ".yaml"), encoding="utf-8")
        as_fhir.write_text(response_json(questions, parsed, date), encoding="utf-8")
        out = folder / "out"
        outcome = cli(
            "run", str(as_yaml), str(as_fhir), "--out", str(out), "--json", "--date", DATE,
            *bank_args(bank_name),
        )  # fmt: skip
        assert_run_outcome(outcome, [as_yaml, as_fhir], out)
        assert outcome.code == 0, outcome.err
        assert (out / "a.md").read_bytes() == (out / "b.md").read_bytes()


@given(data=st.data())
def test_damaged_fhir_response_gives_a_report_or_a_message(
    bank_name: str, data: st.DataObject
) -> None:
    """A QuestionnaireResponse with one node replaced, deleted, repeated or added: 0 or 65."""
    import json

    from decision_aid.fhir.response import response_json

    questions = bank(bank_name)
    # Format 2 only: a QuestionnaireResponse has no way to say a question was not asked
    # (what a format 1 file without the allergy question means).
    case = data.draw(gen.valid_case(questions, format_1=False))
    parsed = parse_answers(case.document, questions, "generated")
    response = json.loads(response_json(questions, parsed, parsed.date or dt.date(2026, 11, 25)))
    damaged = data.draw(gen.tree_edit(response))
    if not isinstance(damaged, dict) or "resourceType" not in damaged:
        damaged = {"resourceType": "QuestionnaireResponse", "item": damaged}
    with workdir() as folder:
        outcome, _, _ = run_one(folder, bank_name, "response.json", json.dumps(damaged))
    assert outcome.code in (0, 65)
