"""Records behave as frozen keyword-only dataclasses, without per-class generated code."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from decision_aid.core.bank import Figure, Option, QuestionBank
from decision_aid.core.record import Record, record


@record
class Point(Record):
    x: int
    y: int = 0
    tags: list[str] = dataclasses.field(default_factory=list)


def test_fields_defaults_and_factories() -> None:
    first, second = Point(x=1), Point(x=1)
    assert (first.x, first.y, first.tags) == (1, 0, [])
    assert first.tags is not second.tags  # a new list for each record
    assert [f.name for f in dataclasses.fields(Point)] == ["x", "y", "tags"]


def test_missing_and_unknown_fields_are_refused() -> None:
    with pytest.raises(TypeError, match="missing the field 'x'"):
        Point()
    with pytest.raises(TypeError, match="no field 'z'"):
        Point(x=1, z=2)


def test_records_never_change() -> None:
    point = Point(x=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del point.x  # type: ignore[misc]
    assert point.x == 1


def test_equality_hash_and_repr_follow_the_fields() -> None:
    assert Option(value="a", label="A") == Option(value="a", label="A")
    assert Option(value="a", label="A") != Option(value="a", label="B")
    assert Option(value="a", label="A") != Point(x=1)
    assert hash(Option(value="a", label="A")) == hash(Option(value="a", label="A"))
    assert repr(Point(x=1)) == "Point(x=1, y=0, tags=[])"


def test_post_init_checks_run_on_construction() -> None:
    with pytest.raises(ValueError, match="at most total"):
        Figure(events=3, total=2, label="had a flare")


def test_replace_and_pickle_keep_derived_lookups(tiny_bank: QuestionBank) -> None:
    bank = tiny_bank
    copied = pickle.loads(pickle.dumps(bank))
    assert copied == bank
    assert copied.question(bank.question_ids[0]) == bank.question(bank.question_ids[0])
    fewer = dataclasses.replace(bank, sources=bank.sources[:1])
    assert fewer.source(bank.sources[0].id) == bank.sources[0]
    with pytest.raises(KeyError):
        fewer.source(bank.sources[1].id)  # the lookup was derived again, not copied


def test_sources_hash_by_id_and_still_compare_every_field(tiny_bank: QuestionBank) -> None:
    source = tiny_bank.sources[0]
    retitled = dataclasses.replace(source, title="Another title")
    assert hash(retitled) == hash(source) == hash(dataclasses.replace(source))
    assert retitled != source
    assert {source: 1, retitled: 2}[retitled] == 2
