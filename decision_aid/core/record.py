"""Frozen records: the bank's content and the summary's parts, as keyword-only dataclasses.

``@record`` makes a class a dataclass (so pydantic can validate it and ``dataclasses.fields``
lists its fields) whose ``__init__``, ``__eq__``, ``__hash__``, ``__repr__`` and refusal to
change come from :class:`Record`, once, instead of being generated for each class: the
dataclass module writes and compiles those methods for every class it decorates, which
cost 28 ms of every start for the bank's and the summary's 40 classes (bench/run.py).
"""

from __future__ import annotations

from dataclasses import MISSING, Field, FrozenInstanceError, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

_Record = TypeVar("_Record", bound="Record")


@dataclass_transform(frozen_default=True, kw_only_default=True, field_specifiers=(field,))
def record(cls: type[_Record]) -> type[_Record]:
    """Make ``cls`` (a :class:`Record`) a frozen, keyword-only dataclass."""
    decorated = dataclass(init=False, repr=False, eq=False)(cls)
    decorated._record_fields = tuple(fields(decorated))  # type: ignore[arg-type]
    decorated._record_names = frozenset(f.name for f in decorated._record_fields if f.init)
    return decorated


class Record:
    """What every record does; its fields are those of the dataclass (see :func:`record`)."""

    _record_fields: tuple[Field[Any], ...] = ()
    _record_names: frozenset[str] = frozenset()
    """The fields set when a record is made (not those derived in ``__post_init__``)."""

    def __init__(self, **values: Any) -> None:
        if values.keys() == self._record_names:
            # Every field given, as the summary gives them: one step, not one per field
            # (the summary makes about 40 records per report; bench/run.py figure 2).
            self.__dict__.update(values)
        else:
            self._set_with_defaults(values)
        post_init = getattr(self, "__post_init__", None)
        if post_init is not None:
            post_init()

    def _set_with_defaults(self, values: dict[str, Any]) -> None:
        for spec in self._record_fields:
            if spec.name in values:
                value = values.pop(spec.name)
            elif spec.default is not MISSING:
                value = spec.default
            elif spec.default_factory is not MISSING:
                value = spec.default_factory()
            elif not spec.init:
                continue  # derived in __post_init__
            else:
                raise TypeError(f"{type(self).__name__}: missing the field {spec.name!r}")
            object.__setattr__(self, spec.name, value)
        if values:
            raise TypeError(f"{type(self).__name__}: no field {', '.join(map(repr, values))}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, spec.name) for spec in self._record_fields if spec.compare)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        shown = (f"{s.name}={getattr(self, s.name)!r}" for s in self._record_fields if s.repr)
        return f"{type(self).__name__}({', '.join(shown)})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}: records never change")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}: records never change")
