"""The fast wrapping and the memoised Markdown helpers give exactly what textwrap gave."""

from __future__ import annotations

import textwrap

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from decision_aid.report import markdown

WORD = st.text(
    alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")),
    min_size=1,
    max_size=30,
).filter(lambda w: not any(c.isspace() for c in w))
SPACE = st.sampled_from([" ", "  ", "\n", "\t", " \u00a0 ", "\u2009"])


def textwrap_lines(words: list[str], width: int, first: str, rest: str) -> list[str]:
    """What the report used before: textwrap with its greedy rules."""
    return textwrap.wrap(
        " ".join(words),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(WORD, max_size=60),
    width=st.integers(min_value=1, max_value=100),
    first=st.sampled_from(["", "- ", "12. ", "      "]),
    rest=st.sampled_from(["", "  ", "    ", "      "]),
)
def test_greedy_lines_match_textwrap(words: list[str], width: int, first: str, rest: str) -> None:
    """Any words, widths and indents: the same lines as textwrap.wrap."""
    assert markdown._greedy_lines(words, width, first, rest) == textwrap_lines(
        words, width, first, rest
    )


@settings(max_examples=200, deadline=None)
@given(
    parts=st.lists(st.tuples(WORD, SPACE), max_size=40),
    first=st.sampled_from(["", "- ", "3. "]),
)
def test_wrap_matches_textwrap_on_any_spacing(parts: list[tuple[str, str]], first: str) -> None:
    """Text with any run of spaces, tabs, newlines or other spaces wraps as before."""
    text = "".join(word + space for word, space in parts)
    rest = " " * len(first)
    expected = None
    for narrower in range(16):
        lines = textwrap_lines(text.split(), 80 - narrower, first, rest)
        if not any(markdown._STRUCTURE.match(line[len(rest) :]) for line in lines[1:]):
            expected = "\n".join(lines)
            break
    assume(expected is not None)  # a block start at every width has its own rule
    assert markdown.wrap(text, first=first, rest=rest) == expected


def test_memoised_helpers_give_the_same_text_twice() -> None:
    """A second call (served from the memo) returns what the first computed."""
    text = "Some people had a headache after the infusion, and a few had a clot. " * 4
    assert markdown.wrap(text) == markdown.wrap(text)
    assert markdown.bullet(text) == markdown.bullet(text)
    assert markdown.icon_array(3, 40, "had a clot") == markdown.icon_array(3, 40, "had a clot")
    table = markdown.table(["", "A", "B"], [["Row", text, "short"]], [14, 28, 28])
    assert table == markdown.table(["", "A", "B"], [["Row", text, "short"]], [14, 28, 28])
    assert all(len(line) <= 80 for line in table.splitlines())
