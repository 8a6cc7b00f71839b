"""Privacy: files only their owner can read whatever the umask, no network, no escape from the
chosen folder.

The rule for where files go (what ``--out`` and saved names may do):

- ``run`` writes each report in the chosen folder (``--out DIR``, by default
  ``./reports``) under the answers file's own base name with ``.md``: a name never has a
  folder in it, so ``..`` in an input's path cannot move its report out of the folder.
- ``--out FILE`` (one input) is exactly the file the person named.
- A symbolic link already at a report's name is replaced by the report, never written
  through: what it points to is left as it was.
- The consultation saves ``NAME.md`` and ``NAME.answers.yaml`` in its reports folder;
  NAME is one plain file name (letters, digits, ``-``, ``_``, ``.``; not starting with a
  dot), and a name already taken there, even by a link, is refused.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from decision_aid.core.bank import QuestionBank
from decision_aid.core.resume import resume_path
from decision_aid.tui.screens.save import SavedScreen, name_problem
from tests.helpers import TINY, TINY_ANSWERS
from tests.properties.runner import cli
from tests.tui.helpers import NAME_PART, TINY_KEYS, build_app, press

ROOT = Path(__file__).parents[2]
DATE = "2026-11-25"
SIZE = (80, 24)
VALID = "format: ivig-decision-aid/answers/1\nanswers:\n" + "".join(
    f"  {k}: {json.dumps(v)}\n" for k, v in TINY_ANSWERS.items()
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 000: without the program's own care, every file would be 0666."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


# --- private files ---------------------------------------------------------------------------


@pytest.mark.usefixtures("open_umask")
def test_command_line_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    """Reports (Markdown, HTML), FHIR answers and exports are 0600; new folders 0700."""
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    out = tmp_path / "new" / "reports"
    assert cli("run", str(answers), "--out", str(out), "--fhir", "--questions", str(TINY)).code == 0
    html = tmp_path / "html"
    assert (
        cli(
            "run", str(answers), "--out", str(html), "--format", "html", "--questions", str(TINY)
        ).code
        == 0
    )
    export = tmp_path / "export" / "questionnaire.json"
    assert cli("export", "questionnaire", "--out", str(export), "--questions", str(TINY)).code == 0
    written = [*out.iterdir(), *html.iterdir(), export]
    assert len(written) == 4
    for path in written:
        assert mode(path) == 0o600, path
    for folder in (out, html, export.parent):
        assert mode(folder) == 0o700, folder


# --- no network ------------------------------------------------------------------------------


class NoNetwork:
    """Makes every network socket, name lookup and connection fail, and counts the attempts.

    Local socket pairs (AF_UNIX) stay: asyncio's event loop wakes itself with one."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self
        real_socket = socket.socket

        class GuardedSocket(real_socket):  # type: ignore[misc, valid-type]
            def __init__(self, family: Any = -1, *args: Any, **kwargs: Any) -> None:
                if family not in (socket.AF_UNIX, -1) or (family == -1 and not args):
                    guard.attempts.append(f"socket({family})")
                    raise OSError("network use is forbidden in this test")
                super().__init__(family, *args, **kwargs)

        def refuse(name: str) -> Any:
            def fail(*args: Any, **kwargs: Any) -> Any:
                guard.attempts.append(f"{name}{args[:1]}")
                raise OSError("network use is forbidden in this test")

            return fail

        monkeypatch.setattr(socket, "socket", GuardedSocket)
        for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
            monkeypatch.setattr(socket, name, refuse(name))


CHILD = """
import json, socket, sys
attempts = []
real_socket = socket.socket
class GuardedSocket(real_socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family != socket.AF_UNIX:
            attempts.append(f"socket({family})")
            raise OSError("network use is forbidden")
        super().__init__(family, *args, **kwargs)
def refuse(name):
    def fail(*args, **kwargs):
        attempts.append(name)
        raise OSError("network use is forbidden")
    return fail
socket.socket = GuardedSocket
for name in ("create_connection", "getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    setattr(socket, name, refuse(name))
from decision_aid.cli import main  # imported after the guard: import-time use is caught too
codes = [main(json.loads(argv)) for argv in sys.argv[1:]]
print(json.dumps({"codes": codes, "attempts": attempts}))
"""


@pytest.mark.parametrize("bank", ["tiny", "shipped"])
def test_command_line_never_uses_the_network(bank: str, tmp_path: Path) -> None:
    """check (with its plain-language grade), template, run (Markdown, HTML, FHIR, JSON) and
    export all complete in a process where every network call fails."""
    questions = ["--questions", str(TINY)] if bank == "tiny" else []
    answers = tmp_path / "mine.yaml"
    if bank == "tiny":
        answers.write_text(VALID, encoding="utf-8")
    else:
        answers.write_bytes(
            (ROOT / "tests/data/answers/contract-example.answers.yaml").read_bytes()
        )
    commands = [
        ["check", *questions],
        ["template", *questions],
        ["run", str(answers), "--out", str(tmp_path / "md"), "--json", "--fhir", *questions],
        ["run", str(answers), "--out", str(tmp_path / "html"), "--format", "html", *questions],
        ["export", "questionnaire", "--out", str(tmp_path / "q.json"), *questions],
    ]
    child = subprocess.run(
        [sys.executable, "-c", CHILD, *(json.dumps(c) for c in commands)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["attempts"] == []
    assert result["codes"] == [0, 0, 0, 0, 0], child.stderr


@pytest.mark.usefixtures("open_umask")
async def test_consultation_is_private_and_offline(
    tiny_bank: QuestionBank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole consultation under umask 000 with every network call failing: the resumable
    copy while answering, then the report and its answers, are 0600 in 0700 folders, the
    copy is removed once saved, and nothing tried the network."""
    guard = NoNetwork()
    guard.install(monkeypatch)
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS[:5])
        kept = resume_path()
        assert kept.exists() and mode(kept) == 0o600 and mode(kept.parent) == 0o700
        await press(pilot, *TINY_KEYS[5:], "s", "enter")
        assert isinstance(app.screen, SavedScreen)
    reports = tmp_path / "reports"
    names = sorted(p.name for p in reports.iterdir())
    assert names == [f"2026-11-25-{NAME_PART}.answers.yaml", f"2026-11-25-{NAME_PART}.md"]
    for name in names:
        assert mode(reports / name) == 0o600
    assert mode(reports) == 0o700
    assert not kept.exists(), "the resumable copy is removed once the report is saved"
    assert guard.attempts == []


# --- no escape from the chosen folder --------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["..yaml", "...json", ".answers.yaml", "a..b.yaml", "..answers.yaml", "-x.yaml", "%2e%2e.yaml"],
)
def test_report_names_stay_in_the_chosen_folder(name: str, tmp_path: Path) -> None:
    """Whatever an input is called, its report is a plain file in the --out folder."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / name).write_text(
        VALID
        if name.endswith("yaml")
        else json.dumps({"format": "ivig-decision-aid/answers/1", "answers": TINY_ANSWERS}),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    outcome = cli("run", str(inputs / name), "--out", str(out), "--json", "--questions", str(TINY))
    assert outcome.code == 0, outcome.err
    report = Path(json.loads(outcome.out)["report"]["path"])
    assert report.parent == out and report.is_file() and not report.is_symlink()
    assert [p for p in tmp_path.rglob("*.md")] == [report]


def test_dot_dot_in_the_input_path_does_not_move_the_report(tmp_path: Path) -> None:
    """in/sub/../mine.yaml writes out/mine.md: only the input's base name is used."""
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "mine.yaml").write_text(VALID, encoding="utf-8")
    out = tmp_path / "deep" / "out"
    source = tmp_path / "in" / "sub" / ".." / "mine.yaml"
    assert cli("run", str(source), "--out", str(out), "--questions", str(TINY)).code == 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.md")) == [
        Path("deep/out/mine.md")
    ]


@pytest.mark.parametrize("dangling", [False, True], ids=["to a file", "to nowhere"])
def test_a_link_at_the_report_name_is_replaced_not_followed(dangling: bool, tmp_path: Path) -> None:
    """A link planted at out/mine.md (to a file outside, or to nowhere) is replaced by the
    report; the file it pointed to is untouched (or never created)."""
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "victim.txt"
    if not dangling:
        victim.write_text("not yours\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").symlink_to(victim)
    assert cli("run", str(answers), "--out", str(out), "--questions", str(TINY)).code == 0
    report = out / "mine.md"
    assert not report.is_symlink() and mode(report) == 0o600
    assert report.read_text(encoding="utf-8").startswith("# ")
    if dangling:
        assert not victim.exists()
    else:
        assert victim.read_text(encoding="utf-8") == "not yours\n"
    assert sorted(p.name for p in out.iterdir()) == ["mine.md"]


@pytest.mark.parametrize(
    "name", ["../escape", "a/b", "/etc/passwd", ".hidden", "..", ".", "a\\b", "", "x" * 81, "a b"]
)
def test_save_names_that_could_leave_the_folder_are_refused(name: str) -> None:
    """The consultation's save name is one plain file name: no folder, no dot first."""
    assert name_problem(name)


async def test_saving_never_writes_through_a_planted_link(
    tiny_bank: QuestionBank, tmp_path: Path
) -> None:
    """A live link at the proposed name makes that name taken (another is proposed, and the
    file it leads to is never written); dangling links at the next name are replaced by
    the report and its answers, and nothing is created where they pointed."""
    reports = tmp_path / "reports"
    reports.mkdir()
    victim = tmp_path / "victim.md"
    victim.write_text("not yours\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    first, second = f"2026-11-25-{NAME_PART}", f"2026-11-25-{NAME_PART}-2"
    (reports / f"{first}.md").symlink_to(victim)
    (reports / f"{second}.md").symlink_to(outside / "report.md")
    (reports / f"{second}.answers.yaml").symlink_to(outside / "answers.yaml")
    app = build_app(tiny_bank, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, *TINY_KEYS, "s", "enter")
        assert isinstance(app.screen, SavedScreen)
    assert victim.read_text(encoding="utf-8") == "not yours\n"
    assert list(outside.iterdir()) == []
    saved = sorted(p.name for p in reports.iterdir() if not p.is_symlink())
    assert saved == [f"{second}.answers.yaml", f"{second}.md"]
    for name in saved:
        assert mode(reports / name) == 0o600


def test_the_network_guard_catches_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard used above does stop a real attempt (so an empty list means something)."""
    import urllib.request

    guard = NoNetwork()
    guard.install(monkeypatch)
    with pytest.raises(OSError):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)  # noqa: S310 - never sent
    assert guard.attempts


@pytest.mark.parametrize("how", ["same path", "dot-dot path", "input is a link to it"])
def test_a_report_never_replaces_its_answers_file(how: str, tmp_path: Path) -> None:
    """`run mine.yaml --out mine.yaml` (however spelt) is refused before anything is written;
    the answers file is left as it was."""
    (tmp_path / "sub").mkdir()
    answers = tmp_path / "mine.yaml"
    answers.write_text(VALID, encoding="utf-8")
    source, out = answers, answers
    if how == "dot-dot path":
        out = tmp_path / "sub" / ".." / "mine.yaml"
    elif how == "input is a link to it":
        source = tmp_path / "link.yaml"
        source.symlink_to(answers)
    outcome = cli("run", str(source), "--out", str(out), "--questions", str(TINY))
    assert outcome.code == 2, outcome.err
    assert f"{out} is the answers file {source}: the report would replace it" in outcome.err
    assert answers.read_text(encoding="utf-8") == VALID
