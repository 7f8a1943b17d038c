"""Run every benchmark (peers side by side in each) and keep their output in bench/out/.

usage: python bench/run_all.py [NAME ...]      (names as listed in BENCHES; default: all)
Each benchmark is its own script so it can also be run alone; this only sequences them.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# name -> script and arguments, in pipeline order
BENCHES = {
    "fold": ["bench/fold/bench_fold.py", "--pages", "2400", "--repeat", "3"],
    "seeds-lines": ["bench/bench_seeds_lines.py"],
    "text-dumps": ["bench/bench_text_dumps.py"],
    "html": ["bench/bench_html.py"],
    "fundus": ["bench/bench_fundus.py"],
    "syndication": ["bench/syndication/run.py", "--half", "heldout", "--mode", "both"],
    "syndication-scale": ["bench/syndication/scale.py", "100000"],
    "ecbplus": ["bench/bench_ecbplus.py"],
    "cluster-scale": ["bench/bench_cluster_scale.py"],
    "ingest-scale": ["bench/bench_ingest_scale.py"],
    "summary": ["bench/bench_summary.py"],
    "kill-ingest": ["bench/bench_kill_ingest.py", "200"],
}


def main(names: list[str]) -> int:
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    failed = []
    for name in names or list(BENCHES):
        script, *args = BENCHES[name]
        print(f"== {name}: python {script} {' '.join(args)}", flush=True)
        started = time.perf_counter()
        run = subprocess.run([sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True)
        (out / f"{name}.txt").write_text(run.stdout + run.stderr)
        print(run.stdout.rstrip())
        if run.returncode:
            failed.append(name)
            print(run.stderr.rstrip()[-2000:])
        print(f"   ({time.perf_counter() - started:.0f} s)\n", flush=True)
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
