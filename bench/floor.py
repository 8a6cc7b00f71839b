"""The floor under figure (2): what writing the reports alone costs, without the product.

    python -m bench.floor REPORTS_DIR WORK_DIR ROUNDS

Rewrites the reports in ``REPORTS_DIR`` (those figure (2) wrote: real sizes, real bytes)
into folders under ``WORK_DIR``, three ways, alternated round by round:

- ``atomic``: each file written under a temporary name, then renamed over the old one. No
  flush: a crash leaves old or new, but a power cut may leave a new name with no content.
- ``durable``: the same, flushed to disk (``fsync``) before the rename: the textbook way
  to keep "nothing half-written", even across a power cut.
- ``threads``: ``durable`` spread over :data:`THREADS` threads (the system calls run
  without Python's lock), to see whether the machine's cores share the work;
- ``product``: the product's own writer (``DurableBatch``, as ``run`` uses it), given the
  finished texts: ``run`` without reading, checking, summarising or rendering.

The first round creates the files and is not counted; every counted round replaces them,
as each run of figure (2) replaces the reports of the run before. Prints one JSON object:
for each way, the median over the rounds of wall and CPU milliseconds per file.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from decision_aid.core.fileio import DurableBatch, batch_limit


def _atomic(folder: Path, texts: list[tuple[str, str]], flush: bool) -> None:
    for name, text in texts:
        path = folder / name
        temporary = folder / f".{name}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
            if flush:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)


THREADS = 8


def _threads(folder: Path, texts: list[tuple[str, str]]) -> None:
    workers = [
        threading.Thread(target=_atomic, args=(folder, texts[i::THREADS], True))
        for i in range(THREADS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def _product(folder: Path, texts: list[tuple[str, str]]) -> None:
    limit = batch_limit()
    with DurableBatch(start_writeout=True) as batch:
        for name, text in texts:
            batch.add((folder / name, text))
            if len(batch) >= limit:
                batch.commit()
        batch.commit()


WAYS: dict[str, Callable[[Path, list[tuple[str, str]]], None]] = {
    "atomic": lambda folder, texts: _atomic(folder, texts, flush=False),
    "durable": lambda folder, texts: _atomic(folder, texts, flush=True),
    "threads": _threads,
    "product": _product,
}


def main(argv: list[str]) -> int:
    reports, work, rounds = Path(argv[0]), Path(argv[1]), int(argv[2])
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(reports.glob("*.md"))]
    if not texts:
        print(f"no reports in {reports}", file=sys.stderr)
        return 1
    timings: dict[str, list[tuple[float, float]]] = {way: [] for way in WAYS}
    for round_ in range(rounds + 1):
        for way, write in WAYS.items():
            folder = work / way
            folder.mkdir(parents=True, exist_ok=True)
            wall, cpu = time.perf_counter(), time.process_time()
            write(folder, texts)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if round_:  # the first round creates the files; the counted ones replace them
                timings[way].append((wall, cpu))
    per_file = 1000 / len(texts)
    print(
        json.dumps(
            {
                "files": len(texts),
                "mean_bytes": round(statistics.mean(len(t.encode()) for _, t in texts)),
                **{
                    way: {
                        "wall_ms": statistics.median(w for w, _ in found) * per_file,
                        "cpu_ms": statistics.median(c for _, c in found) * per_file,
                    }
                    for way, found in timings.items()
                },
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
