"""The Spark driver's memory while it lists and reads a corpus: peak RSS and Python objects held.

    PYTHONPATH=src python bench/spark_listing_memory.py bench/out/scale-10k-max100/pages [--read]

Starts a `local[2]` session, then runs the read stage's input side (`spark_input.spark_inputs`, the
files handed to the executors and counted; with `--read` every file read by `read_input` there), and
prints the driver's (this Python process's) RSS before, its peak during (VmHWM, reset after the session
started), and the memory its Python allocations hold after and at their peak (tracemalloc, from after
the session started). Run it with the PYTHONPATH of each checkout to compare two versions: the one
before issue 16's listing change (`SparkInputs.local`, a driver-side list of every file) is told apart
by that field. Figures for two corpus sizes show whether the driver grows with the corpus.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--read", action="store_true", help="also read every file on the executors")
    args = parser.parse_args()

    from newsfold.engine.spark import _read_one, spark_session
    from newsfold.engine.spark_input import spark_inputs
    from newsfold.settings import ReadSettings

    session = spark_session("local[2]", {"spark.driver.memory": "1g"})
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.parallelize([0], 1).count()  # the session and its first job's machinery
    gc.collect()
    before_mb = status_kb("VmRSS") / 1024
    tracemalloc.start()
    peak_mb_then_reset()
    started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF).ru_utime
    problems: list[str] = []
    inputs = spark_inputs(session, [args.folder], ReadSettings().max_file_bytes, lambda e: problems.append(e))
    if hasattr(inputs, "local"):  # before: the driver lists every file
        context = session.sparkContext
        files = context.parallelize(inputs.local, context.defaultParallelism)
        count = len(inputs.local)
    else:
        files, count = inputs.files, inputs.count
    if args.read:
        pages = files.flatMap(lambda item: _read_one(item, ReadSettings())).count()
    else:
        pages, count = 0, files.count()  # the files handed to the executors, not read
    seconds = time.perf_counter() - started
    driver_cpu = resource.getrusage(resource.RUSAGE_SELF).ru_utime - cpu
    peak = peak_mb_then_reset()
    gc.collect()
    held, traced_peak = (n / 2**20 for n in tracemalloc.get_traced_memory())
    print(
        f"{args.folder}: {count:,} files, {pages:,} pages read; driver RSS before {before_mb:.1f} MB, "
        f"peak {peak:.1f} MB (+{peak - before_mb:.1f}), Python allocations held {held:.1f} MB "
        f"(peak {traced_peak:.1f} MB); "
        f"{seconds:.1f} s wall, driver {driver_cpu:.1f} s CPU; {len(problems)} problems"
    )
    del inputs, files
    session.stop()


if __name__ == "__main__":
    main()
