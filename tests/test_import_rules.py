"""The headless path never loads Textual: it is what testers and integrators run."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "code",
    [
        "import decision_aid.core.loading, decision_aid.core.summary, decision_aid.core.answers",
        "import decision_aid.cli",
        "from decision_aid.cli import main; main(['template'])",
        "from decision_aid.cli import main; main(['check'])",
    ],
)
def test_headless_code_does_not_import_textual(code: str) -> None:
    """Importing (and running) the headless commands leaves textual out of sys.modules."""
    probe = f"{code}\nimport sys\nprint('textual' in sys.modules, 'rich' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip().splitlines()[-1] == "False False", result.stderr


def test_core_does_not_import_jinja2() -> None:
    """The core builds the summary without the template engine (only `report` uses it)."""
    probe = (
        "import decision_aid.core.summary, decision_aid.core.loading\n"
        "import sys; print('jinja2' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
