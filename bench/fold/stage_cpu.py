"""CPU seconds of each stage of `newsfold fold DIR --json --workers 1`, one process, as a user runs it.

    python bench/fold/stage_cpu.py [DIR] [--workers 1] [--out OUT]

The command runs in this process (the CLI's own code, output to /dev/null) with the engine's stage timer
wrapped to read this process's CPU time beside the wall time it keeps: `--timings` prints wall seconds,
which a loaded machine inflates; CPU seconds are what a stage costs. With `--workers 1` every stage runs
here (no worker process), so the stages plus "import" and "output" add up to the whole command's CPU.
With more workers, a second line gives the CPU of each worker pool (its workers' /proc stat when the pool
closes, named by the stage it was opened in: the profiles' pool in "copies", the stories' in "write"):
with two cores, this process's stage CPU is the fold's critical path wherever the pools are not running
(a 2,400-page fold: import, read, clean, clustering in "stories", threads, output), so those figures are
what the wall time is made of there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, help="fold --out DIR instead of --json (corpora past memory)")
    args = parser.parse_args()
    started = time.process_time()
    import newsfold.cli as cli  # first: it sets what numpy reads when imported (NUMPY_MADVISE_HUGEPAGE)
    import newsfold.engine.local as local

    cpu: dict[str, float] = {"import": time.process_time() - started}
    stages: list[str] = []  # the stages running (nested blocks of one stage count once: `local._timed`)
    wall_timed = local._timed

    @contextlib.contextmanager
    def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
        before = time.process_time()
        stages.append(stage)
        try:
            with wall_timed(timings, stage):
                yield
        finally:
            stages.pop()
            cpu[stage] = cpu.get(stage, 0.0) + time.process_time() - before

    local._timed = timed  # type: ignore[assignment]
    pools: dict[str, float] = {}
    local._pool = _measured_pool(local._pool, stages, pools)  # type: ignore[assignment]
    output = ["--out", str(args.out)] if args.out else ["--json"]
    command = ["fold", str(args.folder), *output, "--quiet", "--workers", str(args.workers)]
    before = time.process_time()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            cli.app(command, standalone_mode=False)
        except SystemExit:
            pass
    whole = time.process_time() - before
    cpu["output"] = whole - sum(v for k, v in cpu.items() if k != "import")
    cpu["total"] = time.process_time() - started
    print("newsfold fold stage CPU s (this process):", json.dumps({k: round(v, 2) for k, v in cpu.items()}))
    if pools:
        print(
            "worker pools' CPU s (by the stage that opened them):",
            json.dumps({k: round(v, 2) for k, v in pools.items()}),
        )
    return 0


def _process_cpu(pid: int) -> float:
    """User + system CPU seconds of a live process (/proc/PID/stat), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measured_pool(make_pool: Callable[[int], Any], stages: list[str], pools: dict[str, float]) -> Callable:
    """`local._pool`, its pools adding their workers' CPU into `pools` under the stage that opened them
    (read as a pool closes, before its workers end: they are the fork server's children, not ours)."""

    @contextlib.contextmanager
    def pool(workers: int) -> Iterator[Any]:
        stage = stages[0] if stages else "?"
        with make_pool(workers) as executor:
            try:
                yield executor
            finally:
                seconds = sum(_process_cpu(pid) for pid in list(executor._processes or ()))
                pools[stage] = pools.get(stage, 0.0) + seconds

    return pool


if __name__ == "__main__":
    sys.exit(main())
