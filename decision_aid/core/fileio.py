"""Writing files so that nothing half-written is ever left behind, readable by the owner only."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import secrets
import tempfile
from pathlib import Path

from decision_aid.errors import OutputError

PRIVATE = 0o600
"""Reports and answers are health information: the owner reads them, no one else."""

PRIVATE_FOLDER = 0o700
"""A folder this program creates: its file names may say whose reports are in it."""

_PROC_FD = Path("/proc/self/fd")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600.

    The new content is written and flushed to disk first, then renamed over ``path``;
    on any failure an existing ``path`` stays whole and nothing else is left. Where the
    system allows (Linux ``O_TMPFILE``), the content is written to a file with no name
    until it is complete, so even a process killed while writing leaves nothing behind;
    a new report then takes its name in one step, and only one that replaces an old
    report passes through a temporary name.
    ``path`` itself is replaced, never followed: a symbolic link there is replaced by
    the report, and what it pointed to is left alone.

    Raises:
        OutputError: the file cannot be written (exit 73), naming the file and why.
    """
    data = text.encode("utf-8")
    folder = path.parent
    anonymous = _open_unnamed(folder, path)
    temp_name: str | None = None
    try:
        if anonymous is None:
            fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        else:
            fd = anonymous
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the file ({_why(exc, folder)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), PRIVATE)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if temp_name is None:
                # Only now, complete and on disk, does the content get a name: the report's
                # own if it is new, else a temporary one that is renamed over the old.
                temp_name = _link_unnamed(handle.fileno(), folder, path)
                if temp_name is None:
                    return
        os.replace(temp_name, path)
    except BaseException as exc:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write the file ({_why(exc, folder)})") from None
        raise


def _open_unnamed(folder: Path, path: Path) -> int | None:
    """A file with no name in ``folder`` (``O_TMPFILE``), or None where that is not possible."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not _PROC_FD.is_dir():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, PRIVATE)
    except OSError as exc:
        # The file system does not support it: fall back to a named temporary file, whose
        # own errors (a missing folder, no permission) are then reported as they are.
        if exc.errno in (errno.EOPNOTSUPP, errno.EINVAL, errno.EISDIR, errno.ENOTSUP):
            return None
        raise OutputError(f"{path}: cannot create the file ({_why(exc, folder)})") from None


def _link_unnamed(fd: int, folder: Path, path: Path) -> str | None:
    """Name the complete unnamed file ``path`` if that is free (returns None), or else give
    it a temporary name beside ``path`` (returned) to be renamed over the old file."""
    # A folder descriptor makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the
    # file behind /proc/self/fd/N; plain link() would try to link the /proc entry itself.
    source = _PROC_FD / str(fd)
    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        # Random names only when needed: making all 100 up front cost 0.1 ms of every write.
        randoms = (f".{path.name}.{secrets.token_hex(4)}.tmp" for _ in range(100))
        for name in itertools.chain([path.name], randoms):
            try:
                os.link(source, name, dst_dir_fd=folder_fd, follow_symlinks=True)
            except FileExistsError:
                continue
            return None if name == path.name else str(folder / name)
    finally:
        os.close(folder_fd)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))  # pragma: no cover


def ensure_folder(folder: Path) -> None:
    """Create ``folder`` (and parents) if needed, or raise :class:`OutputError`.

    A folder created here is readable by its owner only (0700), whatever the umask.
    """
    try:
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{folder}: expected a folder, found a file") from None
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({_why(exc)})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder, found a file")


def _why(exc: OSError, folder: Path | None = None) -> str:
    if exc.errno == errno.ENOENT and folder is not None and not folder.is_dir():
        return f"the folder {folder} does not exist; was it removed?"
    return exc.strerror.lower() if exc.strerror else str(exc)
