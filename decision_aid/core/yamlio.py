"""Reading YAML and JSON input safely: size-capped, UTF-8, no aliases, no duplicate keys.

Answers files and the bank are written by people, so the reader is strict where a
silent guess would change meaning:

- YAML 1.1 reads ``no``, ``yes``, ``on`` and ``off`` as booleans; the contract's own
  example writes ``clot.history: no``. Only ``true`` and ``false`` are booleans here.
- YAML 1.1 also reads ``045`` as octal 37 and ``1:30`` as 90. Numbers here are YAML 1.2
  decimals: ``045`` is 45, and ``1:30``, ``0x1F`` or ``1_000`` stay text (and are then
  refused where a number is expected).
- A value the parser cannot convert (``!!int abc``, ``2026-02-30``) is an error naming
  its line, as is text with a lone UTF-16 surrogate (``"\ud800"``), which no file can
  hold and no report could be written with.
- Aliases are refused: no content needs them, and they make "billion laughs" files.
- A key given twice is an error, not a silent overwrite.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from decision_aid.errors import InputMissingError, InvalidInputError, Problem

MAX_INPUT_BYTES = 1024 * 1024
"""No answers file or bank file comes near 1 MiB; a larger one is a mistake or an attack."""

MAX_NODES = 10_000
"""Values (keys, texts, lists...) in one YAML file. The largest shipped bank file has about
1,000; a 1 MiB file of tiny values would have 500,000, and take seconds and hundreds of
MiB to read, so the size cap alone does not keep reading quick and small."""

MAX_DEPTH = 50
"""Lists and mappings inside each other; the bank's deepest condition is under 15."""

MAX_NUMBER_DIGITS = 100
"""No real number is that long; longer ones are refused before Python converts them."""

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+(?=[eE]))(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_TAG_WORDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "a date",
    "tag:yaml.org,2002:binary": "base64 data",
}


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans, no aliases and no duplicate keys."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # The constructors of SafeLoader raise plain ValueError, KeyError... on values
        # they cannot convert; say which value and where instead.
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            what = _TAG_WORDS.get(node.tag, f"the type {node.tag}")
            found = node.value if isinstance(node.value, str) else "this value"
            # Python's own wording helps for dates ("month must be in 1..12"), not for the rest.
            useful = isinstance(exc, ValueError) and (
                node.tag == "tag:yaml.org,2002:timestamp" or isinstance(exc, _TooLong)
            )
            detail = f" ({exc})" if useful else ""
            raise yaml.MarkedYAMLError(
                "while reading",
                None,
                f"cannot read {found[:60]!r} as {what}{detail}",
                node.start_mark,
            ) from None
        if isinstance(value, str) and _SURROGATE.search(value):
            raise yaml.MarkedYAMLError(
                "while reading", None, _surrogate_message(value), node.start_mark
            )
        return value

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                "while reading", None, "aliases (*name) are not allowed", event.start_mark
            )
        self._nodes = getattr(self, "_nodes", 0) + 1
        self._depth = getattr(self, "_depth", 0) + 1
        if self._nodes > MAX_NODES or self._depth > MAX_DEPTH:
            event = self.peek_event()  # type: ignore[no-untyped-call]
            too_many = f"more than {MAX_NODES:,} values"
            too_deep = f"lists or mappings nested more than {MAX_DEPTH} deep"
            raise yaml.MarkedYAMLError(
                "while reading",
                None,
                f"{too_many if self._nodes > MAX_NODES else too_deep}; expected a small file",
                event.start_mark,
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

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


class _TooLong(ValueError):
    """A number too long to be meant."""


def _construct_int(loader: StrictLoader, node: Any) -> int:
    text = loader.construct_scalar(node)
    if len(text) > MAX_NUMBER_DIGITS:
        raise _TooLong(f"more than {MAX_NUMBER_DIGITS} digits")
    return int(text, 10)  # decimal only: "045" is 45, never octal


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    code = f"\\u{ord(found.group()):04x}" if found else "?"
    return f"expected text, found {code}, half of a character pair that is not valid on its own"


# Replace the YAML 1.1 boolean and number resolvers with the YAML 1.2 ones.
_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    StrictLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, ("tag:yaml.org,2002:bool", _BOOL)
    )
for _first in "-+0123456789.":
    _resolvers = StrictLoader.yaml_implicit_resolvers.setdefault(_first, [])
    _resolvers.insert(0, ("tag:yaml.org,2002:float", _FLOAT))
    _resolvers.insert(0, ("tag:yaml.org,2002:int", _INT))
StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

# libyaml's parser, when PyYAML was built with it (the wheels on PyPI are).
_CParser: Any = getattr(getattr(yaml, "cyaml", None), "CParser", None)


if _CParser is not None:

    class _FastStrictLoader(_CParser, StrictLoader):  # type: ignore[misc]
        """:class:`StrictLoader` with libyaml's C scanner and parser under it.

        Scanning and parsing the shipped bank in pure Python took 115 ms of a 370 ms
        ``run`` (bench/run.py); with libyaml it takes about 25 ms. Only the events come
        from C: composing and constructing are StrictLoader's own Python methods (put
        before CParser's C composer below), so every rule above applies unchanged.
        """

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        check_node = yaml.composer.Composer.check_node
        get_node = yaml.composer.Composer.get_node
        get_single_node = yaml.composer.Composer.get_single_node


def read_text(path: Path, shown_as: str | None = None) -> str:
    """Read a small UTF-8 text file, or raise an error that names it.

    Only a regular file is read: a named pipe, a device (``/dev/zero``) or a socket is
    refused before reading, so nothing can make the reader wait or read without end.

    Raises:
        InputMissingError: missing, not a file, unreadable or too large (exit 66).
        InvalidInputError: not UTF-8 text (exit 65).
    """
    name = shown_as or str(path)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer; fstat then refuses it.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputMissingError(f"{name}: no such file") from None
    except PermissionError:
        raise InputMissingError(f"{name}: permission denied: the file cannot be read") from None
    except OSError as exc:
        with contextlib.suppress(OSError):  # a socket cannot be opened: say what it is
            mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                raise InputMissingError(
                    f"{name}: expected a file, found {_file_kind(mode)}"
                ) from None
        raise InputMissingError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputMissingError(f"{name}: expected a file, found {_file_kind(mode)}")
    with os.fdopen(fd, "rb") as handle:
        try:
            data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputMissingError(f"{name}: cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputMissingError(
            f"{name}: the file is larger than 1 MiB; expected a small text file"
        )
    other = _other_unicode(data)
    if other:
        raise InvalidInputError(f"{name}: expected UTF-8 text, found {other}; save it as UTF-8")
    if b"\x00" in data:
        raise InvalidInputError(f"{name}: expected a text file, found binary data")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInputError(
            f"{name}: expected UTF-8 text, found a byte that is not UTF-8 on line {line} "
            f"(position {exc.start}); save it as UTF-8"
        ) from None
    return text


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "something that is not a file"


def _other_unicode(data: bytes) -> str | None:
    """``"UTF-16 text"`` or ``"UTF-32 text"`` when the bytes are plainly that, else None."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32 text"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16 text"
    sample = data[:256]
    # Text saved as UTF-16 without a mark: every other byte of ASCII is zero.
    if len(sample) >= 4 and (sample[0::2].count(0) == 0) != (sample[1::2].count(0) == 0):
        zeros = max(sample[0::2].count(0), sample[1::2].count(0))
        if zeros >= len(sample) // 2 - 1:
            return "UTF-16 text"
    return None


_NOT_PLAIN = object()
"""What :func:`_parse_plain` returns for text it leaves to the YAML reader."""

_TOKEN = r"[A-Za-z0-9_][A-Za-z0-9_.+/-]*"
_QUOTED = r'"[\x20\x21\x23-\x5b\x5d-\x7e]*"'  # printable ASCII but for " and \
_ITEM = f"(?:{_TOKEN}|{_QUOTED})"
_ENTRY = re.compile(
    rf"( *)({_TOKEN}):(?: +({_ITEM}|\[ *(?:{_ITEM}(?: *, *{_ITEM})*)? *\]|\{{ *\}}))? *"
)
_ITEMS = re.compile(_ITEM)
# A comment may hold any character the YAML reader allows, except those it reads as the
# end of a line (\r, \x85, \u2028, \u2029) and tabs.
_SKIPPED = re.compile(
    " *(?:#[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*)?"
)
_PLAIN_MAX_CHARS = 16 * 1024
_PLAIN_MAX_NODES = 1000
"""An answers file is under 2 KiB, with about 50 values; a larger file is left to the YAML
reader and its limits (a line of 500,000 list items must not be split into a list)."""
_PLAIN_MAX_KEY = 1000
"""The YAML reader refuses a key longer than 1024 characters; leave those to it."""


def _parse_plain(text: str) -> Any:
    """The data of a plain answers file, as :class:`StrictLoader` reads it, or ``_NOT_PLAIN``.

    Reading a 20-line answers file through the YAML reader cost 0.2 ms of CPU, most of
    ``run`` over many files after the report itself (bench/run.py figure 2). This reads
    only the shape that answers files have (what ``dump_answers`` and the template
    write): ``key: value`` lines in printable ASCII, one level of indented ``key: value``
    lines under a key with no value, values that are plain words, numbers, dates,
    double-quoted text without escapes, ``[a, b]`` lists or ``{}``, and comment lines.
    Each word is resolved and built by StrictLoader's own rules and constructors. Any
    other text, a key given twice, or a value those rules refuse goes to the YAML reader,
    which gives the same data or the same message it always gave (tested on generated
    files against the YAML reader).
    """
    if len(text) > _PLAIN_MAX_CHARS:
        return _NOT_PLAIN
    top: dict[Any, Any] = {}
    nested: dict[Any, Any] | None = None  # the mapping under the last key with no value
    open_key: Any = _NOT_PLAIN  # that key, while indented lines may still follow it
    indent = ""
    nodes = 1
    for line in text.split("\n"):
        entry = _ENTRY.fullmatch(line)
        if entry is None:
            if _SKIPPED.fullmatch(line):
                continue
            return _NOT_PLAIN
        spaces, key_text, value_text = entry.groups()
        key = _plain_scalar(key_text)
        value = _NOT_PLAIN if value_text is None else _plain_value(value_text)
        if key is _NOT_PLAIN or (value is _NOT_PLAIN and value_text is not None):
            return _NOT_PLAIN
        nodes += 2 + (len(value) if isinstance(value, list) else 0)
        if nodes > _PLAIN_MAX_NODES or len(key_text) > _PLAIN_MAX_KEY:
            return _NOT_PLAIN
        if not spaces:
            if key in top:
                return _NOT_PLAIN
            top[key] = None if value is _NOT_PLAIN else value
            open_key, nested, indent = (key if value is _NOT_PLAIN else _NOT_PLAIN), None, ""
            continue
        if open_key is _NOT_PLAIN:
            return _NOT_PLAIN  # indented under a key that has a value, or nested deeper
        if nested is None:
            nested, indent = {}, spaces
            top[open_key] = nested
        if spaces != indent or key in nested:
            return _NOT_PLAIN
        if value is _NOT_PLAIN:
            # A key with no value: None, unless lines indented deeper follow (not plain).
            value = None
        nested[key] = value
    if not top:
        return _NOT_PLAIN
    return top


def _plain_value(text: str) -> Any:
    if text.startswith("["):
        items = [_plain_scalar(item) for item in _ITEMS.findall(text)]
        return _NOT_PLAIN if any(i is _NOT_PLAIN for i in items) else items
    if text.startswith("{"):
        return {}
    return _plain_scalar(text)


# Memoised: answers files repeat the same ids and values; every result is immutable.
@functools.lru_cache(maxsize=4096)
def _plain_scalar(text: str) -> Any:
    """A plain word or double-quoted text, resolved and built as StrictLoader would."""
    if text.startswith('"'):
        return text[1:-1]
    tag = "tag:yaml.org,2002:str"
    resolvers = StrictLoader.yaml_implicit_resolvers
    for candidate, pattern in resolvers.get(text[0], []) + resolvers.get(None, []):
        if pattern.match(text):
            tag = candidate
            break
    build = StrictLoader.yaml_constructors.get(tag)
    if build is None:
        return _NOT_PLAIN
    try:
        return build(_constructor(), yaml.ScalarNode(tag, text))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        return _NOT_PLAIN  # 2026-02-30, a number too long...: the YAML reader says what


@functools.cache
def _constructor() -> StrictLoader:
    """A StrictLoader whose constructors build single values (they keep no state)."""
    return StrictLoader("")


def parse_yaml(text: str, shown_as: str) -> Any:
    """Parse YAML text with :class:`StrictLoader`, turning parser errors into one Problem."""
    data = _parse_plain(text)
    if data is not _NOT_PLAIN:
        return data
    if _CParser is not None:
        try:
            return yaml.load(text, Loader=_FastStrictLoader)  # noqa: S506 - a strict SafeLoader
        except Exception:  # noqa: BLE001 - the pure-Python reader below has the last word
            # libyaml words its errors differently: the pure-Python reader reads the text
            # again, so every message and line number is the same with or without libyaml.
            pass
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

    def whole_number(digits: str) -> int:
        if len(digits) > MAX_NUMBER_DIGITS:
            raise ValueError(f"a number has more than {MAX_NUMBER_DIGITS} digits")
        return int(digits)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates, parse_int=whole_number)
    except json.JSONDecodeError as exc:
        raise InvalidInputError(
            f"{shown_as}: not valid JSON: {exc.msg}",
            [Problem(shown_as, "", f"expected valid JSON, found an error: {exc.msg}", exc.lineno)],
        ) from None
    except RecursionError:
        raise InvalidInputError(f"{shown_as}: the JSON is nested too deeply") from None
    except ValueError as exc:
        raise InvalidInputError(f"{shown_as}: not valid JSON: {exc}") from None
    for item in _strings(data):
        if _SURROGATE.search(item):
            raise InvalidInputError(f"{shown_as}: not valid JSON: {_surrogate_message(item)}")
    return data


def _strings(data: Any) -> list[str]:
    """Every key and text value in parsed data (without recursion: the data may be deep)."""
    found: list[str] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            found.append(node)
        elif isinstance(node, dict):
            found.extend(k for k in node if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load_data_file(path: Path, shown_as: str | None = None) -> Any:
    """Read and parse a ``.yaml``/``.yml``/``.json`` file by its suffix."""
    name = shown_as or str(path)
    text = read_text(path, name)
    if path.suffix.lower() == ".json":
        return parse_json(text, name)
    return parse_yaml(text, name)
