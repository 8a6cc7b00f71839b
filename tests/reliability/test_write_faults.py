"""Faults while writing a report: the old report stays whole, nothing partial is left, and the
message says what happened and where.

- Simulated: each step of a write (creating the folder, creating the file, writing,
  flushing to disk, naming, renaming) fails with each of ENOSPC, EDQUOT, EACCES, EROFS,
  EIO and EPERM, with and without an old report in place. The same for a batch (``run``
  over several inputs writes their reports together, core/fileio.py): the step failing
  for every report or for one of them, and for a report's FHIR response. Each case runs
  with an unnamed file (Linux ``O_TMPFILE``) and with the named temporary file used
  where the system has none.
- Real: a full disk (a 64 KiB tmpfs, where it can be mounted), the kernel's file-size
  limit (RLIMIT_FSIZE) cutting a write short, a folder that cannot be written (chmod, or
  the immutable attribute for root, whom permissions do not stop), and the output folder
  removed in the middle of a run.
- Killed: a child process running ``run`` is killed with SIGKILL at each step of the
  write, of one report or of the second report of a batch (the child's own functions are
  wrapped by the test; nothing in the product listens for a test hook).
"""

from __future__ import annotations

import errno
import itertools
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

from decision_aid.core import fileio
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
MODES = ["unnamed file", "named temporary"]
"""How a file waits for its name: with no name (O_TMPFILE), or under a hidden temporary
name (where the system has no unnamed files: there is no naming step, and every file,
new or not, is renamed into place)."""


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


def use_mode(monkeypatch: pytest.MonkeyPatch, mode: str) -> None:
    if mode == "named temporary":
        monkeypatch.setattr(fileio, "_open_unnamed", lambda folder, path: None)


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


Only = Callable[[int, str], bool]
"""Which calls of a step fail: given the call's number (from 1, counting the calls for
files in the output folder) and the file name the call gives (naming, renaming; else "")."""


def inject(
    monkeypatch: Any,
    step: str,
    out: Path,
    fault: Callable[[], None],
    only: Only | None = None,
) -> list[int]:
    """Make ``step`` of writing into ``out`` call ``fault`` (at every call, or at the calls
    ``only`` picks); returns a list of hits. A failing write writes half its bytes first,
    as a disk filling up would."""
    hits: list[int] = []
    calls = itertools.count(1)

    def picked(name: str = "") -> bool:
        return only is None or only(next(calls), name)

    def hit(name: str = "") -> None:
        if picked(name):
            hits.append(1)
            fault()

    real_open, real_write, real_mkdir = os.open, os.write, os.mkdir
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

        def write(fd: int, data: Any) -> int:
            if fd_in(fd, out) and picked():
                hits.append(1)
                real_write(fd, bytes(memoryview(data)[: len(data) // 2]))
                fault()
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", write)
    elif step == "flush to disk":

        def fsync(fd: int) -> None:
            if fd_in(fd, out):
                hit()
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", fsync)
    elif step == "name":

        def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            hit(os.path.basename(os.fsdecode(dst)))
            real_link(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "link", link)
    else:

        def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            if writes_to(dst, out):
                hit(os.path.basename(os.fsdecode(dst)))
            real_replace(src, dst, *args, **kwargs)

        monkeypatch.setattr(os, "replace", replace)
    return hits


def raise_errno(code: int) -> Callable[[], None]:
    def fault() -> None:
        raise OSError(code, os.strerror(code))

    return fault


# --- simulated faults ----------------------------------------------------------------------


STEP_CASES = [
    pytest.param(step, old, mode, id=f"{step}, {'old report' if old else 'no report'}, {mode}")
    for step in STEPS
    for old in (True, False)
    for mode in MODES
    if not (step == "create folder" and old)  # an existing folder is not created again
    if not (step == "name" and mode == "named temporary")  # renamed, never linked
]


@pytest.mark.parametrize("code", list(REASONS), ids=[errno.errorcode[c] for c in REASONS])
@pytest.mark.parametrize(("step", "old", "mode"), STEP_CASES)
def test_fault_at_each_step(
    step: str,
    old: bool,
    mode: str,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    new_report: bytes,
) -> None:
    """A step that fails: 73, the reason and the file named, the old report whole."""
    answers, out = setup(tmp_path, old)
    use_mode(monkeypatch, mode)
    hits = inject(monkeypatch, step, out, raise_errno(code))
    outcome = run(answers, out)
    monkeypatch.undo()
    if step == "rename" and not old and mode == "unnamed file":
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


# --- simulated faults in a batch -------------------------------------------------------------

NAMES = ["one", "two", "three"]
OLD_REPORTS = {"one", "two"}
"""Of the batch, ``one`` and ``two`` replace old reports; ``three`` is new."""

BATCH_STEPS = ["create file", "write", "flush to disk", "name", "rename"]


def batch_setup(tmp_path: Path) -> tuple[list[Path], Path]:
    """Three answers files and an output folder holding the old reports of two of them."""
    inputs = []
    for name in NAMES:
        path = tmp_path / f"{name}.yaml"
        path.write_text(VALID, encoding="utf-8")
        inputs.append(path)
    out = tmp_path / "out"
    out.mkdir()
    for name in OLD_REPORTS:
        (out / f"{name}.md").write_bytes(OLD)
    return inputs, out


def the_second(step: str) -> Only:
    """The calls of ``step`` that concern the second report: it is the second file created,
    written and flushed; naming and renaming give its name."""
    if step in ("name", "rename"):
        return lambda number, name: name == "two.md" or name.startswith(".two.md.")
    return lambda number, name: number == 2


def reaches(step: str, mode: str, name: str) -> bool:
    """Whether writing the report ``name`` of the batch goes through ``step``."""
    if step == "rename" and mode == "unnamed file":
        return name in OLD_REPORTS  # a new report takes its name in one step
    return True


BATCH_CASES = [
    pytest.param(step, mode, which, id=f"{step}, {mode}, {which}")
    for step in BATCH_STEPS
    for mode in MODES
    for which in ("every report", "the second report")
    if not (step == "name" and mode == "named temporary")
]


@pytest.mark.parametrize("code", list(REASONS), ids=[errno.errorcode[c] for c in REASONS])
@pytest.mark.parametrize(("step", "mode", "which"), BATCH_CASES)
def test_fault_at_each_step_of_a_batch(
    step: str,
    mode: str,
    which: str,
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    new_report: bytes,
) -> None:
    """Three reports written together, a step failing for each or for the second: each
    report that fails is named with the reason, in input order, its old report whole;
    every other report is written whole; one JSON line per input, in order; nothing else
    is left in the folder; the exit code is 73 if any report failed."""
    inputs, out = batch_setup(tmp_path)
    use_mode(monkeypatch, mode)
    only = None if which == "every report" else the_second(step)
    hits = inject(monkeypatch, step, out, raise_errno(code), only)
    outcome = cli("run", *map(str, inputs), "--out", str(out), "--date", DATE, "--json", *bank())
    monkeypatch.undo()
    assert_no_internal_error(outcome)
    failing = [
        name
        for name in NAMES
        if reaches(step, mode, name) and (which == "every report" or name == "two")
    ]
    assert hits, f"the {step} step was never reached"
    assert outcome.code == (73 if failing else 0), outcome.err
    verb = "create" if step == "create file" else "write"
    assert outcome.err.splitlines() == [
        f"ivig-decision-aid: {out / name}.md: cannot {verb} the file ({REASONS[code]})"
        for name in failing
    ]
    lines = [json.loads(line) for line in outcome.out.splitlines()]
    assert len(lines) == len(NAMES)
    for name, line in zip(NAMES, lines, strict=True):
        if name in failing:
            assert line["input"] == str(tmp_path / f"{name}.yaml")
            assert line["error"]["exit_code"] == 73
        else:
            assert line["report"]["path"] == str(out / f"{name}.md")
    for name in NAMES:
        report = out / f"{name}.md"
        if name not in failing:
            assert report.read_bytes() == new_report
            assert stat.S_IMODE(report.stat().st_mode) == 0o600
        elif name in OLD_REPORTS:
            assert report.read_bytes() == OLD
        else:
            assert not report.exists()
    left = sorted(p.name for p in out.iterdir())
    expected = sorted(f"{n}.md" for n in NAMES if n in OLD_REPORTS or n not in failing)
    assert left == expected, f"left behind: {left}"


@pytest.mark.parametrize(
    ("step", "mode"),
    [
        ("write", "unnamed file"),
        ("write", "named temporary"),
        ("flush to disk", "unnamed file"),
        ("flush to disk", "named temporary"),
        ("name", "unnamed file"),  # a new unnamed file is named, never renamed
        ("rename", "named temporary"),  # a named temporary file is renamed, never named
    ],
)
def test_a_failed_response_leaves_no_new_report_without_it(
    step: str, mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run --fhir`` over three inputs, the second's FHIR response failing: that input
    fails naming the response, and neither of its two new files is left; the first and
    third are written whole, with their responses."""
    inputs, out = batch_setup(tmp_path)
    for name in OLD_REPORTS:
        (out / f"{name}.md").unlink()
    use_mode(monkeypatch, mode)
    response = "two.fhir.json"
    # Files are created, written and flushed in order: a report, then its response.
    nth = 4
    hits = inject(
        monkeypatch,
        step,
        out,
        raise_errno(errno.ENOSPC),
        lambda number, name: name == response if name else number == nth,
    )
    outcome = cli("run", *map(str, inputs), "--out", str(out), "--date", DATE, "--fhir", *bank())
    monkeypatch.undo()
    assert hits and outcome.code == 73, outcome.err
    assert outcome.err == (
        f"ivig-decision-aid: {out / response}: cannot write the file (no space left on device)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "one.fhir.json",
        "one.md",
        "three.fhir.json",
        "three.md",
    ]


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


CHILD_FEW_FILES = """
import resource, sys
from decision_aid.cli import main
resource.setrlimit(resource.RLIMIT_NOFILE, (40, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
sys.exit(main(sys.argv[1:]))
"""


def test_real_descriptor_limit_bounds_the_batch(tmp_path: Path, new_report: bytes) -> None:
    """A process that may open only 40 files (``ulimit -n 40``) writes 60 reports with their
    FHIR responses: a batch holds no more files than the limit leaves room for."""
    inputs = []
    for index in range(60):
        inputs.append(tmp_path / f"in-{index:02d}.yaml")
        inputs[-1].write_text(VALID, encoding="utf-8")
    out = tmp_path / "out"
    child = subprocess.run(
        [sys.executable, "-c", CHILD_FEW_FILES, "run", *map(str, inputs), "--out", str(out)]
        + ["--date", DATE, "--fhir", *bank()],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    assert len(list(out.glob("*.md"))) == len(list(out.glob("*.fhir.json"))) == 60
    assert all(path.read_bytes() == new_report for path in out.glob("*.md"))


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


@pytest.mark.parametrize("batch", [1, 2])
def test_real_folder_removed_while_writing(
    batch: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_report: bytes
) -> None:
    """The output folder is deleted while the first batch of reports is flushed to disk:
    each report of that batch fails, saying the folder was removed; the next batch is
    written whole in a new folder (batches of one report, then of two)."""
    monkeypatch.setattr(fileio, "BATCH_FILES", batch)
    answers, out = setup(tmp_path, old=True)
    inputs = [answers]
    for name in ["second", "third"]:
        inputs.append(tmp_path / f"{name}.yaml")
        inputs[-1].write_text(VALID, encoding="utf-8")
    removed: list[int] = []

    def remove_folder() -> None:
        if not removed:
            removed.append(1)
            shutil.rmtree(out)

    inject(monkeypatch, "flush to disk", out, remove_folder)
    outcome = cli("run", *map(str, inputs), "--out", str(out), "--date", DATE, "--json", *bank())
    monkeypatch.undo()
    assert_no_internal_error(outcome)
    assert outcome.code == 73, outcome.err
    failed = ["mine", "second"][:batch]
    assert outcome.err.splitlines() == [
        f"ivig-decision-aid: {out / name}.md: cannot write the file (the folder {out} does not "
        "exist; was it removed?)"
        for name in failed
    ]
    written = [name for name in ["mine", "second", "third"] if name not in failed]
    assert sorted(p.name for p in out.iterdir()) == [f"{name}.md" for name in written]
    assert all((out / f"{name}.md").read_bytes() == new_report for name in written)


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
from tests.reliability.test_write_faults import inject, the_second
from decision_aid.core import fileio
from decision_aid.cli import main

class Patch:
    def setattr(self, target, name, value):
        setattr(target, name, value)

step, out, mode, which = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
if mode == "named temporary":
    fileio._open_unnamed = lambda folder, path: None
only = the_second(step) if which == "the second report" else None
inject(Patch(), step, out, lambda: os.kill(os.getpid(), signal.SIGKILL), only)
main(sys.argv[5:])
"""


def run_killed(step: str, out: Path, mode: str, which: str, *argv: str) -> bool:
    """Run ``run ARGV`` in a child killed at ``step``; whether the kill was reached."""
    child = subprocess.run(
        [sys.executable, "-c", CHILD_KILLED.format(root=str(ROOT)), step, str(out), mode, which]
        + ["run", *argv, "--out", str(out), "--date", DATE, *bank()],
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert child.returncode in (0, -signal.SIGKILL), child.stderr
    return child.returncode == -signal.SIGKILL


def assert_whole_or_hidden(
    out: Path, reports: dict[str, bool], new_report: bytes, hidden_allowed: bool
) -> None:
    """Each report (name: whether an old one existed) is the old or the whole new one, 0600,
    and never lost; any other file is a hidden temporary copy, allowed only when
    ``hidden_allowed``, of mode 0600."""
    for name, old in reports.items():
        report = out / f"{name}.md"
        if report.exists():
            assert report.read_bytes() in (OLD, new_report), f"{name}: a partial report"
            assert report.read_bytes() == OLD or stat.S_IMODE(report.stat().st_mode) == 0o600
        else:
            assert not old, f"{name}: the old report was lost"
    for path in sorted(out.iterdir()) if out.exists() else []:
        if path.name in {f"{name}.md" for name in reports}:
            continue
        assert hidden_allowed, f"left behind: {path.name}"
        assert path.name.startswith(".") and path.name.endswith(".tmp"), path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


KILL_CASES = [
    pytest.param(step, old, mode, id=f"{step}, {'old report' if old else 'no report'}, {mode}")
    for step in STEPS
    for old in (True, False)
    for mode in MODES
    if not (step == "create folder" and old)
    if not (step == "name" and mode == "named temporary")
]


@pytest.mark.parametrize(("step", "old", "mode"), KILL_CASES)
def test_killed_at_each_step(
    step: str, old: bool, mode: str, tmp_path: Path, new_report: bytes
) -> None:
    """SIGKILL at a step of the write: the report is the old one or the whole new one, and
    no partial report exists. With an unnamed file, only a kill in the instant between
    naming a replacement and renaming it leaves a hidden complete copy (mode 0600) beside
    the report; with a named temporary file, a kill after it was created leaves it."""
    answers, out = setup(tmp_path, old)
    reached = run_killed(step, out, mode, "every report", str(answers))
    assert reached or (step == "rename" and not old and mode == "unnamed file")
    hidden = (step == "rename" and old) or (
        mode == "named temporary" and step in ("write", "flush to disk", "rename")
    )
    assert_whole_or_hidden(out, {"mine": old}, new_report, hidden)
    if mode == "unnamed file":
        for path in out.iterdir() if out.exists() else []:
            if path.name != "mine.md":  # the hidden copy is whole: it was flushed first
                assert path.read_bytes() == new_report


KILL_BATCH_CASES = [
    pytest.param(step, mode, id=f"{step}, {mode}")
    for step in BATCH_STEPS
    for mode in MODES
    if not (step == "name" and mode == "named temporary")
]


@pytest.mark.parametrize(("step", "mode"), KILL_BATCH_CASES)
def test_killed_at_each_step_of_a_batch(
    step: str, mode: str, tmp_path: Path, new_report: bytes
) -> None:
    """SIGKILL at a step of the second of three reports written together: every report is
    its old one, or none if new, or the whole new one; none is partial and no old one is
    lost. With unnamed files a hidden complete copy is left only by a kill between naming
    a replacement and renaming it; with named temporary files (committed one at a time),
    only the file being written is left."""
    inputs, out = batch_setup(tmp_path)
    assert run_killed(step, out, mode, "the second report", *map(str, inputs))
    reports = {name: name in OLD_REPORTS for name in NAMES}
    hidden = step == "rename" or (mode == "named temporary" and step != "create file")
    assert_whole_or_hidden(out, reports, new_report, hidden)
    others = [p for p in out.iterdir() if p.name not in {f"{n}.md" for n in NAMES}]
    assert len(others) <= 1, others
    if mode == "unnamed file":
        assert all(p.read_bytes() == new_report for p in others)
    # The kill came during the second report's step: the third was never named.
    assert not (out / "three.md").exists()


@pytest.mark.parametrize("mode", MODES)
def test_every_report_is_on_disk_before_any_is_named(
    mode: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order of the calls for a batch of three (one new report, two replacing old
    ones): each file is created, written and flushed to disk before any name is given, so
    a power cut can never leave a name on content that is not yet on disk. Where the
    system has no unnamed files, each report is flushed and renamed before the next is
    written, so that a kill leaves at most one temporary file."""
    inputs, out = batch_setup(tmp_path)
    use_mode(monkeypatch, mode)
    calls: list[str] = []
    real_fsync, real_link, real_replace = os.fsync, os.link, os.replace

    def fsync(fd: int) -> None:
        if fd_in(fd, out):
            calls.append("flush")
        real_fsync(fd)

    def link(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        calls.append("name")
        real_link(src, dst, *args, **kwargs)

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if writes_to(dst, out):  # not the private cache of the bank and template
            calls.append("rename")
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "replace", replace)
    outcome = cli("run", *map(str, inputs), "--out", str(out), "--date", DATE, *bank())
    monkeypatch.undo()
    assert outcome.code == 0, outcome.err
    if mode == "unnamed file":
        # one.md and two.md are taken (linked elsewhere, then renamed); three.md is free.
        flushes = ["flush"] * 3
        assert calls == flushes + ["name", "name", "rename"] * 2 + ["name"]
    else:
        assert calls == ["flush", "rename"] * 3
