"""Generated edits to a question bank: ``check`` names the file and the place, and never crashes.

Each example copies a bank (the tiny one, then the shipped one), makes one edit of the
kind a content editor makes by mistake (a key deleted, renamed or added, a value of the
wrong type, an id mistyped, a list item repeated or moved, a citation broken) and runs
``check --questions COPY``. Then, if the edited bank still loads, a valid answers file for
it must give a report: what ``check`` lets through, ``run`` must handle.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_aid.core.loading import BANK_FILES, default_questions_dir, load_bank
from decision_aid.core.yamlio import load_data_file
from decision_aid.errors import DecisionAidError
from tests.helpers import TINY
from tests.properties import strategies as gen
from tests.properties.runner import (
    BANK_NAMES,
    DATE,
    assert_no_internal_error,
    assert_run_outcome,
    bank,
    cli,
)

pytestmark = pytest.mark.parametrize("bank_name", BANK_NAMES)

Path_ = tuple[str | int, ...]

REFERENCE_KEYS = {"question", "section"}
"""Keys whose text value must be an id defined elsewhere in the bank."""
REFERENCE_LISTS = {"statements", "rows", "exclusive"}
"""Keys whose list items must be ids defined elsewhere in the bank."""
UNKNOWN_KEY = "zz_unknown"
BROKEN_MARKER = "[@Not An Id]"


def folder_of(bank_name: str) -> Path:
    return TINY if bank_name == "tiny" else default_questions_dir()


def nodes(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every node of parsed YAML with its path from the top."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from nodes(value, (*path, index))


def get(data: Any, path: Path_) -> Any:
    for part in path:
        data = data[part]
    return data


@dataclass
class Edit:
    file: str
    kind: str
    path: Path_
    data: Any
    """The whole edited file."""
    mentions: list[str]
    """Fragments one message line about ``file`` must contain (for edits always wrong)."""
    any_of: list[str]
    """Of these, that line must contain one (also for edits always wrong)."""


@st.composite
def edits(draw: st.DrawFn, folder: Path) -> Edit:
    """One edit to one file of the bank in ``folder``."""
    file = draw(st.sampled_from(sorted(BANK_FILES)))
    data = copy.deepcopy(load_data_file(folder / file))
    everything = list(nodes(data))
    in_mapping = [(p, v) for p, v in everything if p and isinstance(get(data, p[:-1]), dict)]
    texts = [(p, v) for p, v in everything if p and isinstance(v, str)]
    mappings = [(p, v) for p, v in everything if isinstance(v, dict)]
    lists = [(p, v) for p, v in everything if isinstance(v, list) and v]
    references = [
        (p, v)
        for p, v in texts
        if (p[-1] in REFERENCE_KEYS)
        or (len(p) >= 2 and isinstance(p[-1], int) and p[-2] in REFERENCE_LISTS)
    ]
    kinds = ["replace", "unknown key"]
    kinds += ["delete key", "rename key"] if in_mapping else []
    kinds += ["empty text", "broken citation"] if texts else []
    kinds += ["repeat item", "move item"] if lists else []
    kinds += ["mistyped reference"] if references else []
    kind = draw(st.sampled_from(kinds))
    mentions: list[str] = []
    any_of: list[str] = []
    if kind == "replace":
        path, _ = draw(st.sampled_from(everything))
        value = draw(gen.ANYTHING)
        if path:
            get(data, path[:-1])[path[-1]] = value
        else:
            data = value
    elif kind == "unknown key":
        path, mapping = draw(st.sampled_from(mappings))
        mapping[UNKNOWN_KEY] = draw(gen.SCALARS)
        mentions = [UNKNOWN_KEY]
    elif kind == "delete key":
        path, _ = draw(st.sampled_from(in_mapping))
        del get(data, path[:-1])[path[-1]]
    elif kind == "rename key":
        path, _ = draw(st.sampled_from(in_mapping))
        parent = get(data, path[:-1])
        new = f"{path[-1]}{draw(st.sampled_from(['x', 's', '_', ' ']))}"
        if new not in parent:
            parent[new] = parent.pop(path[-1])
            if isinstance(path[-1], str) and len(path) > 1:
                # Said as the unknown new key, or as the old one missing (a kind without its
                # 'kind' cannot have its other keys checked).
                any_of = [repr(new), f".{path[-1]}: expected this key", f"'{path[-1]}' key"]
    elif kind == "empty text":
        path, _ = draw(st.sampled_from(texts))
        get(data, path[:-1])[path[-1]] = ""
    elif kind == "broken citation":
        path, text = draw(st.sampled_from(texts))
        get(data, path[:-1])[path[-1]] = f"{text} {BROKEN_MARKER}"
    elif kind == "repeat item":
        path, items = draw(st.sampled_from(lists))
        item = draw(st.sampled_from(items))
        items.append(copy.deepcopy(item))
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            mentions = ["expected a unique id", repr(item["id"])]
    elif kind == "move item":
        path, items = draw(st.sampled_from(lists))
        items.insert(draw(st.integers(0, len(items) - 1)), items.pop())
    else:
        path, reference = draw(st.sampled_from(references))
        mistyped = reference + draw(st.sampled_from(["x", "_", "-2"]))
        get(data, path[:-1])[path[-1]] = mistyped
        mentions = [repr(mistyped)]
    return Edit(file, kind, path, data, mentions, any_of)


LINE = re.compile(r"^ivig-decision-aid: (?P<file>[^:]+?)(?::(?P<line>\d+))?: (?P<rest>.+)$")


def check_messages(err: str, copied: Path) -> list[tuple[str, str]]:
    """(file, rest) for each message line; each names a bank file, and a place or a line."""
    found = []
    for line in err.splitlines():
        match = LINE.match(line)
        assert match, line
        file = match["file"]
        assert file.startswith(f"{copied}/") and file.split("/")[-1] in BANK_FILES, line
        found.append((file.split("/")[-1], match["rest"]))
    return found


@given(data=st.data())
def test_bank_edit_gives_check_message_naming_file_and_place(
    bank_name: str, data: st.DataObject
) -> None:
    """Any one edit: check passes, or each message names a bank file and the place in it."""
    edit = data.draw(edits(folder_of(bank_name)))
    with tempfile.TemporaryDirectory(prefix="bank-") as name:
        copied = Path(name) / "questions"
        shutil.copytree(folder_of(bank_name), copied)
        (copied / edit.file).write_text(gen.dump_yaml(edit.data), encoding="utf-8")
        outcome = cli("check", "--questions", str(copied))
        assert_no_internal_error(outcome)
        assert outcome.code in (0, 65), outcome
        messages = check_messages(outcome.err, copied)
        if edit.mentions or edit.any_of:
            assert outcome.code == 65, (edit.kind, edit.path)
            assert any(
                file == edit.file
                and all(m in rest for m in edit.mentions)
                and (not edit.any_of or any(m in rest for m in edit.any_of))
                for file, rest in messages
            ), (edit.kind, edit.path, edit.mentions, edit.any_of, outcome.err)
        if outcome.code == 0:
            assert outcome.err == ""
        # What loads must run: a valid answers file for the edited bank gives its report.
        try:
            edited = load_bank(copied)
        except DecisionAidError:
            return
        case = data.draw(gen.valid_case(edited))
        source = Path(name) / ("mine" + case.suffix)
        source.write_text(gen.dump(case.document, case.suffix), encoding="utf-8")
        out = Path(name) / "out"
        outcome = cli(
            "run",
            str(source),
            "--out",
            str(out),
            "--json",
            "--date",
            DATE,
            "--questions",
            str(copied),
        )
        assert_run_outcome(outcome, [source], out)
        assert outcome.code == 0, (edit.kind, edit.path, outcome.err)
        template = cli("template", "--questions", str(copied))
        assert template.code == 0, template.err


def test_banks_load(bank_name: str) -> None:
    """Both banks the properties run on load without a problem (the shipped one included)."""
    assert bank(bank_name).questions
