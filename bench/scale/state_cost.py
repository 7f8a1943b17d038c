"""What a fold's resumable state costs: `fold --out` of two checkouts, alternating, in one run.

    python bench/scale/state_cost.py CORPUS --checkout /work/main --checkout . [--repeat 3] [--on-disk]

Each checkout's `newsfold.engine.local.fold_paths(CORPUS, out=...)` runs as a fresh process (imports
included) with one worker, so that every second of CPU is the process's own (getrusage of the child).
`--on-disk` sets `hold_articles=0`: every article goes to the spill, the path a corpus past 10,000 articles
takes (with --out: the journaled state in OUT, JSON records; before issue 11's resume: a temporary file,
pickles, no journal). Without it, a small corpus is held in memory and the state records nothing.
Prints each run's wall and CPU seconds and each checkout's median, and the files' md5 (equal across
checkouts when the output did not change).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_SCRIPT = """
import sys
from dataclasses import replace
from pathlib import Path
from newsfold.engine.local import fold_paths
from newsfold.settings import EngineSettings, Settings
hold = int(sys.argv[3])
engine = EngineSettings(workers=1, **({"hold_articles": hold} if hold >= 0 else {}))
fold_paths([sys.argv[1]], settings=replace(Settings(), engine=engine), out=Path(sys.argv[2]), keep=False)
"""


def run_once(checkout: Path, corpus: Path, out: Path, hold: int) -> tuple[float, float]:
    """Wall and CPU seconds of one fold by `checkout`'s code."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _SCRIPT, str(corpus), str(out), str(hold)], env=env, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def digest(out: Path) -> str:
    files = sorted(p for p in out.iterdir() if p.is_file() and not p.name.startswith("."))
    return hashlib.md5(b"".join(p.read_bytes() for p in files)).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--checkout", type=Path, action="append", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--on-disk", action="store_true", help="hold_articles=0: every article spilled")
    args = parser.parse_args()
    hold = 0 if args.on_disk else -1
    seconds: dict[Path, list[tuple[float, float]]] = {c: [] for c in args.checkout}
    digests: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="state-cost-") as folder:
        for n in range(args.repeat):
            for checkout in args.checkout:
                out = Path(folder) / f"{checkout.resolve().name}-{n}"
                wall, cpu = run_once(checkout.resolve(), args.corpus, out, hold)
                seconds[checkout].append((wall, cpu))
                digests[checkout] = digest(out)
                print(f"{checkout}: {wall:6.2f} s wall {cpu:6.2f} s cpu", flush=True)
                shutil.rmtree(out)
    for checkout, runs in seconds.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        print(f"median {checkout}: {wall:.2f} s wall, {cpu:.2f} s cpu; files md5 {digests[checkout]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
