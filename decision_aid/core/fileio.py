"""Writing files so that nothing half-written is ever left behind, readable by the owner only.

Every file is written the same way, alone (:func:`write_private`), with the files that go
with it (:func:`write_together`) or with others (:class:`DurableBatch`, for ``run`` over
many answers files):

1. its content goes to a file with no name in the target's folder (Linux ``O_TMPFILE``;
   elsewhere a hidden temporary name), mode 0600;
2. the content is flushed to disk (``fsync``);
3. only then does it get a name: the target's own if that is free, else a hidden
   temporary name that is renamed over the old file in one step.

A crash, a kill or a power cut at any moment leaves each target either as it was or whole
and new, never half-written. A batch flushes all its files before naming any of them, so
the disk does its work once for the batch instead of once per file.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import itertools
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from decision_aid.errors import OutputError

PRIVATE = 0o600
"""Reports and answers are health information: the owner reads them, no one else."""

PRIVATE_FOLDER = 0o700
"""A folder this program creates: its file names may say whose reports are in it."""

BATCH_FILES = 64
"""Files a batch holds open before it is flushed: few enough that the descriptors stay
well inside the usual limit (1,024), many enough that one flush serves many files."""

_PROC_FD = Path("/proc/self/fd")


def batch_limit() -> int:
    """How many files a batch may hold open here: :data:`BATCH_FILES`, or fewer where the
    process may open few files (``ulimit -n``), leaving most descriptors to the rest."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return BATCH_FILES
    return max(1, min(BATCH_FILES, soft // 4))


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically with mode 0600.

    The new content is written and flushed to disk first, then named ``path``; on any
    failure an existing ``path`` stays whole and nothing else is left. Where the system
    allows (Linux ``O_TMPFILE``), the content is written to a file with no name until it
    is complete, so even a process killed while writing leaves nothing behind; a new
    report then takes its name in one step, and only one that replaces an old report
    passes through a temporary name.
    ``path`` itself is replaced, never followed: a symbolic link there is replaced by
    the report, and what it pointed to is left alone.

    Raises:
        OutputError: the file cannot be written (exit 73), naming the file and why.
    """
    write_together((path, text))


def write_together(*files: tuple[Path, str]) -> None:
    """Write each ``(path, text)`` as :func:`write_private` does, all or none: every file is
    flushed before any is named, they are named in the order given, and if one cannot be
    named, those already named that were new are removed again.

    Raises:
        OutputError: a file cannot be written (exit 73), naming the file and why.
    """
    with DurableBatch() as batch:
        batch.add(*files)
        (error,) = batch.commit()
    if error is not None:
        raise error


@dataclass
class _Staged:
    """A file written but not yet named."""

    path: Path
    fd: int
    temp_name: str | None
    """Its hidden temporary name, where the system has no unnamed files."""
    new: bool = False
    """Named by taking a free name: there was no old file."""


class DurableBatch:
    """Files written when added, flushed to disk together, then named in the order added.

    Each file keeps the promises of :func:`write_private`. Flushing them all before naming
    any costs the disk one pass instead of one per file; the caller keeps the number of
    open files (``len``) bounded, :data:`BATCH_FILES`, by committing as it goes. Used as
    a context manager, a batch left without a commit (an error, Ctrl+C) is discarded:
    files with no name vanish, temporary names are removed, the targets are untouched.
    """

    def __init__(self, *, start_writeout: bool = False) -> None:
        """``start_writeout``: ask the system to start writing each file to disk as soon as
        it is added (Linux), so that the flush at commit finds the work under way."""
        self._groups: list[list[_Staged]] = []
        self._open = 0
        self._temporary = 0
        self._writeout = _writeout() if start_writeout else None

    def __len__(self) -> int:
        """The files added and not yet committed (each holds a descriptor)."""
        return self._open

    @property
    def has_temporary_names(self) -> bool:
        """Whether a file waits under a temporary name (no unnamed files on this system):
        a kill would leave it behind, so commit before adding more."""
        return self._temporary > 0

    def __enter__(self) -> DurableBatch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def add(self, *files: tuple[Path, str]) -> int:
        """Write each ``(path, text)`` now, to be named at :meth:`commit`, as one group:
        a report and the files that go with it (its FHIR response). Returns its index.

        A group is named only if each of its files was flushed; if one of them then cannot
        be named, those of the group already named that were new are removed again, so
        none is left without the others (an old file replaced stays replaced).

        Raises:
            OutputError: a file cannot be created or written; nothing of the group is left.
        """
        group: list[_Staged] = []
        try:
            for path, text in files:
                group.append(self._write(path, text))
        except BaseException:
            for staged in group:
                _close_and_remove(staged.fd, staged.temp_name)
            raise
        self._groups.append(group)
        self._open += len(group)
        self._temporary += sum(staged.temp_name is not None for staged in group)
        return len(self._groups) - 1

    def commit(self) -> list[OutputError | None]:
        """Flush every file to disk, then name each in the order added.

        Returns, for each group in that order, None if its files now have their names, or
        the error (naming the file and why) that stopped it; the group's old files are
        then whole. The batch is empty afterwards, every descriptor closed.
        """
        groups, self._groups, self._open, self._temporary = self._groups, [], 0, 0
        errors: list[OutputError | None] = []
        folders: dict[Path, int] = {}
        try:
            for group in groups:
                errors.append(None)
                for staged in group:
                    try:
                        os.fsync(staged.fd)
                    except OSError as exc:
                        errors[-1] = errors[-1] or _write_error(staged.path, exc)
            for index, group in enumerate(groups):
                if errors[index] is None:
                    errors[index] = self._name_group(group, folders)
        finally:
            for group in groups:
                for staged in group:
                    _close_and_remove(staged.fd, staged.temp_name)
            for folder_fd in folders.values():
                os.close(folder_fd)
        return errors

    def discard(self) -> None:
        """Close every file added and not committed; nothing of them is left."""
        groups, self._groups, self._open, self._temporary = self._groups, [], 0, 0
        for group in groups:
            for staged in group:
                _close_and_remove(staged.fd, staged.temp_name)

    def _write(self, path: Path, text: str) -> _Staged:
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
            os.fchmod(fd, PRIVATE)
            _write_all(fd, data)
            if self._writeout is not None:
                self._writeout(fd)
        except BaseException as exc:
            _close_and_remove(fd, temp_name)
            if isinstance(exc, OSError):
                raise _write_error(path, exc) from None
            raise
        return _Staged(path, fd, temp_name)

    @staticmethod
    def _name_group(group: list[_Staged], folders: dict[Path, int]) -> OutputError | None:
        for staged in group:
            try:
                staged.new = _name(staged, folders)
            except OSError as exc:
                for named in group:
                    if named is staged:
                        break
                    if named.new:
                        with contextlib.suppress(OSError):
                            os.unlink(named.path)
                return _write_error(staged.path, exc)
        return None


def _name(staged: _Staged, folders: dict[Path, int]) -> bool:
    """Give a flushed file its name; True if there was no file of that name (it is new)."""
    if staged.temp_name is not None:
        new = not os.path.lexists(staged.path)
        os.replace(staged.temp_name, staged.path)
        staged.temp_name = None
        return new
    folder = staged.path.parent
    if folder not in folders:
        folders[folder] = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    temp_name = _link_unnamed(staged.fd, folders[folder], staged.path)
    if temp_name is None:
        return True
    try:
        os.replace(temp_name, staged.path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _close_and_remove(fd: int, temp_name: str | None) -> None:
    with contextlib.suppress(OSError):
        os.close(fd)
    if temp_name is not None:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)


def _write_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(f"{path}: cannot write the file ({_why(exc, path.parent)})")


@functools.cache
def _has_proc_fd() -> bool:
    return _PROC_FD.is_dir()


def _open_unnamed(folder: Path, path: Path) -> int | None:
    """A file with no name in ``folder`` (``O_TMPFILE``), or None where that is not possible."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not _has_proc_fd():
        return None
    try:
        return os.open(folder, flag | os.O_WRONLY | os.O_CLOEXEC, PRIVATE)
    except OSError as exc:
        # The file system does not support it: fall back to a named temporary file, whose
        # own errors (a missing folder, no permission) are then reported as they are.
        if exc.errno in (errno.EOPNOTSUPP, errno.EINVAL, errno.EISDIR, errno.ENOTSUP):
            return None
        raise OutputError(f"{path}: cannot create the file ({_why(exc, folder)})") from None


def _link_unnamed(fd: int, folder_fd: int, path: Path) -> str | None:
    """Name the complete unnamed file ``path`` if that is free (returns None), or else give
    it a temporary name beside ``path`` (returned) to be renamed over the old file."""
    # A folder descriptor makes os.link call linkat(AT_SYMLINK_FOLLOW), which links the
    # file behind /proc/self/fd/N; plain link() would try to link the /proc entry itself.
    source = _PROC_FD / str(fd)
    folder = path.parent
    # Random names only when needed: making all 100 up front cost 0.1 ms of every write.
    randoms = (f".{path.name}.{secrets.token_hex(4)}.tmp" for _ in range(100))
    for name in itertools.chain([path.name], randoms):
        try:
            os.link(source, name, dst_dir_fd=folder_fd, follow_symlinks=True)
        except FileExistsError:
            continue
        return None if name == path.name else str(folder / name)
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))  # pragma: no cover


@functools.cache
def _writeout() -> Callable[[int], None] | None:
    """``sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE)`` where the C library has it.

    It starts writing a file's pages to disk without waiting and without flushing the
    disk's cache, so it promises nothing: the fsync at commit still makes each file
    durable. Started early, the writing of many files overlaps, and on a journaling file
    system their new blocks join one journal commit instead of one each. Its own errors
    are ignored for the same reason: the fsync reports any error for the file.
    """
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (ImportError, OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int
    write = 2  # SYNC_FILE_RANGE_WRITE (linux/fs.h)

    def start(fd: int) -> None:
        function(fd, 0, 0, write)

    return start


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
