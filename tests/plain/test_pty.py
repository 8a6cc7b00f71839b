"""The plain consultation in a pseudo-terminal, answered question by question as a person would."""

from __future__ import annotations

import datetime as dt
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from decision_aid.cli import main
from decision_aid.core.loading import load_bank
from decision_aid.plain.lines import WIDTH
from tests.plain.helpers import answer_lines

ROOT = Path(__file__).resolve().parents[2]
DATE = dt.date(2026, 11, 25)
PROMPTS = ("b back.", "Enter to skip.", "or b to go back.")
"""How every line that waits for an answer ends."""


class Session:
    """A program on the other side of a pseudo-terminal: what it printed, and typing."""

    def __init__(self, command: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env, close_fds=True
        )
        os.close(slave)
        self.output = b""

    def _read(self, seconds: float) -> None:
        ready, _, _ = select.select([self.master], [], [], seconds)
        if ready:
            try:
                self.output += os.read(self.master, 65536)
            except OSError:  # the program ended and closed its side
                time.sleep(seconds)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", errors="replace").replace("\r\n", "\n")

    def prompts(self) -> int:
        flat = " ".join(self.text.split())
        return sum(flat.count(p) for p in PROMPTS)

    def wait_for_prompt(self, count: int, timeout: float = 60) -> None:
        """Read until ``count`` prompts have been printed."""
        end = time.monotonic() + timeout
        while self.prompts() < count:
            assert time.monotonic() < end, f"no prompt {count}; last output:\n{self.text[-800:]}"
            self._read(0.1)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\n")

    def finish(self, timeout: float = 60) -> int:
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self._read(0.1)
        self._read(0.2)
        os.close(self.master)
        code = self.process.wait(timeout=5)
        return code


@pytest.mark.slow
def test_question_by_question_in_a_pseudo_terminal(tmp_path: Path) -> None:
    """Each answer typed only once its question is shown; `?` once, `b` once (then the
    earlier answer kept with Enter), and the save: the report is `run`'s, byte for byte,
    and the terminal never received an escape code, even with a colour TERM."""
    bank = load_bank(None, None)
    example = ROOT / "examples" / "pregnant-antiphospholipid-three-losses.yaml"
    lines = answer_lines(bank, example)
    # Why the second question is asked, then back to the first, keep it, and go on.
    typed = [lines[0], "?", "b", "", *lines[1:]]
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    session = Session(
        [sys.executable, "-m", "decision_aid", "--plain", "--date", DATE.isoformat()],
        cwd=tmp_path,
        env=env,
    )
    try:
        for number, line in enumerate(typed, start=1):
            session.wait_for_prompt(number)
            session.type(line)
        code = session.finish()
    finally:
        if session.process.poll() is None:
            session.process.kill()
    text = session.text
    assert code == 0, text[-2000:]
    assert b"\x1b" not in session.output
    assert "Why we ask:" in text and "[@" not in text
    assert "Your answer now:" in text  # the first question again, after b
    assert "Saved." in text
    # Every line the program printed fits a braille line (typed echoes are ours).
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    (report,) = (tmp_path / "reports").glob("*.md")
    target = tmp_path / "run.md"
    assert main(["run", str(example), "--out", str(target)]) == 0
    assert report.read_bytes() == target.read_bytes()
