"""The first pass over a bank file: pydantic checks its shape, and its errors are reworded.

Only a bank read afresh comes here (``check``, or a start whose bank the cache does not
hold), so pydantic is imported by this module alone. The models are dataclasses
(core/bank.py); a :class:`pydantic.TypeAdapter` validates each file's top level.
"""

from __future__ import annotations

import dataclasses
import difflib
import typing
from typing import Any

from pydantic import TypeAdapter, ValidationError

from decision_aid.core import bank as models
from decision_aid.core.bank import Model
from decision_aid.errors import Problem

_QUESTION_KINDS: dict[str, type[Model]] = {
    typing.get_args(typing.get_type_hints(kind)["kind"])[0]: kind
    for kind in typing.get_args(typing.get_args(models.Question)[0])
}
"""Each question class by its ``kind`` tag, in the order of the ``Question`` union:
pydantic names the tag in the place of an error (``questions.1.choice.options``)."""


_adapters: dict[type[Model], TypeAdapter[Any]] = {}


def _adapter(model: type[Model]) -> TypeAdapter[Any]:
    """One adapter per file model: building its validator is the costly part."""
    if model not in _adapters:
        _adapters[model] = TypeAdapter(model)
    return _adapters[model]


def check_shape(model: type[Model], raw: Any, shown: str) -> tuple[Any, list[Problem]]:
    """``raw`` (a file's parsed YAML) as ``model``, or None and every problem with its shape."""
    if not isinstance(raw, dict):
        return None, [Problem(shown, "", f"expected a mapping of keys, found {_kind(raw)}")]
    try:
        return _adapter(model).validate_python(raw), []
    except ValidationError as exc:
        return None, pydantic_problems(exc, shown, raw, model)


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    return repr(value)


def _place(loc: tuple[int | str, ...], raw: Any) -> str:
    """``questions[1] (nephritis.class).asked_when[0]``: the path, with item ids shown."""
    path = ""
    node = raw
    for part in loc:
        if isinstance(part, str) and part in _QUESTION_KINDS:
            continue
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("id"), str):
            path += f" ({node['id']})"
    return path


_PYDANTIC_WORDS = (
    ("Input should be ", "expected "),
    ("Value should be ", "expected "),
    ("String should match pattern", "expected text matching the pattern"),
    ("String should have", "expected text with"),
    ("List should have", "expected a list with"),
    ("Dictionary should have", "expected a mapping with"),
)


def pydantic_problems(
    exc: ValidationError, shown: str, raw: Any, model: type[Model]
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, worded as "expected …, found …"."""
    problems: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        found = error.get("input")
        if kind in {"extra_forbidden", "unexpected_keyword_argument"}:
            parent = loc[:-1]
            path = _place(parent, raw)
            allowed = _fields_at(model, parent)
            guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            hint = f" (did you mean {guess[0]!r}?)" if guess else ""
            message = f"unknown key {loc[-1]!r}{hint}"
            if allowed:
                message += f"; expected one of: {', '.join(allowed)}"
            problems.append(Problem(shown, path, message))
            continue
        path = _place(loc, raw)
        if kind == "missing":
            message = "expected this key, found it missing"
        elif kind == "union_tag_invalid":
            message = (
                f"expected kind to be one of {', '.join(_QUESTION_KINDS)}; "
                f"found {_kind(error.get('ctx', {}).get('tag'))}"
            )
        elif kind == "union_tag_not_found":
            message = "expected a 'kind' key (choice, several, whole_number, ...), found none"
        else:
            text = error["msg"].removeprefix("Value error, ")
            for theirs, ours in _PYDANTIC_WORDS:
                if text.startswith(theirs):
                    text = ours + text[len(theirs) :]
            if not text.startswith("expected"):
                text = f"expected {text[0].lower()}{text[1:]}"
            message = text if "found" in text else f"{text}; found {_kind(found)}"
        problems.append(Problem(shown, path, message))
    return problems


def _fields_at(top: type[Model], loc: tuple[int | str, ...]) -> list[str]:
    """The keys allowed at ``loc`` in a file whose top level is ``top``, for hints."""
    model: Any = top
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        if part in _QUESTION_KINDS:
            model = _QUESTION_KINDS[str(part)]
            continue
        names = _keys(model)
        if part not in names:
            return []
        model = _model_in(typing.get_type_hints(model)[names[part]])
    return sorted(_keys(model)) if model is not None else []


def _keys(model: type[Model]) -> dict[str, str]:
    """The keys a file may write for ``model`` (aliases such as ``not``), to field names."""
    alias = model.__pydantic_config__.get("alias_generator") or (lambda name: name)
    return {alias(f.name): f.name for f in dataclasses.fields(model) if f.init}


def _model_in(annotation: Any) -> type[Model] | None:
    """The first content model inside a type annotation (list[X], X | None, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
