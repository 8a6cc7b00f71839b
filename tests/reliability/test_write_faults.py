"""Faults while writing a report: the old report stays whole, nothing partial is left, and the
message says what happened and where.

- Simulated: each step of a write (creating the folder, creating the file, writing,
  flushing to disk, naming, renaming) fails with each of ENOSPC, EDQUOT, EACCES, EROFS,
  EIO and EPERM, with and without an old report in place.
- Real: a full disk (a 64 KiB tmpfs, where it can be mounted), the kernel's file-size
  limit (RLIMIT_FSIZE) cutting a write short, a folder that cannot be written (chmod, or
  the immutable attribute for root, whom permissions do not stop), and the output folder
  removed in the middle of a run.
- Killed: a child process running ``run`` is killed with SIGKILL at each step of the
  write (the child's own functions are wrapped by the test; nothing in the product
  listens for a test hook).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import TINY, TINY_ANSWERS
from tests.properties.runner import Outcome, assert_no_internal_error, cli

ROOT = Path(__file__).parents[2]
DATE = "2026-11-25"
OLD = b"the old report, whole\n"
VALID = "format: ivig-decision-aid/answers/1\nanswers:\n" + "".join(
    f"  {k}: {json.dumps(v)}\n" for k, v in TINY_ANSWERS.items()
)

REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EROFS: "read-only file system",
    errno.EIO: "input/output error",
    errno.EPERM: "operation not permitted",
}
STEPS = ["create folder", "create file", "write", "flush to disk", "name", "rename"]


@pytest.fixture(scope="module")
def new_report(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The report a successful run writes for VALID on DATE."""
    folder = tmp_path_factory.mktemp("expected")
    answers = folder / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    outcome = cli("run", str(answers), "--out", str(folder / "out"), "--date", DATE, *bank())
    assert outcome.code == 0, outcome.err
    return (folder / "out" / "mine.md").read_bytes()


def bank() -> list[str]:
    return ["--questions", str(TINY)]


def setup(tmp_path: Path, old: bool) -> tuple[Path, Path]:
    """An answers file and an output folder (with an old report when ``old``)."""
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    out = tmp_path / "out"
    if old:
        out.mkdir()
        (out / "mine.md").write_bytes(OLD)
    return answers, out


def run(answers: Path, out: Path) -> Outcome:
    return cli("run", str(answers), "--out", str(out), "--date", DATE, "--json", *bank())


def assert_failed_cleanly(outcome: Outcome, out: Path, old: bool, reason: str) -> None:
    """Exit 73, one message naming the report and the reason, the old report as it was."""
    assert_no_internal_error(outcome)
    assert outcome.code == 73, outcome.err
    target = out / "mine.md"
    assert outcome.err.startswith(f"ivig-decision-aid: {target}: cannot "), outcome.err
    assert reason in outcome.err, outcome.err
    assert json.loads(outcome.out)["error"]["exit_code"] == 73
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left == (["mine.md"] if old else []), f"left behind: {left}"
    if old:
        assert target.read_bytes() == OLD


def writes_to(path: Any, out: Path) -> bool:
    text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else ""
    return text.startswith(str(out))


def fd_in(fd: int, out: Path) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}").startswith(str(out))
    except OSError:
        return False


class HalfWriter:
    """A file object that writes half of what it is given, then fails (a disk filling up)."""

    def __init__(self, handle: Any, fault: Callable[[], None]) -> None:
        self._handle = handle
        self._fault = fault

    def write(self, data: bytes) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        self._fault()
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()


def inject(
    monkeypatch: pytest.MonkeyPatch, step: str, out: Path, fault: Callable[[], None]
) -> list[int]:
    """Make ``step`` of writing into ``out`` call ``fault``; returns a list of hits."""
    hits: list[int] = []

    def hit() -> None:
        hits.append(1)
        fault()

    real_open, real_fdopen, real_mkdir = os.open, os.fdopen, os.mkdir
    real_fsync, real_link, real_replace = os.fsync, os.link, os.replace
    if step == "create folder":

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if writes_to(path, out):
                hit()
            real_mkdir(path, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
    elif step == "create file":

        def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if writes_to(path, out) and flags & (os.O_WRONLY | os.O_RDWR):
                hit()
            return real_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", open_)
    elif step == "write":

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            handle = real_fdopen(fd, *args, **kwargs)
            return HalfWriter(handle, hit) if fd_in(fd, out) else handle

        monkeypatch.setattr(os, "fdopen", fdopen)
    elif step == "flush to disk":

        def fsync(fd: int) -> None:
            if fd_in(fd, out):
                hit()
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    elif step == "name":

        def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            hit()
            real_link(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "link", link)
    else:

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if writes_to(dst, out):
                hit()
            real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "replace", replace)
    return hits


def raise_errno(code: int) -> Callable[[], None]:
    def fault() -> None:
        raise OSError(code, os.strerror(code))

    return fault


# --- simulated faults ----------------------------------------------------------------------


STEP_CASES = [
    pytest.param(step, old, id=f"{step}, {'old report' if old else 'no report'}")
    for step in STEPS
    for old in (True, False)
    if not (step == "create folder" and old)  # an existing folder is not created again
]


@pytest.mark.parametrize("code", list(REASONS), ids=[errno.errorcode[c] for c in REASONS])
@pytest.mark.parametrize(("step", "old"), STEP_CASES)
def test_fault_at_each_step(
    step: str,
    old: bool,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    new_report: bytes,
) -> None:
    """A step that fails: 73, the reason and the file named, the old report whole."""
    answers, out = setup(tmp_path, old)
    hits = inject(monkeypatch, step, out, raise_errno(code))
    outcome = run(answers, out)
    monkeypatch.undo()
    if step == "rename" and not old:
        # A new report takes its name in one step: there is no rename to fail.
        assert not hits and outcome.code == 0
        assert (out / "mine.md").read_bytes() == new_report
        return
    assert hits, f"the {step} step was never reached"
    if step == "create folder":
        assert_no_internal_error(outcome)
        assert outcome.code == 73 and f"{out}: cannot create the folder" in outcome.err
        assert REASONS[code] in outcome.err and not out.exists()
        return
    assert_failed_cleanly(outcome, out, old, REASONS[code])


# --- real faults -----------------------------------------------------------------------------


@contextmanager
def small_disk(folder: Path) -> Iterator[bool]:
    """A 64 KiB tmpfs at ``folder`` (True), or False where mounting is not allowed."""
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(folder)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def test_real_disk_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk with no room left: 73 and "no space left on device"; the old report whole.

    The disk is a real 64 KiB tmpfs filled to the last byte where the test may mount one
    (root); elsewhere the write fails half way with ENOSPC as in the simulated cases."""
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    out = tmp_path / "disk"
    with small_disk(out) as mounted:
        (out / "mine.md").write_bytes(OLD)
        if mounted:
            filler = os.open(out / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                while True:  # until the disk is full
                    os.write(filler, b"x" * 4096)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
            finally:
                os.close(filler)
        else:
            inject(monkeypatch, "write", out, raise_errno(errno.ENOSPC))
            (out / "filler").write_bytes(b"")
        outcome = run(answers, out)
        monkeypatch.undo()
        assert_no_internal_error(outcome)
        assert outcome.code == 73 and "no space left on device" in outcome.err, outcome.err
        assert f"{out / 'mine.md'}: cannot" in outcome.err
        assert sorted(p.name for p in out.iterdir()) == ["filler", "mine.md"]
        assert (out / "mine.md").read_bytes() == OLD


CHILD_FSIZE = """
import resource, signal, sys
from decision_aid.cli import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))
sys.exit(main(sys.argv[1:]))
"""


def test_real_file_size_limit_cuts_the_write_short(tmp_path: Path, new_report: bytes) -> None:
    """The kernel stops the write at 1 KiB (RLIMIT_FSIZE): 73, "file too large", old whole."""
    assert len(new_report) > 1024
    answers, out = setup(tmp_path, old=True)
    child = subprocess.run(
        [sys.executable, "-c", CHILD_FSIZE, "run", str(answers), "--out", str(out)]
        + ["--date", DATE, *bank()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
    )
    assert child.returncode == 73, child.stderr
    assert f"{out / 'mine.md'}: cannot write the file (file too large)" in child.stderr
    assert sorted(p.name for p in out.iterdir()) == ["mine.md"]
    assert (out / "mine.md").read_bytes() == OLD


@contextmanager
def unwritable(folder: Path) -> Iterator[str]:
    """Make ``folder`` refuse new files for real; yields the reason the system will give."""
    if os.geteuid() != 0:
        folder.chmod(0o500)
        try:
            yield "permission denied"
        finally:
            folder.chmod(0o700)
        return
    # Root passes every permission check; the immutable attribute stops root too.
    subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
    try:
        yield "operation not permitted"
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_real_folder_that_cannot_be_written(tmp_path: Path) -> None:
    """A folder the program may not write in: 73 and the system's reason; old report whole."""
    answers, out = setup(tmp_path, old=True)
    with unwritable(out) as reason:
        outcome = run(answers, out)
        assert_failed_cleanly(outcome, out, True, reason)


def test_real_folder_that_cannot_be_created(tmp_path: Path) -> None:
    """A report folder whose parent may not be written: 73 naming the folder."""
    answers, _ = setup(tmp_path, old=False)
    parent = tmp_path / "locked"
    parent.mkdir()
    with unwritable(parent) as reason:
        outcome = cli("run", str(answers), "--out", str(parent / "reports"), *bank())
    assert_no_internal_error(outcome)
    assert outcome.code == 73, outcome.err
    assert f"{parent / 'reports'}: cannot create the folder ({reason})" in outcome.err


def test_real_folder_removed_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_report: bytes
) -> None:
    """The output folder is deleted while the first of two reports is being written: that
    one fails, saying the folder was removed; the second is written whole in a new folder."""
    answers, out = setup(tmp_path, old=True)
    second = tmp_path / "second.yaml"
    second.write_text(VALID, encoding="utf-8")
    removed: list[int] = []

    def remove_folder() -> None:
        if not removed:
            removed.append(1)
            shutil.rmtree(out)

    inject(monkeypatch, "flush to disk", out, remove_folder)
    outcome = cli(
        "run", str(answers), str(second), "--out", str(out), "--date", DATE, "--json", *bank()
    )
    monkeypatch.undo()
    assert_no_internal_error(outcome)
    assert outcome.code == 73, outcome.err
    assert (
        f"{out / 'mine.md'}: cannot write the file (the folder {out} does not exist; "
        "was it removed?)" in outcome.err
    )
    assert sorted(p.name for p in out.iterdir()) == ["second.md"]
    assert (out / "second.md").read_bytes() == new_report


def test_real_folder_removed_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is deleted after it was made and before the file is created: 73, said so."""
    answers, out = setup(tmp_path, old=True)
    inject(monkeypatch, "create file", out, lambda: shutil.rmtree(out, ignore_errors=True))
    outcome = run(answers, out)
    monkeypatch.undo()
    assert_no_internal_error(outcome)
    assert outcome.code == 73
    assert f"(the folder {out} does not exist; was it removed?)" in outcome.err, outcome.err
    assert not out.exists()


# --- killed -----------------------------------------------------------------------------------

CHILD_KILLED = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from tests.reliability.test_write_faults import inject
from decision_aid.cli import main

class Patch:
    def setattr(self, target, name, value):
        setattr(target, name, value)

step, out = sys.argv[1], Path(sys.argv[2])
inject(Patch(), step, out, lambda: os.kill(os.getpid(), signal.SIGKILL))
main(sys.argv[3:])
"""


@pytest.mark.parametrize(("step", "old"), STEP_CASES)
def test_killed_at_each_step(step: str, old: bool, tmp_path: Path, new_report: bytes) -> None:
    """SIGKILL at a step of the write: the report is the old one or the whole new one, and
    no partial file exists. Only a kill in the instant between naming a replacement and
    renaming it leaves a hidden complete copy (mode 0600) beside the report."""
    answers, out = setup(tmp_path, old)
    child = subprocess.run(
        [sys.executable, "-c", CHILD_KILLED.format(root=str(ROOT)), step, str(out)]
        + ["run", str(answers), "--out", str(out), "--date", DATE, *bank()],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    reached = child.returncode == -signal.SIGKILL
    assert reached or (step == "rename" and not old), child.stderr
    files = sorted(out.iterdir()) if out.exists() else []
    report = out / "mine.md"
    if report.exists():
        assert report.read_bytes() in (OLD, new_report), "a partial report"
        assert report.read_bytes() == OLD or stat.S_IMODE(report.stat().st_mode) == 0o600
    else:
        assert not old, "the old report was lost"
    for path in files:
        if path == report:
            continue
        assert step == "rename" and old, f"left behind: {path.name}"
        assert path.name.startswith(".mine.md.") and path.name.endswith(".tmp")
        assert path.read_bytes() == new_report and stat.S_IMODE(path.stat().st_mode) == 0o600
