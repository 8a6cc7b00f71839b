"""Benchmark: each figure against a baseline measured in the same run, on the same machine.

    python bench/run.py            # the full run; writes bench/RESULTS.md
    python bench/run.py --quick    # small counts, to show it still works (CI); writes nothing

Every figure times whole processes, several runs each, alternating the product (A) and its
baseline (B) so that drift in the machine's load falls on both; the figure is the median.
Peak memory is the child's max RSS as the kernel reports it (``wait4``).

1. ``ivig-decision-aid run one.answers.yaml --out ...`` against
   ``python -c "import pydantic, jinja2, yaml"``.
2. ``run`` over 1,000 answers files in one process, against the same baseline; the work per
   report once started is (time for N files - time for 1 file) / (N - 1). Its floor
   (``bench/floor.py``, for information): the same reports rewritten with nothing else
   done, by the product's writer and by bare Python loops.
3. The consultation from launch until its welcome screen has mounted, against
   ``python -c "import textual.app"`` (see ``bench/tui.py`` for the headless launch).
4. In the pilot, the time from a key press to the next question shown (median and worst).
5. The peak memory of (1) and (3) against their baselines.

The children run with their own bytecode folder (``PYTHONPYCACHEPREFIX``) and cache folder
(``XDG_CACHE_HOME``) inside a temporary folder, warmed up before timing: an installed
package has its bytecode compiled, and this keeps the checkout and the user's own cache
untouched. ``(1) cold`` times a first run with an empty cache folder, for information.

Slow figures never make this script fail; only errors do (exit 1), so CI can run
``--quick`` just to show that every figure can still be measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # run as a script from a checkout: `python bench/run.py`

RESULTS = HERE / "RESULTS.md"


class BenchError(Exception):
    """A measured command failed: the benchmark cannot give its figure."""


@dataclass
class Sample:
    """One run of one command."""

    seconds: float
    max_rss_kib: int
    cpu_seconds: float
    """User and system time: less sensitive than wall time to other work on the machine."""


@dataclass
class Series:
    """The runs of one command."""

    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return statistics.median(s.seconds for s in self.samples) * 1000

    @property
    def mib(self) -> float:
        return statistics.median(s.max_rss_kib for s in self.samples) / 1024

    @property
    def cpu_ms(self) -> float:
        return statistics.median(s.cpu_seconds for s in self.samples) * 1000

    @property
    def spread(self) -> str:
        times = sorted(s.seconds * 1000 for s in self.samples)
        return f"{times[0]:.0f}-{times[-1]:.0f}"


@dataclass
class Row:
    """One line of the results table."""

    figure: str
    measured: str
    baseline: str
    ratio: str
    target: str
    result: str
    cpu_ratio: str = ""


def spawn(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run ``cmd`` to the end; wall time and the child's peak RSS, or BenchError."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()[-2000:]
            shown = " ".join(cmd) if len(cmd) < 8 else " ".join([*cmd[:4], "...", *cmd[-3:]])
            raise BenchError(f"{shown} exited {child.returncode}: {message}")
    return Sample(seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)  # KiB on Linux


def alternate(
    commands: dict[str, Sequence[str]],
    runs: int,
    env: dict[str, str],
    cwd: Path,
    warmup: int = 2,
    before_each: Callable[[str], dict[str, str]] | None = None,
) -> dict[str, Series]:
    """Run each command ``runs`` times, interleaved A B A B ..., after ``warmup`` runs each."""
    series = {name: Series(name) for name in commands}
    for _ in range(warmup):
        for cmd in commands.values():
            spawn(cmd, env, cwd)
    for _ in range(runs):
        for name, cmd in commands.items():
            run_env = env if before_each is None else {**env, **before_each(name)}
            series[name].samples.append(spawn(cmd, run_env, cwd))
    return series


def ratio_row(
    figure: str, a: Series, b: Series, target: float, memory: bool = False
) -> tuple[Row, bool]:
    if memory:
        value, base, unit = a.mib, b.mib, "MiB"
        measured, baseline = f"{value:.1f} {unit}", f"{base:.1f} {unit}"
    else:
        value, base = a.ms, b.ms
        measured = f"{value:.0f} ms ({a.spread})"
        baseline = f"{base:.0f} ms ({b.spread})"
    ratio = value / base
    met = ratio <= target
    cpu = "" if memory else f"{a.cpu_ms / b.cpu_ms:.2f}x"
    return (
        Row(figure, measured, baseline, f"{ratio:.2f}x", f"<= {target}x", _verdict(met), cpu),
        met,
    )


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def machine() -> str:
    """CPU model, cores and Python version, for the results file."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()} "
        f"({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def versions() -> str:
    """The libraries the figures depend on (asked of a child, to keep this process small)."""
    code = (
        "from importlib.metadata import version; import yaml; "
        "names = ('pydantic', 'pydantic-core', 'jinja2', 'pyyaml', 'textual'); "
        "print(', '.join(f'{n} {version(n)}' for n in names), end=''); "
        "print(' (PyYAML with libyaml)' if yaml.__with_libyaml__ else ' (PyYAML without libyaml)')"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def bench_module(failure: str, *args: str, env: dict[str, str] | None = None) -> str:
    """Run ``python -m bench.<args>`` from the checkout; its output, or BenchError saying
    ``failure`` and why. In a child: importing the product here would make this process
    big, and a child's peak RSS counts its parent's pages until exec."""
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BenchError(f"{failure}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def product_command() -> list[str]:
    """The installed console script beside this Python, or ``python -m decision_aid``."""
    script = Path(sys.executable).parent / "ivig-decision-aid"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "decision_aid"]


def table(rows: list[Row]) -> str:
    headers = Row(
        "figure", "measured (min-max)", "baseline (min-max)", "ratio", "target", "", "cpu ratio"
    )
    cells = [headers, *rows]
    columns = list(zip(*[list(vars(r).values()) for r in cells], strict=True))
    widths = [max(len(c) for c in column) for column in columns]

    def line(row: Row) -> str:
        values = list(vars(row).values())
        return "| " + " | ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts; write no results")
    # --runs and --batch are for trying a change; like --quick, they write no results.
    parser.add_argument(
        "--questions", type=Path, default=None, help="bank folder (default: the shipped one)"
    )
    parser.add_argument("--runs", type=int, help="runs per command for (1) and (3)")
    parser.add_argument("--batch", type=int, help="answers files for (2)")
    args = parser.parse_args(argv)
    quick = args.quick or args.runs is not None or args.batch is not None
    runs = args.runs or (3 if args.quick else 21)
    batch_runs = 2 if args.quick else 7
    batch_size = args.batch or (20 if args.quick else 1000)
    presses = 10 if args.quick else 50

    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="ivig-bench-"))
    try:
        bank_dir = [str(args.questions.resolve())] if args.questions else []
        inputs = work / "answers"
        inputs.mkdir()
        bench_module(
            "cannot make answers files", "bench.answers", str(inputs), str(batch_size), *bank_dir
        )
        files = sorted(inputs.glob("*.answers.yaml"))
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        env["XDG_CACHE_HOME"] = str(work / "cache")
        env.setdefault("TERM", "xterm-256color")
        bank_args = ["--questions", *bank_dir] if bank_dir else []

        product = product_command()
        imports = [sys.executable, "-c", "import pydantic, jinja2, yaml"]
        one = [*product, "run", str(files[0]), "--out", str(work / "one.md"), *bank_args]
        many = [*product, "run", *map(str, files), "--out", str(work / "many"), *bank_args]

        rows: list[Row] = []
        notes: list[str] = []

        print(f"(1) one report, {runs} runs each ...", file=sys.stderr)
        s1 = alternate({"run": one, "imports": imports}, runs, env, work)
        row, _ = ratio_row("(1) run, one answers file", s1["run"], s1["imports"], 1.3)
        rows.append(row)

        fresh = iter(range(10**6))

        def empty_cache(name: str) -> dict[str, str]:
            return {"XDG_CACHE_HOME": str(work / f"cold-{next(fresh)}")}

        cold = alternate(
            {"run": one, "imports": imports}, max(3, runs // 3), env, work, 0, empty_cache
        )
        row, _ = ratio_row("(1) cold: empty cache", cold["run"], cold["imports"], 1.3)
        row.result = "(info)"
        rows.append(row)

        print(f"(2) {batch_size} reports in one process, {batch_runs} runs ...", file=sys.stderr)
        s2 = alternate({"run": many, "imports": imports}, batch_runs, env, work, warmup=1)
        row, _ = ratio_row(f"(2) run, {batch_size:,} answers files", s2["run"], s2["imports"], 3.0)
        rows.append(row)
        per_report = (s2["run"].ms - s1["run"].ms) / (batch_size - 1)
        cpu_per_report = (s2["run"].cpu_ms - s1["run"].cpu_ms) / (batch_size - 1)
        rows.append(
            Row(
                "(2) work per report once started",
                f"{per_report:.2f} ms",
                "",
                "",
                "< 0.3 ms",
                _verdict(per_report < 0.3),
                f"{cpu_per_report:.2f} ms cpu",
            )
        )
        written = len(list((work / "many").glob("*.md")))
        if written != batch_size:
            raise BenchError(f"(2) expected {batch_size} reports, found {written}")
        rows.extend(floor_rows(work, 1 if args.quick else 5, s1["run"], s2["imports"]))

        tui_rows, tui_mem, tui_notes = tui_figures(env, work, runs, presses, bank_args)
        rows.extend(tui_rows)
        notes.extend(tui_notes)

        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if own >= min(s.max_rss_kib for s in s1["imports"].samples):
            raise BenchError(f"this process ({own} KiB) is too big to measure peak memory")
        row, _ = ratio_row("(5) peak memory of (1)", s1["run"], s1["imports"], 1.2, memory=True)
        rows.append(row)
        rows.extend(tui_mem)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)

    text = table(rows)
    print(text)
    for note in notes:
        print(note)
    if quick:
        print("(counts other than the full run's: bench/RESULTS.md not written)")
        return 0
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"- Date: {when}\n"
        f"- Machine: {machine()}\n"
        f"- Libraries: {versions()}\n"
        f"- Load average (1 min) before and after: {load_before:.2f}, {os.getloadavg()[0]:.2f} "
        "(other work on the machine lengthens wall times; the cpu ratio is less sensitive)\n"
        f"- Counts: {runs} runs per command for (1) and (3), {batch_runs} for (2) over "
        f"{batch_size:,} files, {presses} key presses for (4)\n"
        "- Command: `python bench/run.py` (see its docstring for what each figure times)\n\n"
        + text
        + "\n"
        + "".join(f"\n{note}\n" for note in notes),
        encoding="utf-8",
    )
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


def floor_rows(work: Path, rounds: int, one: Series, baseline: Series) -> list[Row]:
    """What writing figure (2)'s reports alone costs (``bench/floor.py``), per report: the
    floor under (2)'s work per report, whatever the rest of ``run`` costs."""
    print(f"(2) floor: rewriting the reports alone, {rounds} rounds ...", file=sys.stderr)
    found = json.loads(
        bench_module(
            "(2) floor failed", "bench.floor", str(work / "many"), str(work / "floor"), str(rounds)
        )
    )
    size = f"{found['mean_bytes'] / 1000:.0f} kB"
    ways = {
        "product": f"(2) floor: the product's writer alone, one {size} report",
        "durable": "(2) floor: bare Python, write, fsync, rename",
        "atomic": "(2) floor: bare Python, write, rename (no fsync)",
        "threads": "(2) floor: bare Python, write, fsync, rename, 8 threads",
    }
    rows = [
        Row(
            label,
            f"{found[way]['wall_ms']:.2f} ms",
            "",
            "",
            "< 0.3 ms",
            "(info)",
            f"{found[way]['cpu_ms']:.2f} ms cpu",
        )
        for way, label in ways.items()
    ]
    # The best (2) could be if reading, checking, summarising and rendering cost nothing.
    best = one.ms + found["product"]["wall_ms"] * found["files"]
    rows.append(
        Row(
            f"(2) best possible with the product's writer: (1) + {found['files']:,} writes",
            f"{best:.0f} ms",
            f"{baseline.ms:.0f} ms",
            f"{best / baseline.ms:.2f}x",
            "<= 3.0x",
            "(info)",
        )
    )
    return rows


def tui_figures(
    env: dict[str, str], work: Path, runs: int, presses: int, bank_args: list[str]
) -> tuple[list[Row], list[Row], list[str]]:
    """Figures (3), (4) and the TUI half of (5) (see ``bench/tui.py``)."""
    tui_env = {
        **env,
        "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver",
        "XDG_DATA_HOME": str(work / "data"),  # no resumable consultation of the user's
    }
    launch = [sys.executable, "-m", "bench.tui", "launch", "--reports-dir", str(work / "r")]
    textual = [sys.executable, "-c", "import textual.app"]
    print(f"(3) consultation start, {runs} runs each ...", file=sys.stderr)
    s3 = alternate({"tui": [*launch, *bank_args], "textual": textual}, runs, tui_env, ROOT)
    row3, _ = ratio_row("(3) consultation, launch to welcome", s3["tui"], s3["textual"], 1.5)
    mem, _ = ratio_row("(5) peak memory of (3)", s3["tui"], s3["textual"], 1.2, memory=True)

    print(f"(4) {presses} key presses in the pilot ...", file=sys.stderr)
    found = json.loads(
        bench_module(
            "(4) the pilot failed", "bench.tui", "keys", str(presses), *bank_args, env=tui_env
        )
    )
    times = found["question"]
    if len(times) < presses:
        raise BenchError(f"(4) expected {presses} timed presses, found {len(times)}")
    median, worst = statistics.median(times), max(times)
    rows = [
        row3,
        Row(
            f"(4) key press to next question, median of {len(times)}",
            f"{median:.1f} ms",
            "",
            "",
            "< 30 ms",
            _verdict(median < 30),
        ),
        Row(
            f"(4) key press to next question, worst of {len(times)}",
            f"{worst:.1f} ms",
            "",
            "",
            "< 100 ms",
            _verdict(worst < 100),
        ),
    ]
    notes = []
    if found["other"]:
        shown = "; ".join(f"{label}: {ms:.0f} ms" for label, ms in found["other"])
        notes.append(f"(4) presses that open the review or the summary (not counted): {shown}.")
    return rows, [mem], notes


if __name__ == "__main__":
    sys.exit(main())
