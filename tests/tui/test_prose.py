"""The light Markdown subset of the welcome screen (paragraphs, "- " lists, **bold**)."""

from __future__ import annotations

import pytest

from decision_aid.tui.widgets.prose import parse_prose


def test_paragraphs_lists_and_bold() -> None:
    """Blank lines part paragraphs, "- " starts an item, other lines continue a block."""
    blocks = parse_prose("One **two**\nthree.\n\n- **A:** a\n- B\n  b\n\nEnd.\n")
    assert blocks is not None
    assert [(kind, content.plain) for kind, content in blocks] == [
        ("paragraph", "One two three."),
        ("item", "A: a"),
        ("item", "B b"),
        ("paragraph", "End."),
    ]
    assert [span.style for span in blocks[0][1].spans] == ["bold"]


@pytest.mark.parametrize(
    "text",
    ["*emphasis*", "a [link](x)", "# Heading", "1. first", "+ item", "> quote", "`code`"],
)
def test_other_markdown_is_left_to_the_markdown_widget(text: str) -> None:
    """Anything beyond the subset gives None, so the screen uses Textual's Markdown."""
    assert parse_prose(text) is None
