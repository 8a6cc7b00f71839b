"""A memo for functions of one frozen object, keyed by the object's identity."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

_T = TypeVar("_T")


class ByIdentity(Generic[_T]):
    """A function of one frozen object, memoised by the object's identity.

    The bank and the summary's records are frozen, and the same ones come back as the
    same objects for every report (core/summary.py), so their identity says all that
    their hash would: hashing a record hashes every field, which was 0.12 of 0.84 ms of a
    report. Each object is kept with its result, so its id cannot be reused while it is
    in the memo; when ``size`` objects are kept, the memo starts again.
    """

    def __init__(self, function: Callable[[Any], _T], size: int = 1024) -> None:
        self._function = function
        self._size = size
        self._memo: dict[int, tuple[object, _T]] = {}

    def __call__(self, item: object) -> _T:
        kept = self._memo.get(id(item))
        if kept is not None and kept[0] is item:
            return kept[1]
        result = self._function(item)
        if len(self._memo) >= self._size:
            self._memo.clear()
        self._memo[id(item)] = (item, result)
        return result
