"""Where a fold's cores sit idle, and what its wall time would be on a machine of its own.

    python bench/fold/timeline.py [--src SRC ...] [--turns 3] [--workers N] [--chart] [DIR]

Runs `newsfold fold DIR --json --quiet --timings` (one source tree per --src, as PYTHONPATH, taken in
turn, so two checkouts are compared in the same run, alternating) and samples the run queue statistics of
every thread of its process tree every 20 ms (/proc/PID/task/TID/schedstat: nanoseconds run and waited).

On a shared machine the wall time says more about the other users than about the fold. So besides wall
and CPU seconds, each turn prints an estimate of its wall time on an idle machine of `os.cpu_count()`
cores: per 20 ms sample, the fold's work could not have taken less than its busiest thread's run time, nor
than all its threads' run time spread over the cores, max(longest, total / cores); the estimate sums that
over the samples. It assumes the work done in a sample could have been done in any order within it (the
threads' waits on each other stay: a thread that sleeps runs nothing), so it is a lower bound of that
schedule's time, comparable between two checkouts measured alike. `--chart` draws the run: per 100 ms,
each process's share of a core (processes numbered by first appearance: 0 the command, 1 the fork server,
then its workers).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_S = 0.02


def _tree(root: int) -> list[int]:
    """`root` and its descendants' pids."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children[int(stat[stat.rfind(")") + 2 :].split()[1])].append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack += children.get(pid, [])
    return found


def _run_ns(pids: list[int]) -> dict[tuple[int, int], int]:
    """(pid, tid) -> nanoseconds run so far, for every thread of these processes."""
    ran = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                ran[(pid, int(tid))] = int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue
    return ran


Samples = list[dict[tuple[int, int], int]]  # per sample: (pid, tid) -> nanoseconds run so far


def sampled(command: list[str], env: dict[str, str]) -> tuple[float, Samples, bytes, str]:
    """Wall seconds of `command`, its threads' run nanoseconds at each sample, its stdout and stderr."""
    started = time.perf_counter()
    run = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    samples: Samples = []
    out: list[bytes] = []
    reader = threading.Thread(target=lambda: out.append(run.stdout.read()))  # type: ignore[union-attr]
    reader.start()
    while run.poll() is None:
        sample = _run_ns(_tree(run.pid))
        sample[(0, 0)] = int((time.perf_counter() - started) * 1e9)  # when, as a pseudo-thread 0
        samples.append(sample)
        time.sleep(SAMPLE_S)
    wall = time.perf_counter() - started
    reader.join()
    return wall, samples, b"".join(out), run.stderr.read().decode()  # type: ignore[union-attr]


def estimate(samples: Samples, cores: int) -> tuple[float, float]:
    """(estimated wall seconds on an idle machine of `cores` cores, CPU seconds seen) of the samples."""
    wall = cpu = 0.0
    last: dict[tuple[int, int], int] = {}
    for sample in samples:
        ran = [ns - last.get(thread, 0) for thread, ns in sample.items() if thread != (0, 0)]
        last.update(sample)
        seconds = [max(0, ns) / 1e9 for ns in ran]
        wall += max(max(seconds, default=0.0), sum(seconds) / cores)
        cpu += sum(seconds)
    return wall, cpu


def chart(samples: Samples, step: float = 0.1) -> list[str]:
    """Per `step` seconds, each process's share of a core, in percent."""
    order: dict[int, int] = {}
    rows, bucket, last = [], defaultdict(float), {}
    since = 0.0
    for sample in samples:
        for thread, ns in sample.items():
            if thread != (0, 0):
                order.setdefault(thread[0], len(order))
                bucket[thread[0]] += max(0, ns - last.get(thread, 0)) / 1e9
        last.update(sample)
        now = sample[(0, 0)] / 1e9
        if now - since >= step:
            rows.append(f"{now:5.1f} " + " ".join(
                f"{100 * bucket[p] / (now - since):4.0f}" if bucket[p] else "   ." for p in order
            ))  # fmt: skip
            bucket.clear()
            since = now
    return [" t(s) " + " ".join(f"p{k:<3}" for k in range(len(order))), *rows]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "bench" / "out" / "fold-corpus-2400")
    parser.add_argument("--src", action="append", help="a source tree to run (PYTHONPATH); repeatable")
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--chart", action="store_true")
    args = parser.parse_args()
    sources = args.src or [str(ROOT / "src")]
    cores = os.cpu_count() or 1
    command = [sys.executable, "-m", "newsfold", "fold", str(args.folder), "--json", "--quiet", "--timings"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    results: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for turn in range(args.turns):
        for src in sources if turn % 2 == 0 else sources[::-1]:
            env = {**os.environ, "PYTHONPATH": src}
            wall, samples, out, err = sampled(command, env)
            idle_wall, cpu = estimate(samples, cores)
            results[src].append((wall, cpu, idle_wall))
            digest = hashlib.sha1(out).hexdigest()[:10]
            stages = err.strip().splitlines()[-1].removeprefix("newsfold: seconds ") if err.strip() else ""
            print(f"{src}: wall {wall:6.2f} s, cpu {cpu:6.2f} s, idle-machine wall {idle_wall:5.2f} s, "
                  f"output {digest}, load {os.getloadavg()[0]:.1f}  {stages}", flush=True)  # fmt: skip
            if args.chart:
                print("\n".join(chart(samples)))
    for src, runs in results.items():
        walls, cpus, idles = (sorted(column) for column in zip(*runs, strict=True))
        middle = len(runs) // 2
        print(f"{src}: median wall {walls[middle]:.2f} s, cpu {cpus[middle]:.2f} s, idle-machine wall "
              f"{idles[middle]:.2f} s (min {idles[0]:.2f})")  # fmt: skip
    print(f"cores: {cores}, load average: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
