"""Writing files so that nothing half-written is ever left behind, readable by the owner only."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from decision_aid.errors import OutputError

PRIVATE = 0o600
"""Reports and answers are health information: the owner reads them, no one else."""


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600.

    A temporary file in the same folder is written, flushed to disk and renamed over
    ``path``; on any failure it is removed and an existing ``path`` stays whole.

    Raises:
        OutputError: the file cannot be written (exit 73), naming the file and why.
    """
    data = text.encode("utf-8")
    folder = path.parent
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the file ({_why(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write the file ({_why(exc)})") from None
        raise


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) if needed, or raise :class:`OutputError`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: expected a folder, found a file") from None
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({_why(exc)})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder, found a file")


def _why(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else str(exc)
