"""A private cache of the checked question bank (and a folder for the compiled template).

Parsing the seven bank files, validating them (which first imports pydantic and builds its
validators) and cross-checking them took about 65 ms of every ``run`` and every
consultation start, libyaml already in use (bench/run.py); loading the bank an earlier
start checked takes about 5 ms, and needs no pydantic at all.

Never stale: the key is a SHA-256 of everything the checked bank depends on: the text of
every bank file, the source of the code that reads and checks it (``decision_aid/core``,
``decision_aid/errors.py``), the version of Python, and the installed files of pydantic,
pydantic-core and PyYAML. Any change to any of them is a miss, and the bank is read and
checked again. Only a bank that passed every check is stored; a bank with problems always
reports them afresh.

Where: ``$XDG_CACHE_HOME/ivig-decision-aid`` (by default ``~/.cache/ivig-decision-aid``),
a folder made readable by its owner only; never the package or the bank folder. It holds
question content only, no answers. Files are written whole (a temporary file renamed) and
read only when they are regular files owned by this user that no one else can write:
unpickling runs code, so a cache file is trusted as Python trusts its own ``__pycache__``.
``IVIG_DECISION_AID_CACHE=off`` turns the cache off. Any failure to read or write it is
ignored: the bank is then simply read and checked as it would be without a cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

from decision_aid.core.bank import QuestionBank

ENVIRONMENT = "IVIG_DECISION_AID_CACHE"
"""Set to ``off`` (or ``0``, ``no``, ``false``) to read and check the bank every time."""

KEEP = 8
"""Banks kept: the shipped one and a few edited copies (``--questions``)."""

_fingerprint: str | None = None


def folder() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    if os.environ.get(ENVIRONMENT, "").strip().lower() in {"off", "0", "no", "false"}:
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "ivig-decision-aid"


def _code_fingerprint() -> str:
    """What, besides the bank, decides the checked bank: our code and the libraries."""
    global _fingerprint
    if _fingerprint is None:
        package = Path(__file__).resolve().parents[1]
        code = [*sorted((package / "core").glob("*.py")), package / "errors.py"]
        digest = hashlib.sha256(sys.version.encode())
        for library in _LIBRARIES:
            digest.update(f"\0{_installed(library)}".encode())
        for path in code:
            digest.update(f"\0{path.name}\0".encode())
            digest.update(path.read_bytes())
        _fingerprint = digest.hexdigest()
    return _fingerprint


_LIBRARIES = ("pydantic", "pydantic_core", "yaml")
"""The libraries that read and check the bank: another version of one is another key."""


def _installed(library: str) -> str:
    """Where ``library`` is installed and when its files were written, without importing it.

    A bank from the cache needs no pydantic: importing it to ask its version would cost
    more than the rest of loading (15 ms). Installing any other version rewrites the
    package's ``__init__.py``, so its path, size and time change with the version.
    """
    spec = importlib.util.find_spec(library)
    if spec is None or spec.origin is None:
        return f"{library}: not found"
    info = os.stat(spec.origin)
    return f"{spec.origin}\0{info.st_size}\0{info.st_mtime_ns}"


def bank_key(texts: Mapping[str, str]) -> str | None:
    """The cache key for a bank whose files (name to text) are ``texts``; None if unknown."""
    if folder() is None:
        return None
    try:
        digest = hashlib.sha256(_code_fingerprint().encode())
    except OSError:  # our own source cannot be read: no key, so no cache
        return None
    for name in sorted(texts):
        data = texts[name].encode("utf-8", "surrogatepass")
        digest.update(f"\0{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def load_bank(key: str) -> QuestionBank | None:
    """The checked bank stored under ``key``, or None (missing, foreign, damaged...)."""
    where = folder()
    if where is None:
        return None
    try:
        fd = os.open(where / f"bank-{key}.pickle", os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not _trusted(info):
                return None
            stored_key, bank = pickle.load(handle)  # noqa: S301 - our own file, checked above
    except Exception:  # noqa: BLE001 - a damaged or old cache file is a miss, not an error
        return None
    if stored_key != key or not isinstance(bank, QuestionBank):
        return None
    return bank


def store_bank(key: str, bank: QuestionBank) -> None:
    """Keep ``bank`` (already checked) under ``key``; never fails, never leaves a part."""
    where = folder()
    if where is None:
        return
    import tempfile

    temp: str | None = None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(where), folder=True):
            return
        data = pickle.dumps((key, bank), protocol=pickle.HIGHEST_PROTOCOL)
        fd, temp = tempfile.mkstemp(prefix=".bank-", suffix=".tmp", dir=where)  # mode 0600
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, where / f"bank-{key}.pickle")
        temp = None
        _prune(where)
    except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
        pass
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass


def private_folder(name: str) -> Path | None:
    """A sub-folder of the cache that only this user can write, made if needed; or None."""
    where = folder()
    if where is None:
        return None
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(os.stat(where), folder=True):
            return None
        (where / name).mkdir(mode=0o700, exist_ok=True)
        if not _trusted(os.stat(where / name), folder=True):
            return None
    except OSError:
        return None
    return where / name


def _trusted(info: os.stat_result, folder: bool = False) -> bool:
    """Ours, and no one else may change it: a regular file (or folder) we own."""
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    owner = info.st_uid == os.getuid() if hasattr(os, "getuid") else True
    return kind(info.st_mode) and owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _prune(where: Path) -> None:
    """Keep the :data:`KEEP` most recently stored banks."""
    stored = sorted(where.glob("bank-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in stored[KEEP:]:
        old.unlink(missing_ok=True)
