"""Citation markers: the memoised parsing gives what one pass of ``re.sub`` gave."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from decision_aid.core.citations import MARKER, Citer, cited_ids, strip_markers


def reference_cite(order: list[str], text: str) -> str:
    """``Citer.cite`` as first written: one ``re.sub`` over the text for every call."""

    def number(source_id: str) -> int:
        if source_id not in order:
            order.append(source_id)
        return order.index(source_id) + 1

    def group(match: re.Match[str]) -> str:
        numbers = sorted({number(i) for i in MARKER.findall(match.group(0))})
        return "[" + ", ".join(str(n) for n in numbers) + "]"

    return re.sub(r"(?:\[@[a-z0-9][a-z0-9-]*\])(?:\s*\[@[a-z0-9][a-z0-9-]*\])*", group, text)


PIECE = st.one_of(
    st.sampled_from(["[@a]", "[@b-2]", "[@c]", "[@a] [@b-2]", "[@c]\n[@a]", "[@c][@c]"]),
    st.sampled_from(["[@]", "[@A]", "[@a", "[a]", "@a]", " ", "  ", "\t", ".", ",", "\n"]),
    st.text(alphabet="ab -[@]\n.", max_size=8),
    st.text(max_size=6),
)


@settings(max_examples=300)
@given(texts=st.lists(st.lists(PIECE, max_size=12).map("".join), min_size=1, max_size=5))
def test_cite_numbers_as_before(texts: list[str]) -> None:
    """Several texts cited in turn by one Citer: the same text and numbering as re.sub gave,
    whether a text is parsed for the first time or comes from the memo (the second pass)."""
    for _ in range(2):
        citer, order = Citer(), []
        for text in texts:
            assert citer.cite(text) == reference_cite(order, text)
        assert citer.order == order


def test_cite_continues_a_numbering_given_in_order() -> None:
    """The summary starts a Citer from the opening's sources (``order.extend``)."""
    citer = Citer()
    citer.order.extend(["x", "y"])
    assert citer.cite("A [@y] [@z]. B [@x].") == "A [2, 3]. B [1]."
    assert citer.order == ["x", "y", "z"]


def test_memoised_results_cannot_be_changed_by_a_caller() -> None:
    """cited_ids returns a new list each time: changing one leaves the next call whole."""
    first = cited_ids("A [@a] [@b] [@a].")
    first.append("changed")
    assert cited_ids("A [@a] [@b] [@a].") == ["a", "b"]
    text = "A [@a]. B [@b] , c."
    assert strip_markers(text) == strip_markers(text) == "A. B, c."
