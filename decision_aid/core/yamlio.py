"""Reading YAML and JSON input safely: size-capped, UTF-8, no aliases, no duplicate keys.

Answers files and the bank are written by people, so the reader is strict where a
silent guess would change meaning:

- YAML 1.1 reads ``no``, ``yes``, ``on`` and ``off`` as booleans; the contract's own
  example writes ``clot.history: no``. Only ``true`` and ``false`` are booleans here.
- Aliases are refused: no content needs them, and they make "billion laughs" files.
- A key given twice is an error, not a silent overwrite.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from decision_aid.errors import InputMissingError, InvalidInputError, Problem

MAX_INPUT_BYTES = 1024 * 1024
"""No answers file or bank file comes near 1 MiB; a larger one is a mistake or an attack."""

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no aliases and no duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                "while reading", None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, list | dict):
                raise yaml.MarkedYAMLError(
                    "while reading a mapping", None, "a key must be plain text", key_node.start_mark
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    "while reading a mapping",
                    None,
                    f"the key {key!r} is given twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Replace the YAML 1.1 boolean resolver with the YAML 1.2 one.
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", _BOOL)
    )


def read_text(path: Path, shown_as: str | None = None) -> str:
    """Read a small UTF-8 text file, or raise an error that names it.

    Raises:
        InputMissingError: missing, a folder, unreadable or too large (exit 66).
        InvalidInputError: not UTF-8 text (exit 65).
    """
    name = shown_as or str(path)
    try:
        if path.is_dir():
            raise InputMissingError(f"{name}: expected a file, found a folder")
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise InputMissingError(f"{name}: no such file") from None
    except PermissionError:
        raise InputMissingError(f"{name}: permission denied: the file cannot be read") from None
    except OSError as exc:
        raise InputMissingError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputMissingError(
            f"{name}: the file is larger than 1 MiB; expected a small text file"
        )
    if b"\x00" in data:
        raise InvalidInputError(f"{name}: expected a text file, found binary data")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(
            f"{name}: expected UTF-8 text, found a byte that is not UTF-8 at position {exc.start}"
        ) from None
    return text


def parse_yaml(text: str, shown_as: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`, turning parser errors into one Problem."""
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "not valid YAML"
        raise InvalidInputError(
            f"{shown_as}: not valid YAML: {what}",
            [Problem(shown_as, "", f"expected valid YAML, found an error: {what}", line)],
        ) from None
    except yaml.YAMLError as exc:
        raise InvalidInputError(f"{shown_as}: not valid YAML ({exc})") from None
    except RecursionError:
        raise InvalidInputError(f"{shown_as}: the YAML is nested too deeply") from None


def parse_json(text: str, shown_as: str) -> Any:
    """Parse JSON text, refusing duplicate keys, with a line number on errors."""

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise ValueError(f"the key {key!r} is given twice")
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{shown_as}: not valid JSON: {exc.msg}",
            [Problem(shown_as, "", f"expected valid JSON, found an error: {exc.msg}", exc.lineno)],
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInputError(f"{shown_as}: not valid JSON: {exc}") from None


def load_data_file(path: Path, shown_as: str | None = None) -> Any:
    """Read and parse a ``.yaml``/``.yml``/``.json`` file by its suffix."""
    name = shown_as or str(path)
    text = read_text(path, name)
    if path.suffix.lower() == ".json":
        return parse_json(text, name)
    return parse_yaml(text, name)
