"""The resumable consultation: every answer kept on disk as it is given, so nothing is lost.

The file lives in the user's data folder (``$XDG_DATA_HOME/ivig-decision-aid``, or
``~/.local/share/ivig-decision-aid``), is written atomically with mode 0600, and is
removed when the consultation is saved as a report. Its format is private to this
program (not the contract's answers file), JSON so that no YAML quirk can change a
value::

    {"format": "ivig-decision-aid/resume/1",
     "position": "kidney.egfr",
     "answers": {"nephritis.status": "none"}}

``position`` is where the consultation stopped: a question id (its section is shown
again), or one of :data:`STEPS`. Reading is forgiving by design: a file written by an
older bank, or damaged, gives back whatever is still valid, with one notice per thing
dropped, and never raises.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from decision_aid.core.answers import FORMAT_1_RENAMED, check_value
from decision_aid.core.bank import QuestionBank
from decision_aid.core.branching import prune
from decision_aid.core.conditions import AnswerValue
from decision_aid.core.fileio import write_private
from decision_aid.errors import OutputError

RESUME_FORMAT = "ivig-decision-aid/resume/1"
APP_FOLDER = "ivig-decision-aid"
FILE_NAME = "consultation.json"
STEPS: tuple[str, ...] = ("welcome", "review", "glance", "evidence", "summary")
"""Positions that are not a question."""
MAX_BYTES = 1024 * 1024
"""A resumable file is a few hundred bytes; anything this large is not ours."""


@dataclass(frozen=True)
class ResumeState:
    """Where a consultation stopped and the answers given so far (bank order)."""

    position: str = "welcome"
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)


def data_folder(environ: Mapping[str, str] | None = None) -> Path:
    """The program's folder under the user's data folder (XDG Base Directory rules).

    ``XDG_DATA_HOME`` counts only when it is set to an absolute path, as the
    specification says; otherwise ``$HOME/.local/share``.
    """
    env = os.environ if environ is None else environ
    base = env.get("XDG_DATA_HOME", "")
    if base and os.path.isabs(base):
        return Path(base) / APP_FOLDER
    home = env.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share" / APP_FOLDER


def resume_path(environ: Mapping[str, str] | None = None) -> Path:
    """The resumable consultation's file."""
    return data_folder(environ) / FILE_NAME


def dump_resume(state: ResumeState, bank: QuestionBank) -> str:
    """The file's text: answers in bank order, so the same state gives the same bytes."""
    ordered = {qid: state.answers[qid] for qid in bank.question_ids if qid in state.answers}
    document = {"format": RESUME_FORMAT, "position": state.position, "answers": ordered}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def save_resume(path: Path, state: ResumeState, bank: QuestionBank) -> None:
    """Write the resumable file atomically, mode 0600, in a folder only the owner can open.

    Raises:
        OutputError: the folder or the file cannot be written.
    """
    folder = path.parent
    try:
        # 0700: the folder holds health information too (the file name shows there is one).
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create the folder ({exc.strerror or exc})") from None
    if not folder.is_dir():
        raise OutputError(f"{folder}: expected a folder, found a file")
    write_private(path, dump_resume(state, bank))


def clear_resume(path: Path) -> None:
    """Remove the resumable file (after the consultation was saved); no error if absent."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def parse_resume(text: str, bank: QuestionBank) -> tuple[ResumeState, list[str]]:
    """Read a resumable file's text, keeping what is valid for ``bank``.

    Returns:
        The state, and one plain sentence for each thing that was dropped.
    """
    try:
        data: Any = json.loads(text)
    except (ValueError, RecursionError):
        return ResumeState(), ["The saved consultation could not be read, so it starts afresh."]
    if not isinstance(data, dict) or data.get("format") != RESUME_FORMAT:
        return ResumeState(), [
            "The saved consultation is in a format this version does not know, so it starts afresh."
        ]
    notices: list[str] = []
    raw = data.get("answers")
    if not isinstance(raw, dict):
        notices.append("The saved answers could not be read, so they start afresh.")
        raw = {}
    known = set(bank.question_ids)
    values: dict[str, AnswerValue] = {}
    for key, value in raw.items():
        qid = str(key)
        if qid in FORMAT_1_RENAMED and FORMAT_1_RENAMED[qid] not in raw:
            # Saved before answers format 2: the same question under its new id.
            qid = FORMAT_1_RENAMED[qid]
        if qid not in known:
            notices.append(f"An answer to a question this bank does not have ({qid}) was dropped.")
            continue
        question = bank.question(qid)
        normal, reason = check_value(question, value)
        if reason is not None or normal is None:
            notices.append(f'The answer to "{question.short}" was not valid ({reason}); dropped.')
            continue
        values[qid] = normal
    kept, dropped = prune(bank, values)
    for qid in dropped:
        notices.append(
            f'The answer to "{bank.question(qid).short}" was dropped: '
            "the other answers mean it is not asked."
        )
    position = data.get("position")
    if not isinstance(position, str) or (position not in STEPS and position not in known):
        notices.append("Where the consultation stopped was not clear; it starts at the beginning.")
        position = "welcome"
    return ResumeState(position=position, answers=kept), notices


def load_resume(path: Path, bank: QuestionBank) -> tuple[ResumeState | None, list[str]]:
    """Read the resumable file at ``path``.

    Returns:
        ``(None, [])`` when there is none; otherwise the state and the notices of
        :func:`parse_resume` (an unreadable file is a notice, never an exception).
    """
    try:
        # O_NONBLOCK: a named pipe put in its place must not make the start wait forever.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return ResumeState(), ["The saved consultation is not a file; it was ignored."]
            with os.fdopen(fd, "rb", closefd=False) as handle:
                data = handle.read(MAX_BYTES + 1)
        finally:
            os.close(fd)
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        reason = exc.strerror.lower() if exc.strerror else str(exc)
        return ResumeState(), [f"The saved consultation could not be opened ({reason})."]
    if len(data) > MAX_BYTES:
        return ResumeState(), ["The saved consultation is too large to be ours; it was ignored."]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ResumeState(), ["The saved consultation could not be read, so it starts afresh."]
    return parse_resume(text, bank)
