"""The memo of functions of one frozen object, keyed by identity (core/memo.py)."""

from __future__ import annotations

from decision_aid.core.memo import ByIdentity


def test_memo_by_identity_keeps_what_it_returns_for() -> None:
    """A result is returned only for the very object it was computed for (kept alive, so
    its id cannot be reused), and the memo never grows past its size."""
    calls: list[object] = []

    def describe(item: object) -> str:
        calls.append(item)
        return repr(item)

    memo = ByIdentity(describe, size=3)
    a, b = [1], [1]
    assert memo(a) == memo(a) == memo(b) == "[1]"
    assert calls == [a, b] and calls[0] is a and calls[1] is b
    for item in ([2], [3], [4], [5]):
        memo(item)
    assert len(memo._memo) <= 3
