"""What each change bought: figures (1), (2) and (5) measured for several commits in one run.

    python bench/history.py COMMIT [COMMIT ...] [--runs N] [--batch N]

Each commit is checked out in a temporary git worktree and run with that worktree first
on ``PYTHONPATH`` (so ``python -m decision_aid`` is that commit's code and its own
``questions/``), with answers files made by that commit's own code. The baseline is
measured in the same run, alternating, as in ``bench/run.py``; the table is printed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.run import BenchError, Series, alternate  # noqa: E402


def measure(commit: str, runs: int, batch: int, work: Path) -> tuple[str, Series, Series, Series]:
    tree = work / commit
    subprocess.run(
        ["git", "worktree", "add", "--detach", "-q", str(tree), commit], cwd=ROOT, check=True
    )
    try:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPATH"] = f"{tree}{os.pathsep}{ROOT}"  # the commit's code, then bench/
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        env["XDG_CACHE_HOME"] = str(work / f"cache-{commit}")
        inputs = work / f"answers-{commit}"
        inputs.mkdir()
        subprocess.run(
            [sys.executable, "-m", "bench.answers", str(inputs), str(batch)],
            cwd=tree,
            env=env,
            check=True,
        )
        files = sorted(map(str, inputs.glob("*.answers.yaml")))
        product = [sys.executable, "-m", "decision_aid", "run"]
        one = [*product, files[0], "--out", str(work / "one.md")]
        many = [*product, *files, "--out", str(work / f"many-{commit}")]
        imports = [sys.executable, "-c", "import pydantic, jinja2, yaml"]
        s1 = alternate({"run": one, "imports": imports}, runs, env, work)
        s2 = alternate({"run": many}, max(3, runs // 4), env, work, warmup=1)
        title = subprocess.run(
            ["git", "log", "-1", "--format=%h %s", commit], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return title, s1["run"], s1["imports"], s2["run"]
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commits", nargs="+")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args(argv)
    print(
        "| commit | (1) run, ms | baseline, ms | ratio | cpu ratio "
        f"| (2) ms per report ({args.batch} files), wall / cpu | (5) MiB (baseline) |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="ivig-history-") as folder:
        for commit in args.commits:
            try:
                title, run, base, many = measure(commit, args.runs, args.batch, Path(folder))
            except (BenchError, subprocess.CalledProcessError) as exc:
                print(f"history: {commit}: {exc}", file=sys.stderr)
                return 1
            per_report = (many.ms - run.ms) / (args.batch - 1)
            cpu_per_report = (many.cpu_ms - run.cpu_ms) / (args.batch - 1)
            print(
                f"| {title} | {run.ms:.0f} | {base.ms:.0f} | {run.ms / base.ms:.2f}x "
                f"| {run.cpu_ms / base.cpu_ms:.2f}x | {per_report:.2f} / {cpu_per_report:.2f} "
                f"| {run.mib:.1f} ({base.mib:.1f}) |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
