"""`newsfold fold` as a user runs it, beside the peers' pipeline, whole process, in the same run.

    python bench/fold/bench_fold.py [--pages 2400] [--repeat 3] [--workers N]

The corpus: real article bodies (zyte gold bodies, ECB+ documents) republished inside page chrome as
copies, excerpts and versions, plus independent reports of the same events, by
`bench/syndication/build.py`; draws with other seeds are added until --pages page dumps (a later draw of
a base republishes the same article again). Written once to bench/out/fold-corpus-N/ as `.txt` dumps.

Each turn runs both commands as fresh processes (imports included) and times wall and CPU seconds:
`newsfold fold DIR --json --quiet` and `bench/fold/peer_pipeline.py DIR` (jusText + datasketch
MinHashLSH + TF-IDF average link). CPU is each command's whole process tree (workers included), so it
holds on a loaded machine, where wall time does not. The ratios are the best peer time over newsfold's
best, wall and CPU; each newsfold turn prints its stages' wall seconds (`--timings`); their CPU seconds:
bench/fold/stage_cpu.py.

newsfold's modules are compiled to bytecode first (`compile_bytecode`), as an installed package's are and
as the peers' libraries are: a checkout run with PYTHONDONTWRITEBYTECODE=1 (this machine's sessions) and
no `__pycache__` compiled 56 modules from source in every run: the fold process's imports took 0.35-0.39 s
of CPU, 0.23-0.26 s compiled (fold-corpus-2400 --workers 2, three pairs alternating, loaded machine), the
fork server compiling its own on top, all counted as newsfold's time.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "bench" / "syndication"))


def build_corpus(n_pages: int) -> Path:
    """bench/out/fold-corpus-N: N page dumps from build.py draws (seed 7, 8, ...); made once."""
    from build import build, independent, load_bases

    folder = ROOT / "bench" / "out" / f"fold-corpus-{n_pages}"
    if folder.is_dir() and len(list(folder.glob("*.txt"))) == n_pages:
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    bases, _ = independent(load_bases())
    pages = []
    seed = 7
    while len(pages) < n_pages:
        pages += [(f"d{seed}-{p.id}", p.dump) for p in build(bases, bases, seed=seed)]
        seed += 1
    for name, dump in pages[:n_pages]:
        (folder / f"{name.replace('~', '_')}.txt").write_text(dump, encoding="utf-8")
    return folder


def compile_bytecode() -> Path:
    """Compile the newsfold package the benchmark runs (the one on this process's path: PYTHONPATH first)
    into its `__pycache__`, which Python reads even where it is told not to write one; its folder."""
    spec = importlib.util.find_spec("newsfold")
    if spec is None or spec.origin is None:
        raise SystemExit("newsfold is not importable here: set PYTHONPATH=src or install it")
    package = Path(spec.origin).parent
    compileall.compile_dir(package, quiet=1)
    return package


def adopt_orphans() -> None:
    """Make this process the reaper of its descendants' orphans (Linux PR_SET_CHILD_SUBREAPER): newsfold's
    fork server outlives the command, unwaited, and is then this process's to wait for, so the CPU of
    every worker it forked (which it waits for) reaches this process's RUSAGE_CHILDREN."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(36, 1)  # 36: PR_SET_CHILD_SUBREAPER


def tree_cpu_seconds() -> float:
    """User + system CPU seconds of every descendant waited for so far (orphans too: `adopt_orphans`)."""
    while True:  # wait for the orphans adopted (a fork server ends once its command has)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            break
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of one command, whole process tree (its workers and fork server included,
    whatever else the machine runs: `adopt_orphans`); its stderr."""
    before = tree_cpu_seconds()
    started = time.perf_counter()
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    cpu = tree_cpu_seconds() - before
    if run.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed ({run.returncode}): {run.stderr[-2000:]}")
    return wall, cpu, run.stderr


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0, help="newsfold --workers (0: every core)")
    parser.add_argument("--no-peer", action="store_true")
    args = parser.parse_args()
    adopt_orphans()
    print(f"newsfold's bytecode compiled: {compile_bytecode()}", flush=True)
    folder = build_corpus(args.pages)
    size = sum(p.stat().st_size for p in folder.glob("*.txt")) / 1e6
    print(f"corpus: {args.pages} page dumps, {size:.1f} MB, {folder.relative_to(ROOT)}", flush=True)
    newsfold = [str(Path(sys.executable).with_name("newsfold")), "fold", str(folder), "--json", "--quiet"]
    if args.workers:
        newsfold += ["--workers", str(args.workers)]
    peer = [sys.executable, str(HERE / "peer_pipeline.py"), str(folder)]
    ours: list[tuple[float, float]] = []
    theirs: list[tuple[float, float]] = []
    for turn in range(args.repeat):
        wall, cpu, stages = timed(newsfold + ["--timings"])
        ours.append((wall, cpu))
        stage_line = stages.strip().splitlines()[-1] if stages.strip() else ""
        print(f"turn {turn + 1}: newsfold {wall:7.2f} s wall {cpu:7.2f} s cpu  {stage_line}", flush=True)
        if not args.no_peer:
            wall, cpu, stages = timed(peer)
            theirs.append((wall, cpu))
            stage_line = stages.strip().splitlines()[-1] if stages.strip() else ""
            print(f"turn {turn + 1}: peers    {wall:7.2f} s wall {cpu:7.2f} s cpu  {stage_line}", flush=True)
    best = min(w for w, _ in ours)
    cpu_best = min(c for _, c in ours)
    print(f"newsfold fold: best {best:.2f} s wall, {cpu_best:.2f} s cpu, {args.pages / best:.0f} pages/s")
    if theirs:
        peer_best = min(w for w, _ in theirs)
        print(f"peers' pipeline: best {peer_best:.2f} s wall, {min(c for _, c in theirs):.2f} s cpu")
        print(f"ratio peers/newsfold (wall): {peer_best / best:.1f}x")
        print(f"ratio peers/newsfold (CPU, whole process trees): {min(c for _, c in theirs) / cpu_best:.1f}x")
    print(f"cores: {os.cpu_count()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
