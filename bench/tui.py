"""The consultation, measured headless: run as a child process by ``bench/run.py``.

``python -m bench.tui launch [ivig-decision-aid options]`` (figure 3)
    Runs the command line's own path (``decision_aid.cli.main``: bank, app, ``app.run()``)
    under Textual's headless driver (``TEXTUAL_DRIVER``, set by the caller), and ends once
    the welcome screen has mounted and been drawn. The only hook is added here, in this
    process: the welcome screen's ``on_mount`` also asks the app to exit after its next
    refresh. The product is unchanged.

``python -m bench.tui keys COUNT [--questions DIR]`` (figure 4)
    Drives consultations of the bank with Textual's pilot, as a person would with the
    keyboard, and times each key press that should bring the next question: Enter on a
    choice or a number, Tab after ticking boxes, Enter on Next, ``n`` on the review. The
    time runs from the press until the next question has the cursor and the screen has
    been updated. Prints JSON: ``question``, the milliseconds of each press that brought a
    question; ``other``, each press that brought the review or the summary instead.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def launch(argv: list[str]) -> int:
    from decision_aid.cli import main
    from decision_aid.tui.screens import welcome

    shown = welcome.WelcomeScreen.on_mount

    def on_mount(self: Any) -> None:
        shown(self)
        self.app.call_after_refresh(self.app.exit)

    welcome.WelcomeScreen.on_mount = on_mount  # type: ignore[method-assign]
    return main(argv)


def _where(app: Any) -> tuple[int, str | None, str | None]:
    """The screen (by identity), the section it shows (one screen shows every section in
    turn), and the question whose answer has the cursor."""
    from decision_aid.tui.widgets.question_block import QuestionBlock

    node = app.focused
    while node is not None and not isinstance(node, QuestionBlock):
        node = node.parent
    section = getattr(getattr(app.screen, "section", None), "id", None)
    return id(app.screen), section, node.question.id if node is not None else None


DEBUG = False
CPU: list[float] = []
"""The process time of each timed press (for information: other work on the machine
lengthens the wall time, not this)."""

KEY_CHARACTERS = {"enter": "\r", "tab": "\t", "n": "n"}


def _between_topics(app: Any) -> bool:
    """Whether the screen is the section screen between two of its topics.

    The app keeps one section screen under the review: closing the review shows it again
    for a moment with the topic it had, until the app shows the next topic in it (in
    the same turn, before anything is drawn). Taken for the next question, that moment
    started the wait for the refresh before the next topic was in the screen.
    """
    return not getattr(app.screen, "visiting", True)


async def _timed_press(app: Any, key: str) -> float:
    """Milliseconds from a key press to the next question having the cursor, drawn.

    The key goes to the driver as the pilot sends it, but without the pilot's waits
    (they sleep in 20 ms steps until the process looks idle): the loop only yields to
    the app until the cursor has moved on, then waits for the screen's next refresh.
    """
    from textual import events

    before = _where(app)
    event = events.Key(key, KEY_CHARACTERS[key])
    event.set_sender(app)
    start, cpu = time.perf_counter(), time.process_time()
    app._driver.send_message(event)
    while _where(app) == before or _between_topics(app):
        await asyncio.sleep(0)
        if time.perf_counter() - start > 30:
            raise RuntimeError(f"{key!r} did not move on from {before[2] or 'Next'}")
    drawn = asyncio.Event()
    # The screen's own refresh: the app's queue can still be busy with the screen just
    # closed (the review's widgets being removed, 20 ms) after the new one is drawn.
    app.screen.call_after_refresh(drawn.set)
    await drawn.wait()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - start) * 1000


async def _consultation(
    bank: Any, folder: Path, wanted: int, times: list[float], others: list[tuple[str, float]]
) -> None:
    """One consultation, start to summary (or until ``wanted`` presses are timed)."""
    from decision_aid.tui.app import make_app
    from decision_aid.tui.screens.review import ReviewScreen
    from decision_aid.tui.screens.section import SectionScreen
    from decision_aid.tui.widgets.choice_field import ChoiceField
    from decision_aid.tui.widgets.number_field import NumberField
    from decision_aid.tui.widgets.question_block import QuestionBlock

    app = make_app(bank, reports_dir=folder / "reports", resume_file=folder / "resume.yaml")
    async with app.run_test() as pilot:
        await pilot.press("n")  # welcome: start
        await pilot.pause()
        for _ in range(400):
            if len(times) >= wanted:
                return
            screen = app.screen
            focused = app.focused
            if isinstance(screen, ReviewScreen):
                key = "n"
            elif not isinstance(screen, SectionScreen):
                return  # the summary: this consultation is done
            else:
                block = focused
                while block is not None and not isinstance(block, QuestionBlock):
                    block = block.parent
                if block is None:
                    key = "enter"  # on Next
                elif isinstance(block.field, NumberField):
                    question = block.question
                    await pilot.press(*str(int(question.minimum + 1)))  # typed, not timed
                    key = "enter"
                elif isinstance(block.field, ChoiceField) and block.field.multiple:
                    await pilot.press("enter")  # tick the first box, not timed
                    key = "tab"
                else:
                    key = "enter"
            label = f"{key} on {_where(app)[2] or type(screen).__name__}"
            elapsed = await _timed_press(app, key)
            if isinstance(app.screen, SectionScreen):  # a question, or Next after the last
                times.append(elapsed)
            else:  # to the review or the summary: not a question, shown for information
                others.append((f"{label} to {type(app.screen).__name__}", elapsed))
            if DEBUG:
                print(f"{elapsed:8.1f} ms  {label}", file=sys.stderr)
            await pilot.pause()  # let anything left settle before the next press


def keys(argv: list[str]) -> int:
    from decision_aid.core.loading import load_bank

    wanted = int(argv[0])
    folder_arg = argv[argv.index("--questions") + 1] if "--questions" in argv else None
    bank = load_bank(Path(folder_arg) if folder_arg else None, folder_arg)
    times: list[float] = []
    others: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(50):
            if len(times) >= wanted:
                break
            count = len(times)
            asyncio.run(_consultation(bank, Path(folder), wanted, times, others))
            if len(times) == count:
                raise RuntimeError("a consultation timed no key press")
    print(json.dumps({"question": times, "other": others, "cpu": CPU}))
    return 0


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    sys.exit(launch(rest) if command == "launch" else keys(rest))
