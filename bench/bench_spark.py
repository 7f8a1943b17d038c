"""`newsfold fold --engine spark` (local[2]) beside the local engine (2 workers), same corpus, same run.

    python bench/bench_spark.py [--corpora scale-10k-max100 scale-100k-max100] [--sizes 1000 2500]
                                [--master 'local[2]'] [--workers 2] [--engines local spark]
                                [--driver-memory 1g]

Corpora: folders of bench/out made by bench/scale/generate.py (seed 7, page dumps; `--corpora` names
existing ones, symlinked from the main checkout, never rebuilt), or bench/out/scale-N made once for each
of `--sizes`. Each engine runs as a fresh `newsfold fold PATH --out DIR --timings` process; the
benchmark polls /proc for the peak resident memory (VmHWM) of the driver (the `newsfold` Python process)
and, for Spark, of its JVM (in local mode the JVM is driver and executors at once) and of the Python
workers, and for the CPU seconds of the whole process tree. Printed per engine and size: wall and CPU
seconds, the load average, each stage's seconds and pages/s, the peaks, and whether the two engines'
stories (their JSON) are the same. The driver's peak should not grow with the corpus under Spark: it
holds ids and counts. Spark writes an event log (bench/out/bench-spark-events-N): the bytes each
newsfold stage shuffled are summed from its tasks' metrics (`spark.newsfold.stage`, set by
engine.spark, names the stage); PySpark pickles rows in batches, so Spark's record counts are batches.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from proc_cpu import cpu_seconds  # noqa: E402

OUT = ROOT / "bench" / "out"


def corpus(n_pages: int) -> Path:
    """bench/out/scale-N/pages: N page dumps from the scale generator (seed 7); made once."""
    folder = OUT / f"scale-{n_pages}"
    manifest = folder / "manifest.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["pages"] != n_pages:
        sys.path.insert(0, str(ROOT / "bench" / "scale"))
        from generate import write_corpus

        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, n_pages, 7, "txt")
    return folder / "pages"


def named_corpus(name: str) -> tuple[Path, int]:
    """An existing generator output under bench/out: its pages folder and page count."""
    folder = OUT / name
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"{folder}: no manifest.json; symlink the corpus from the main checkout's bench/out")
    return folder / "pages", int(json.loads(manifest.read_text())["pages"])


def shuffled(events: Path) -> dict[str, tuple[int, int, int]]:
    """(bytes written, records written, tasks) of each newsfold stage's shuffles, from a Spark event log."""
    stage_of: dict[int, str] = {}
    totals: dict[str, list[int]] = {}
    logs = [p for p in events.rglob("*") if p.is_file() and not p.name.startswith((".", "appstatus"))]
    for log in logs:
        for line in log.read_text().splitlines():
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerStageSubmitted":
                info = event["Stage Info"]
                stage_of[info["Stage ID"]] = event.get("Properties", {}).get("spark.newsfold.stage", "?")
            elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
                written = event["Task Metrics"].get("Shuffle Write Metrics", {})
                row = totals.setdefault(stage_of.get(event["Stage ID"], "?"), [0, 0, 0])
                row[0] += written.get("Shuffle Bytes Written", 0)
                row[1] += written.get("Shuffle Records Written", 0)
                row[2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in totals.items()}


def _peak_kb(pid: int) -> int:
    """VmHWM (peak resident set) of a live process, in kB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    """The child processes of a process, whichever of its threads started them (the JVM starts the
    Python workers' daemon from another thread than its main one)."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return []
    for task in tasks:
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def run(
    command: list[str], env: dict[str, str] | None = None
) -> tuple[float, dict[str, float], dict[str, int]]:
    """Wall seconds, the `--timings` stage seconds, the peak memory (MB) of the driver, its JVM and its
    largest Python worker, and the CPU seconds of the whole process tree (sampled every 0.2 s: the
    fairer figure on a shared machine), of one `newsfold` process."""
    peaks = {"driver": 0, "jvm": 0, "worker": 0}
    cpu: dict[int, float] = {}  # the last CPU seconds seen of every process of the tree
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env
    )
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            peaks["driver"] = max(peaks["driver"], _peak_kb(process.pid))
            cpu[process.pid] = max(cpu.get(process.pid, 0.0), cpu_seconds(process.pid))
            stack = _children(process.pid)
            while stack:
                child = stack.pop()
                cpu[child] = max(cpu.get(child, 0.0), cpu_seconds(child))
                kind = "jvm" if "java" in _command(child).split(" ")[0] else "worker"
                peaks[kind] = max(peaks[kind], _peak_kb(child))
                stack.extend(_children(child))
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, stderr = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    watcher.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command[:6])} failed ({process.returncode}): {stderr[-2000:]}")
    line = next(x for x in stderr.splitlines() if x.startswith("newsfold: seconds "))
    stages = json.loads(line.removeprefix("newsfold: seconds "))
    return wall, stages, {**{k: v // 1024 for k, v in peaks.items()}, "cpu": round(sum(cpu.values()))}


def stories_of(folder: Path) -> list[dict[str, object]]:
    """The stories a fold wrote: stories.jsonl (local engine) or the `stories` Parquet dataset (Spark)."""
    if (folder / "stories.jsonl").is_file():
        return [json.loads(line) for line in (folder / "stories.jsonl").read_text().splitlines() if line]
    import pyarrow.parquet as pq

    rows = sorted(pq.read_table(folder / "stories").to_pylist(), key=lambda r: r["position"])
    return [json.loads(r["story"]) for r in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", nargs="+", default=[], metavar="NAME", help="folders of bench/out")
    parser.add_argument("--sizes", type=int, nargs="+", default=[])
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--driver-memory", default="1g", help="the JVM's heap (in local mode it runs the executors too)"
    )
    parser.add_argument("--engines", nargs="+", default=["local", "spark"], choices=["local", "spark"])
    args = parser.parse_args()
    corpora = [named_corpus(name) for name in args.corpora] + [(corpus(n), n) for n in args.sizes]
    if not corpora:
        corpora = [named_corpus("scale-10k-max100")]
    newsfold = [sys.executable, "-m", "newsfold", "fold"]
    print(
        f"{'engine':8} {'pages':>6} {'wall s':>7} {'cpu s':>6} {'load':>5} {'driver MB':>9} {'jvm MB':>7} "
        f"{'worker MB':>9}  stages: s (pages/s)",
        flush=True,
    )
    for pages, size in corpora:
        outs = {}
        for engine in args.engines:
            out = OUT / f"bench-spark-{engine}-{size}"
            shutil.rmtree(out, ignore_errors=True)
            options = ["--workers", str(args.workers), "--quiet"]
            env = dict(os.environ)
            events = OUT / f"bench-spark-events-{size}"
            if engine == "spark":
                options = ["--engine", "spark", "--spark-master", args.master]
                shutil.rmtree(events, ignore_errors=True)
                events.mkdir(parents=True)
                env["PYSPARK_SUBMIT_ARGS"] = (
                    f"--driver-memory {args.driver_memory} --conf spark.eventLog.enabled=true "
                    f"--conf spark.eventLog.dir={events.as_uri()} "
                    "--conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false "
                    "pyspark-shell"
                )
            wall, stages, peaks = run([*newsfold, str(pages), "--out", str(out), "--timings", *options], env)
            outs[engine] = out
            shown = " ".join(f"{k} {v:.1f} ({size / v:,.0f})" if v else f"{k} 0" for k, v in stages.items())
            load = os.getloadavg()[1]  # the machine's load over the last 5 minutes, as the run ends
            print(
                f"{engine:8} {size:6} {wall:7.1f} {peaks['cpu']:6} {load:5.1f} {peaks['driver']:9} "
                f"{peaks['jvm'] or '-':>7} {peaks['worker'] or '-':>9}  {shown}",
                flush=True,
            )
            if engine == "spark":
                volume = shuffled(events)
                print(
                    f"{'':8} {size:6} shuffled: "
                    + ", ".join(
                        f"{stage} {b / 1e6:.1f} MB in {t} tasks" for stage, (b, r, t) in volume.items()
                    ),
                    flush=True,
                )
        if len(outs) == 2:
            same = stories_of(outs["local"]) == stories_of(outs["spark"])
            verdict = "identical" if same else "DIFFER"
            print(f"{'':8} {size:6} stories of the two engines {verdict}", flush=True)


if __name__ == "__main__":
    main()
