"""Hostile files: each gives one clear message within a second, in bounded memory.

Alias bombs, files over 1 MiB (one of them a sparse 4 GiB file), binary data, other
encodings, a folder or a device or a named pipe where a file is expected, links that
lead outside the bank folder or nowhere, and files of a million tiny values. Each is
given to the real command line as an answers file (``run``) or as part of a bank
(``check``). Time is the processor time of the call (with the wall-clock time, which
would show a wait), measured without tracing; memory with ``tracemalloc`` (what
Python allocates during the call) and, for the inputs that could be read without end,
with the peak resident size of a child process (``VmHWM``).
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from decision_aid.core.yamlio import MAX_INPUT_BYTES
from tests.helpers import TINY, TINY_ANSWERS
from tests.properties.runner import Outcome, assert_messages_name, assert_no_internal_error, cli

SECONDS = 1.0
"""Processor time for one hostile input (this process's own work, whatever else runs)."""
WAIT_SECONDS = 3.0
"""Wall-clock time: catches a wait (a pipe, a lock) that uses no processor time."""
PYTHON_MIB = 16
"""Python allocations during one hostile call (tracemalloc peak)."""
PROCESS_MIB = 200
"""Peak resident size of a whole child process that reads the endless inputs."""

VALID = "format: ivig-decision-aid/answers/1\nanswers:\n" + "".join(
    f"  {k}: {json.dumps(v)}\n" for k, v in TINY_ANSWERS.items()
)


def alias_bomb() -> str:
    """A billion laughs: nine levels of nine aliases each."""
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 10):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


@dataclass
class Hostile:
    """A hostile input: how to make it, and what must be said."""

    make: Callable[[Path], Path]
    """Builds the input under a folder; returns the answers file (or the bank folder)."""
    code: int
    says: str
    bank: bool = False
    """True: the input is a bank folder, checked with ``check``."""


def write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        return path

    return make


def sparse(folder: Path) -> Path:
    path = folder / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(4 * 1024**3)  # 4 GiB that take no disk: only 1 MiB may be read
    return path


def fifo(folder: Path) -> Path:
    path = folder / "pipe.yaml"
    os.mkfifo(path)
    return path


def unix_socket(folder: Path) -> Path:
    path = folder / "socket.yaml"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
    return path


def link(name: str, target: str | Callable[[Path], Path]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target(folder) if callable(target) else target)
        return path

    return make


def folder_as_file(folder: Path) -> Path:
    path = folder / "answers.yaml"
    path.mkdir()
    return path


def bank_with(change: Callable[[Path], None]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        bank = folder / "questions"
        shutil.copytree(TINY, bank)
        change(bank)
        return bank

    return make


def replace_file(name: str, how: Callable[[Path], None]) -> Callable[[Path], None]:
    def change(bank: Path) -> None:
        (bank / name).unlink()
        how(bank / name)

    return change


ANSWERS: dict[str, Hostile] = {
    "alias bomb": Hostile(
        write("bomb.yaml", alias_bomb() + VALID), 65, "aliases (*name) are not allowed"
    ),
    "just over 1 MiB": Hostile(
        write("big.yaml", VALID + "#" * MAX_INPUT_BYTES), 66, "larger than 1 MiB"
    ),
    "sparse 4 GiB file": Hostile(sparse, 66, "larger than 1 MiB"),
    "binary": Hostile(write("photo.yaml", os.urandom(64 * 1024)), 65, "binary data"),
    "UTF-16": Hostile(
        write("utf16.yaml", codecs.BOM_UTF16_LE + VALID.encode("utf-16-le")), 65, "UTF-16"
    ),
    "UTF-16 without a mark": Hostile(
        write("utf16.json", json.dumps({"answers": TINY_ANSWERS}).encode("utf-16-le")),
        65,
        "UTF-16",
    ),
    "Latin-1": Hostile(
        write("latin1.yaml", (VALID + "# café\n").encode("latin-1")), 65, "not UTF-8 on line"
    ),
    "folder": Hostile(folder_as_file, 66, "expected a file, found a folder"),
    "named pipe": Hostile(fifo, 66, "expected a file, found a named pipe"),
    "socket": Hostile(unix_socket, 66, "expected a file, found a socket"),
    "/dev/zero": Hostile(lambda _: Path("/dev/zero"), 66, "expected a file, found a device"),
    "link to /dev/urandom": Hostile(
        link("random.yaml", "/dev/urandom"), 66, "expected a file, found a device"
    ),
    "link to a pipe": Hostile(link("piped.yaml", fifo), 66, "expected a file, found a named pipe"),
    "link to nowhere": Hostile(link("gone.yaml", "/nonexistent/answers.yaml"), 66, "no such file"),
    "link to itself": Hostile(
        link("loop.yaml", "loop.yaml"), 66, "Too many levels of symbolic links"
    ),
    "a million values": Hostile(
        write("values.yaml", "answers: [" + "1," * 500_000 + "1]\n"), 65, "more than 10,000 values"
    ),
    "a million keys": Hostile(
        write("keys.yaml", "".join(f"k{i}: {i}\n" for i in range(60_000))),
        65,
        "more than 10,000 values",
    ),
    "nested a million deep (YAML)": Hostile(
        write("deep.yaml", "a: " + "[" * 500_000 + "]" * 500_000), 65, "nested more than 50 deep"
    ),
    "nested a million deep (JSON)": Hostile(
        write("deep.json", '{"a": ' + "[" * 500_000 + "]" * 500_000 + "}"),
        65,
        "nested too deeply",
    ),
    "a million numbers (JSON)": Hostile(
        write("numbers.json", '{"answers": [' + "1," * 500_000 + "1]}"), 65, "found a list"
    ),
    "one 1 MiB line": Hostile(
        write("line.yaml", "a: " + "x" * (MAX_INPUT_BYTES - 10) + "\n"), 65, "unknown key"
    ),
}

BANKS: dict[str, Hostile] = {
    "bank folder is a file": Hostile(
        write("questions", "not a folder\n"), 66, "expected a question bank folder", bank=True
    ),
    "bank file is a folder": Hostile(
        bank_with(replace_file("labels.yaml", lambda p: p.mkdir())),
        66,
        "labels.yaml: expected a file, found a folder",
        bank=True,
    ),
    "bank file links outside the folder": Hostile(
        bank_with(replace_file("sources.yaml", lambda p: p.symlink_to("/etc/passwd"))),
        66,
        "sources.yaml: expected a file inside the question bank folder, found a link to "
        "/etc/passwd",
        bank=True,
    ),
    "bank file links to a copy outside": Hostile(
        bank_with(replace_file("report.yaml", lambda p: p.symlink_to(TINY / "report.yaml"))),
        66,
        "outside it; copy the file into the folder instead",
        bank=True,
    ),
    "bank file links to /dev/zero": Hostile(
        bank_with(replace_file("bank.yaml", lambda p: p.symlink_to("/dev/zero"))),
        66,
        "bank.yaml: expected a file inside the question bank folder",
        bank=True,
    ),
    "bank file is a named pipe": Hostile(
        bank_with(replace_file("evidence.yaml", lambda p: os.mkfifo(p))),
        66,
        "evidence.yaml: expected a file, found a named pipe",
        bank=True,
    ),
    "bank alias bomb": Hostile(
        bank_with(
            lambda b: (b / "options.yaml").write_text(
                alias_bomb() + (TINY / "options.yaml").read_text(), encoding="utf-8"
            )
        ),
        65,
        "options.yaml:2: expected valid YAML, found an error: aliases (*name) are not allowed",
        bank=True,
    ),
    "bank file over 1 MiB": Hostile(
        bank_with(lambda b: (b / "sources.yaml").write_bytes(b"#" * (MAX_INPUT_BYTES + 1))),
        66,
        "sources.yaml: the file is larger than 1 MiB",
        bank=True,
    ),
    "bank file of a million values": Hostile(
        bank_with(lambda b: (b / "labels.yaml").write_text("x: [" + "1," * 500_000 + "1]\n")),
        65,
        "labels.yaml:1: expected valid YAML, found an error: more than 10,000 values",
        bank=True,
    ),
}


@pytest.fixture(scope="module", autouse=True)
def _warm(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One valid run first, so lazy imports are not counted as the hostile file's time."""
    folder = tmp_path_factory.mktemp("warm")
    answers = folder / "ok.yaml"
    answers.write_text(VALID, encoding="utf-8")
    assert (
        cli("run", str(answers), "--out", str(folder / "out"), "--questions", str(TINY)).code == 0
    )


@pytest.fixture
def watchdog(tmp_path: Path) -> Iterator[None]:
    """If reading a named pipe ever blocks again, open its other end: the test then fails on
    time instead of hanging the whole suite."""
    done = threading.Event()

    def unblock() -> None:
        if done.wait(5):
            return
        for pipe in tmp_path.rglob("*"):
            if pipe.is_fifo():
                fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)

    thread = threading.Thread(target=unblock, daemon=True)
    thread.start()
    yield
    done.set()
    thread.join()


def run_hostile(hostile: Hostile, tmp_path: Path) -> tuple[Outcome, str, float, float, float]:
    """(outcome, name messages must use, processor seconds, wall seconds, Python MiB at peak)."""
    target = hostile.make(tmp_path)
    out = tmp_path / "out"
    if hostile.bank:
        argv = ["check", "--questions", str(target)]
    else:
        argv = ["run", str(target), "--out", str(out), "--questions", str(TINY)]
    start, cpu = time.perf_counter(), time.process_time()
    outcome = cli(*argv)
    seconds, waited = time.process_time() - cpu, time.perf_counter() - start
    tracemalloc.start()
    try:
        again = cli(*argv)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert (again.code, again.err) == (outcome.code, outcome.err)
    assert not out.exists()
    return outcome, str(target), seconds, waited, peak


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("name", list(ANSWERS) + list(BANKS))
def test_hostile_file_gives_a_clear_message_quickly(name: str, tmp_path: Path) -> None:
    """One message naming the file, the contract's exit code, under 1 s and 16 MiB."""
    hostile = ANSWERS.get(name) or BANKS[name]
    outcome, shown, seconds, waited, peak = run_hostile(hostile, tmp_path)
    assert_no_internal_error(outcome)
    assert outcome.code == hostile.code, outcome.err
    assert hostile.says in outcome.err, outcome.err
    assert_messages_name(outcome, shown)
    assert seconds < SECONDS, f"{name}: {seconds:.2f} s of processor time"
    assert waited < WAIT_SECONDS, f"{name}: waited {waited:.2f} s"
    assert peak < PYTHON_MIB, f"{name}: {peak:.1f} MiB"


def test_link_inside_the_bank_folder_is_followed(tmp_path: Path) -> None:
    """The rule is about leaving the folder: a link to another file inside it is fine."""
    bank = tmp_path / "questions"
    shutil.copytree(TINY, bank)
    (bank / "labels.original.yaml").write_bytes((bank / "labels.yaml").read_bytes())
    (bank / "labels.yaml").unlink()
    (bank / "labels.yaml").symlink_to("labels.original.yaml")
    assert cli("check", "--questions", str(bank)).code == 0


CHILD = """
import json, os, sys, time
from decision_aid.cli import main
results = []
for path in sys.argv[3:]:
    start, cpu = time.perf_counter(), time.process_time()
    code = main(["run", path, "--out", sys.argv[1], "--questions", sys.argv[2]])
    results.append((code, time.process_time() - cpu, time.perf_counter() - start))
# The peak resident size of this process since it started, in KiB. VmHWM, not ru_maxrss:
# ru_maxrss keeps the parent's peak across fork and exec, and pytest's own can be large.
with open("/proc/self/status", encoding="ascii") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"results": results, "peak_kib": peak_kib}))
"""


def test_endless_inputs_stay_small_in_a_whole_process(tmp_path: Path) -> None:
    """/dev/zero, /dev/urandom, a sparse 4 GiB file, a pipe, an alias bomb and a million
    values, one after another in one process: its peak resident size stays bounded."""
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "values.yaml").write_text("a: [" + "1," * 500_000 + "1]\n", encoding="utf-8")
    inputs = [
        "/dev/zero",
        "/dev/urandom",
        str(sparse(tmp_path)),
        str(tmp_path / "pipe.yaml"),
        str(tmp_path / "bomb.yaml"),
        str(tmp_path / "values.yaml"),
    ]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(tmp_path / "out"), str(TINY), *inputs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=Path(__file__).parents[2],
    )
    try:
        out, err = child.communicate(timeout=60)
    finally:
        child.kill()
    assert child.returncode == 0, err
    report = json.loads(out)
    results = report["results"]
    assert [code for code, _, _ in results] == [66, 66, 66, 66, 65, 65], err
    assert all(cpu < SECONDS and wall < WAIT_SECONDS for _, cpu, wall in results), results
    assert report["peak_kib"] / 1024 < PROCESS_MIB, f"{report['peak_kib'] / 1024:.0f} MiB"


# --- the resumable consultation, as --resume reads it ------------------------------------------


def resume_fifo(path: Path) -> None:
    os.mkfifo(path)


RESUME_FILES: dict[str, Callable[[Path], None]] = {
    "named pipe": resume_fifo,
    "link to a named pipe": lambda p: (os.mkfifo(p.with_name("pipe")), p.symlink_to("pipe"))[-1],
    "link to /dev/zero": lambda p: p.symlink_to("/dev/zero"),
    "link to /dev/urandom": lambda p: p.symlink_to("/dev/urandom"),
    "folder": lambda p: p.mkdir(),
    "link to itself": lambda p: p.symlink_to(p.name),
    "sparse 4 GiB": lambda p: sparse(p.parent).rename(p),
    "binary": lambda p: p.write_bytes(os.urandom(4096)),
    "deep JSON": lambda p: p.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
    "alias bomb": lambda p: p.write_text(alias_bomb(), encoding="utf-8"),
}


@pytest.mark.usefixtures("watchdog")
@pytest.mark.parametrize("kind", list(RESUME_FILES))
def test_hostile_resumable_file_starts_afresh_quickly(kind: str, tmp_path: Path) -> None:
    """--resume with anything at the resumable file's place: a fresh consultation and one
    notice, under a second; never a hang, a crash or a read without end."""
    from decision_aid.core.loading import load_bank
    from decision_aid.tui.app import make_app

    bank = load_bank(TINY, "tiny")
    path = tmp_path / "consultation.json"
    RESUME_FILES[kind](path)
    start, cpu = time.perf_counter(), time.process_time()
    tracemalloc.start()
    try:
        app = make_app(bank, resume=True, resume_file=path)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert time.process_time() - cpu < SECONDS and time.perf_counter() - start < WAIT_SECONDS
    assert peak < PYTHON_MIB, f"{peak:.1f} MiB"
    assert dict(app.consultation.answers) == {}
    assert len(app._notices) == 1, app._notices
