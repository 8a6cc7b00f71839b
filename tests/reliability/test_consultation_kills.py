"""A consultation killed with SIGKILL at random points keeps every answer given before the kill.

The consultation runs in a real terminal (its own tmux server, 80x24) on the tiny bank.
Keys are sent one at a time; after each, the test waits until the screen (colours and
highlights included) shows its effect, so the app has taken the answer. Then the app's
process is killed with SIGKILL, and what ``--resume`` loads must hold exactly the answers
the same keys give in an uninterrupted consultation (read through Textual's pilot).

Points are drawn at random for each run (the seed is in every failure message), and
three runs are fixed: a kill with no wait at all after a key (the answer is then either
kept whole or not yet given, never half), a kill followed by ``--resume`` in the
terminal and the rest of the consultation to a saved report, and a kill in the middle of
saving. The test never skips: CI installs tmux, and without it the test fails.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from decision_aid.core.bank import QuestionBank
from decision_aid.core.resume import APP_FOLDER, FILE_NAME, load_resume
from decision_aid.tui.app import make_app
from tests.helpers import TINY, TINY_ANSWERS, tmux
from tests.tui.helpers import TINY_KEYS, build_app, press

ROOT = Path(__file__).parents[2]
KEYS = {"enter": "Enter", "down": "Down", "up": "Up", "tab": "Tab"}
RANDOM_KILLS = 4


class Terminal:
    """A private tmux server running one consultation at 80x24; always killed at the end."""

    def __init__(self, folder: Path) -> None:
        tmux = shutil.which("tmux")
        assert tmux, "tmux is needed for this test (CI installs it)"
        self.folder = folder
        self.tmux = [
            tmux,
            "-S",
            str(folder / f"tmux-{uuid.uuid4().hex[:6]}.sock"),
            "-f",
            os.devnull,
        ]
        self.session = "consultation"
        self.environment = {
            k: v for k, v in os.environ.items() if not k.startswith(("TMUX", "TEXTUAL", "NO_COLOR"))
        }
        self.environment.update(
            HOME=str(folder / "home"),
            XDG_DATA_HOME=str(folder / "data"),
            TERM="xterm-256color",
            LANG="C.UTF-8",
            LC_ALL="C.UTF-8",
        )

    @property
    def resume_file(self) -> Path:
        return self.folder / "data" / APP_FOLDER / FILE_NAME

    @property
    def reports(self) -> Path:
        return self.folder / "reports"

    def tmux_run(self, *arguments: str) -> str:
        return tmux(self.tmux, self.environment, *arguments)

    def start(self, *options: str) -> int:
        """Start the consultation; returns its process id once its first screen is up."""
        command = (
            f"exec {sys.executable} -m decision_aid --questions {TINY} "
            f"--reports-dir {self.reports} {' '.join(options)}"
        )
        self.tmux_run("new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", command)
        self.wait_for("^q Quit")
        return int(self.tmux_run("display-message", "-p", "-t", self.session, "#{pane_pid}"))

    def screen(self, styles: bool = True) -> str:
        return self.tmux_run("capture-pane", "-p", *(["-e"] if styles else []), "-t", self.session)

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen(styles=False)
            if text in shown:
                return shown
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{shown}")

    def press(self, key: str, wait: bool = True) -> None:
        """Send one key; with ``wait``, return once the screen shows its effect and is still."""
        before = self.screen()
        self.tmux_run("send-keys", "-t", self.session, KEYS.get(key, key))
        if not wait:
            return
        deadline = time.monotonic() + 5
        now = before
        while now == before and time.monotonic() < deadline:
            time.sleep(0.03)
            now = self.screen()
        while time.monotonic() < deadline:  # still for two looks in a row
            time.sleep(0.06)
            again = self.screen()
            if again == now:
                return
            now = again

    def kill(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, timeout=30, check=False)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    shell = Terminal(tmp_path)
    try:
        yield shell
    finally:
        shell.kill()


def kill_hard(pid: int) -> None:
    """SIGKILL, then wait until the process is gone."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.02)
    raise AssertionError(f"process {pid} survived SIGKILL")


@pytest.fixture(scope="module")
def given_after() -> list[dict[str, Any]]:
    """The answers held after each prefix of TINY_KEYS, from an uninterrupted consultation."""
    import asyncio
    import tempfile

    from decision_aid.core.loading import load_bank

    async def walk() -> list[dict[str, Any]]:
        bank = load_bank(TINY, "tiny")
        with tempfile.TemporaryDirectory() as name:
            app = build_app(bank, Path(name), resume_file=Path(name) / "consultation.json")
            seen = []
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                seen.append(dict(app.consultation.answers))
                for key in TINY_KEYS:
                    await press(pilot, key)
                    seen.append(dict(app.consultation.answers))
        return seen

    return asyncio.run(walk())


def resumed_answers(tiny_bank: QuestionBank, terminal: Terminal) -> dict[str, Any]:
    """What ``--resume`` starts with: the app the command line builds, before it runs."""
    app = make_app(tiny_bank, resume=True, resume_file=terminal.resume_file)
    return dict(app.consultation.answers)


def test_the_keys_give_the_whole_consultation(given_after: list[dict[str, Any]]) -> None:
    """The oracle: every key prefix's answers, ending with the tiny bank's complete answers."""
    assert given_after[0] == {} and given_after[-1] == TINY_ANSWERS


def kill_points() -> tuple[int, list[int]]:
    seed = int(os.environ.get("KILL_SEED", time.time_ns() % 2**32))
    return seed, sorted(random.Random(seed).sample(range(1, len(TINY_KEYS) + 1), RANDOM_KILLS))


SEED, POINTS = kill_points()


@pytest.mark.parametrize("keys", POINTS, ids=lambda k: f"after {k} keys")
def test_killed_at_a_random_point_resumes_with_every_answer(
    keys: int,
    terminal: Terminal,
    tiny_bank: QuestionBank,
    given_after: list[dict[str, Any]],
) -> None:
    """SIGKILL after a key the app has shown: --resume has every answer given so far."""
    pid = terminal.start()
    for key in TINY_KEYS[:keys]:
        terminal.press(key)
    kill_hard(pid)
    assert resumed_answers(tiny_bank, terminal) == given_after[keys], f"KILL_SEED={SEED}"
    if given_after[keys]:
        data = json.loads(terminal.resume_file.read_text(encoding="utf-8"))
        assert data["answers"] == given_after[keys], f"KILL_SEED={SEED}"


def test_killed_with_no_wait_keeps_an_answer_whole_or_not_at_all(
    terminal: Terminal, tiny_bank: QuestionBank, given_after: list[dict[str, Any]]
) -> None:
    """A kill right after a key, before the app may have taken it: the answers kept are
    those before the key or those after it, and the file is whole JSON either way."""
    keys = 8  # the eGFR's Enter: takes a typed number and moves to the next question
    pid = terminal.start()
    for key in TINY_KEYS[: keys - 1]:
        terminal.press(key)
    terminal.press(TINY_KEYS[keys - 1], wait=False)
    kill_hard(pid)
    assert resumed_answers(tiny_bank, terminal) in (given_after[keys - 1], given_after[keys])
    json.loads(terminal.resume_file.read_text(encoding="utf-8"))


def test_killed_then_resumed_in_the_terminal_to_a_saved_report(
    terminal: Terminal, tiny_bank: QuestionBank
) -> None:
    """Kill half way, run --resume in the terminal, finish and save: the saved answers are
    the whole consultation's, and the resumable copy is gone."""
    pid = terminal.start()
    for key in TINY_KEYS[:10]:
        terminal.press(key)
    kill_hard(pid)
    terminal.start("--resume")
    shown = terminal.wait_for("How many miscarriages")  # back where it stopped, answers shown
    assert "(•) Class V" in shown and "[45 " in shown and "[3 " in shown, shown
    for key in [*TINY_KEYS[10:], "s", "enter"]:
        terminal.press(key)
    terminal.wait_for("✓ Saved")
    answers = next(terminal.reports.glob("*.answers.yaml"))
    assert yaml.safe_load(answers.read_text(encoding="utf-8"))["answers"] == TINY_ANSWERS
    assert not terminal.resume_file.exists()


def test_killed_while_saving_leaves_whole_files(
    terminal: Terminal, tiny_bank: QuestionBank
) -> None:
    """A kill right after the save is confirmed: each file is whole or absent, and the
    answers are either in the saved answers file or still in the resumable copy."""
    pid = terminal.start()
    for key in [*TINY_KEYS, "s"]:
        terminal.press(key)
    terminal.wait_for("Save the report")
    terminal.press("enter", wait=False)
    time.sleep(random.Random(SEED).uniform(0, 0.05))
    kill_hard(pid)
    saved = sorted(terminal.reports.iterdir()) if terminal.reports.exists() else []
    for path in saved:
        assert not path.name.startswith("."), f"left behind: {path.name}"
        text = path.read_text(encoding="utf-8")
        if path.name.endswith(".answers.yaml"):
            assert yaml.safe_load(text)["answers"] == TINY_ANSWERS
        else:
            assert text.startswith("# ") and text.rstrip().endswith(".")
    kept = load_resume(terminal.resume_file, tiny_bank)[0]
    in_file = any(p.name.endswith(".answers.yaml") for p in saved)
    assert in_file or (kept is not None and dict(kept.answers) == TINY_ANSWERS)
