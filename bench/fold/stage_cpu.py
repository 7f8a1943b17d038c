"""CPU seconds of each stage of `newsfold fold DIR --json --workers 1`, one process, as a user runs it.

    python bench/fold/stage_cpu.py [DIR] [--workers 1] [--out OUT]

The command runs in this process (the CLI's own code, output to /dev/null) with the engine's stage timer
wrapped to read this process's CPU time beside the wall time it keeps: `--timings` prints wall seconds,
which a loaded machine inflates; CPU seconds are what a stage costs. With `--workers 1` every stage runs
here (no worker process), so the stages plus "import" and "output" add up to the whole command's CPU.
With more workers, the CPU of the work sent to them is not in these figures (bench_fold.py counts it).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

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
    wall_timed = local._timed

    @contextlib.contextmanager
    def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
        before = time.process_time()
        try:
            with wall_timed(timings, stage):
                yield
        finally:
            cpu[stage] = cpu.get(stage, 0.0) + time.process_time() - before

    local._timed = timed  # type: ignore[assignment]
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
