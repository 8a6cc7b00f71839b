"""The strict reader: YAML 1.2 booleans, no aliases, no duplicate keys, text files only."""

from __future__ import annotations

from pathlib import Path

import pytest

from decision_aid.core.yamlio import MAX_INPUT_BYTES, load_data_file, parse_yaml, read_text
from decision_aid.errors import InputMissingError, InvalidInputError


def test_yes_no_on_off_stay_words() -> None:
    """`clot.history: no` (the contract's own example) means the word "no"."""
    data = parse_yaml("a: no\nb: yes\nc: on\nd: off\ne: true\nf: None\n", "x.yaml")
    assert data == {"a": "no", "b": "yes", "c": "on", "d": "off", "e": True, "f": "None"}


def test_aliases_are_refused_with_line() -> None:
    """A YAML alias (the stuff of alias bombs) is an error naming the line."""
    with pytest.raises(InvalidInputError) as caught:
        parse_yaml("a: &x [1, 2]\nb: *x\n", "bomb.yaml")
    assert caught.value.problems[0].line == 2
    assert "aliases" in caught.value.lines()[0]
    assert "bomb.yaml:2" in caught.value.lines()[0]


def test_duplicate_keys_are_refused() -> None:
    """A key given twice is an error, not a silent overwrite."""
    with pytest.raises(InvalidInputError, match="given twice"):
        parse_yaml("answers:\n  kidney.egfr: 40\n  kidney.egfr: 50\n", "dup.yaml")


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    """The same holds for JSON answers files."""
    path = tmp_path / "dup.json"
    path.write_text('{"a": 1, "a": 2}', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="given twice"):
        load_data_file(path)


def test_missing_file_and_folder_exit_66(tmp_path: Path) -> None:
    """A missing file or a folder in its place is 'missing or unreadable' (66)."""
    with pytest.raises(InputMissingError, match="no such file"):
        read_text(tmp_path / "absent.yaml")
    with pytest.raises(InputMissingError, match="found a folder"):
        read_text(tmp_path)


def test_binary_and_other_encodings_are_named(tmp_path: Path) -> None:
    """Binary data and non-UTF-8 text get their own clear message."""
    binary = tmp_path / "a.yaml"
    binary.write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(InvalidInputError, match="binary"):
        read_text(binary)
    latin = tmp_path / "b.yaml"
    latin.write_bytes("caf\xe9: 1".encode("latin-1"))
    with pytest.raises(InvalidInputError, match="UTF-8"):
        read_text(latin)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    """Over 1 MiB is refused before parsing."""
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_INPUT_BYTES + 1))
    with pytest.raises(InputMissingError, match="larger than 1 MiB"):
        read_text(big)


def test_syntax_error_gives_line() -> None:
    """A YAML syntax error names the file and the line the parser gave."""
    with pytest.raises(InvalidInputError) as caught:
        parse_yaml("answers:\n  a: [1, 2\n", "broken.yaml")
    assert caught.value.problems[0].file == "broken.yaml"
    assert caught.value.problems[0].line is not None
