"""The printable page of every example report passes axe-core at WCAG 2.1 AA in real Chromium.

axe-core comes from npm, pinned in ``tests/report/axe/package.json`` and its lock file,
and is installed there by ``.ci/install-system-deps``. Debian's ``chromium`` loads a copy of
the page with axe added (the page itself forbids scripts), runs it, and writes the result
into the page, which ``--dump-dom`` prints once the run is over.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from decision_aid.core.loading import load_bank
from decision_aid.pipeline import read_answers, render, summarise

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = Path(__file__).parent / "axe"
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".yaml", ".json"))
DATE = dt.date(2026, 11, 25)
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""WCAG 2.1 level A and AA, as axe-core tags its rules."""
EXTRA_RULES = ["heading-order", "empty-table-header", "page-has-heading-one", "landmark-one-main"]
"""Best-practice rules the issue asks for too: headings without gaps, named headers."""

RUNNER = """<script>%(axe)s</script>
<script>
axe.run(document, {
  runOnly: {type: "tag", values: %(tags)s},
  rules: %(rules)s
}).then(function (result) {
  var names = function (list) { return list.map(function (rule) { return rule.id; }); };
  var out = document.createElement("pre");
  out.id = "axe-results";
  out.textContent = JSON.stringify({
    version: axe.version,
    violations: result.violations.map(function (rule) {
      return {id: rule.id, help: rule.help, nodes: rule.nodes.map(function (node) {
        return node.target.join(" ");
      })};
    }),
    passes: names(result.passes),
    incomplete: names(result.incomplete),
    inapplicable: names(result.inapplicable)
  });
  document.body.appendChild(out);
}, function (error) {
  var out = document.createElement("pre");
  out.id = "axe-results";
  out.textContent = JSON.stringify({error: String(error)});
  document.body.appendChild(out);
});
</script>
"""


def pinned_version() -> str:
    return str(json.loads((AXE_DIR / "package.json").read_text())["dependencies"]["axe-core"])


def run_axe(page: str, folder: Path) -> dict[str, Any]:
    """axe-core's result for ``page``, run in headless Chromium."""
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: run .ci/install-system-deps (never skipped)"
    assert AXE.is_file(), f"{AXE} is missing: run .ci/install-system-deps (npm ci there)"
    # The page's own policy forbids every script; this copy allows axe and nothing else.
    checked = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', "", page, count=1)
    assert checked != page
    runner = RUNNER % {
        "axe": AXE.read_text("utf-8").replace("</script", "<\\/script"),
        "tags": json.dumps(TAGS),
        "rules": json.dumps({rule: {"enabled": True} for rule in EXTRA_RULES}),
    }
    source = folder / "page.html"
    source.write_text(checked.replace("</body>", runner + "</body>", 1), "utf-8")
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={folder / 'profile'}",
            # Time in the page runs until axe's timers and promises have all finished.
            "--virtual-time-budget=60000",
            "--dump-dom",
            source.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    found = re.search(r'<pre id="axe-results">(.*?)</pre>', done.stdout, re.S)
    assert found, f"axe wrote no result (exit {done.returncode}): {done.stderr[-1500:]}"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    assert "error" not in result, result
    return result


def test_there_are_examples_to_check() -> None:
    """The axe test below has every example to check (never an empty list)."""
    assert len(EXAMPLES) >= 6


@pytest.mark.slow
@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_print_page_passes_axe_at_wcag_21_aa(example: Path, tmp_path: Path) -> None:
    """0 violations of WCAG 2.1 A and AA (and headings in order) on the example's page;
    the pinned axe ran, and its rules really looked at the page."""
    bank = load_bank()
    page = render(summarise(bank, read_answers(example, bank), DATE), "html")
    result = run_axe(page, tmp_path)
    assert result["version"] == pinned_version()
    assert result["violations"] == []
    # Left for a person to judge: only the contrast of the dot glyphs ("only non-text
    # characters"), drawn in the page's text colour #111 on #fff (18.9:1).
    assert set(result["incomplete"]) <= {"color-contrast"}
    for rule in ("html-has-lang", "document-title", "color-contrast", "heading-order", "list"):
        assert rule in result["passes"], rule
    if "<table" in page:
        assert "th-has-data-cells" in result["passes"]
    if 'role="img"' in page:
        assert "role-img-alt" in result["passes"]


@pytest.mark.slow
def test_axe_finds_what_it_should(tmp_path: Path) -> None:
    """The same run on a page with the faults the report must not have (no language, a
    heading gap, a picture with no name) reports them: the check above can fail."""
    page = render(summarise(load_bank(), read_answers(EXAMPLES[0], load_bank()), DATE), "html")
    broken = page.replace('<html lang="en">', "<html>", 1).replace("<h2>", "<h4>", 1)
    broken = broken.replace("</h2>", "</h4>", 1).replace('role="img" aria-label=', 'role="img" x=')
    found = {rule["id"] for rule in run_axe(broken, tmp_path)["violations"]}
    assert {"html-has-lang", "heading-order"} <= found
    if 'role="img"' in page:
        assert "role-img-alt" in found
