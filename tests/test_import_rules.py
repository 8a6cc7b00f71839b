"""The headless path never loads Textual: it is what testers and integrators run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid.core.cache import ENVIRONMENT as CACHE_SWITCH

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "several-unknowns.yaml"


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


def _run_loads_pydantic(tmp_path: Path, cache: str) -> bool:
    """Whether `run` on an example answers file imported pydantic (or its core)."""
    probe = (
        "import sys\nfrom decision_aid.cli import main\n"
        f"code = main(['run', {str(EXAMPLE)!r}, '--out', {str(tmp_path / 'out.md')!r}])\n"
        "print(code, 'pydantic' in sys.modules, 'pydantic_core' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), CACHE_SWITCH: cache}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=False
    )
    code, pydantic, pydantic_core = result.stdout.split()
    assert code == "0", result.stderr
    return pydantic == "True" or pydantic_core == "True"


def test_run_with_the_bank_cached_does_not_import_pydantic(tmp_path: Path) -> None:
    """pydantic checks a bank read afresh; a bank from the cache is used as it was stored."""
    assert _run_loads_pydantic(tmp_path, cache="on")  # first run: read, checked, stored
    assert not _run_loads_pydantic(tmp_path, cache="on")  # from the cache
    assert _run_loads_pydantic(tmp_path, cache="off")  # no cache: checked every time
