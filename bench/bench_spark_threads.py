"""Spark's thread stage, distributed (`engine.spark_threads`) beside the one task it replaced, same run.

    python bench/bench_spark_threads.py [--corpus scale-2500-max100] [--master 'local[2]'] [--partitions 4]

Folds the corpus (a folder of bench/out made by bench/scale/generate.py, symlinked from the main
checkout) on Spark up to the written stories, then links the threads three times over the same cached
stories and profiles: distributed (as the fold did), in one task (`with_threads` over every profile, the
earlier code), distributed again. Prints each one's wall seconds and the CPU seconds of the whole process
tree (driver, JVM, Python workers), and whether they give the same thread and related stories for every
story.

Measured (scale-2500-max100, local[2], 4 partitions, machine at load average ~13): 650 stories, 646
threads; distributed 30.1 s wall / 11.6 s CPU, one task 14.0 / 4.4, distributed again 30.5 / 11.1; the
same threads and related stories. scale-10k-max100, same settings: 2,889 stories, 2,881 threads;
distributed 42.7 / 14.7, one task 16.1 / 8.4, distributed again 34.2 / 15.1; the same. From 2,500 to
10,000 pages the one task's CPU grew 4.0 s, the distributed stage's 3.6 s: its ~20 shuffles' fixed cost
(~8 s CPU on one machine) dominates at these sizes; what it buys is that no task holds every profile.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU seconds of a process and its live descendants, with their reaped children's."""
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = fields
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += sum(int(stats[pid][k]) for k in (11, 12, 13, 14))
        todo.extend(children.get(pid, ()))
    return total / os.sysconf("SC_CLK_TCK")


def one_task_threads(stories: Any, profiles: Any, settings: Any) -> Any:
    """The thread stage before `spark_threads`: every story outline and profile to one task."""
    from newsfold.models import Story

    stubs = stories.map(
        lambda row: (
            0,
            ("s", (row[0], Story(row[1].id, row[1].headline, row[1].articles, event_date=row[1].event_date))),
        )
    )
    every = stubs.union(profiles.map(lambda row: (0, ("p", row[1])))).groupByKey(1)
    links = every.flatMap(lambda item: _threads(item[1], settings))
    return (
        stories.map(lambda row: (row[1].id, row))
        .join(links)
        .map(lambda row: (row[1][0][0], replace(row[1][0][1], thread=row[1][1][0], related=row[1][1][1])))
    )


def _threads(rows: Iterable[tuple[str, Any]], settings: Any) -> Iterator[tuple[str, tuple[Any, Any]]]:
    from newsfold.cluster.threads import with_threads

    stubs, profiles = [], []
    for kind, value in rows:
        (stubs if kind == "s" else profiles).append(value)
    ordered = [story for _, story in sorted(stubs, key=lambda ps: ps[0])]
    for story in with_threads(ordered, [], settings, profiles):
        yield story.id, (story.thread, story.related)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="scale-2500-max100")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=4)
    args = parser.parse_args()
    from newsfold.engine.spark import _Run, spark_session
    from newsfold.engine.spark_threads import threaded
    from newsfold.settings import Settings

    folder = OUT / args.corpus
    pages = json.loads((folder / "manifest.json").read_text())["pages"]
    session = spark_session(args.master)
    session.sparkContext.setLogLevel("ERROR")
    settings = Settings()
    run = _Run([str(folder / "pages")], settings, session, args.partitions)
    print(
        f"{args.corpus}: {pages} pages, {run.counts['stories']} stories; fold stages (s): "
        + ", ".join(f"{k} {v:.1f}" for k, v in run.timings.items()),
        flush=True,
    )
    results = {}

    def distributed() -> Any:
        return threaded(run.stories, run.members, run.profiles, settings, args.partitions)

    for name, link in (
        ("distributed", distributed),
        ("one task", lambda: one_task_threads(run.stories, run.profiles, settings)),
        ("distributed again", distributed),
    ):
        cpu, started = tree_cpu_seconds(os.getpid()), time.perf_counter()
        linked = link().cache()
        linked.count()
        wall, cpu = time.perf_counter() - started, tree_cpu_seconds(os.getpid()) - cpu
        results[name] = sorted((s.id, s.thread, s.related) for _, s in linked.collect())
        linked.unpersist()
        print(f"{name:18} {wall:7.1f} s wall {cpu:7.1f} s CPU", flush=True)
    same = results["distributed"] == results["one task"] == results["distributed again"]
    threads = len({thread for _, thread, _ in results["one task"]})
    print(f"same threads and related stories: {same} ({threads} threads)")
    run.close()
    session.stop()


if __name__ == "__main__":
    sys.exit(main())
