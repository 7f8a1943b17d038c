"""Copy detection's memory and CPU in a fold: what it holds per article over what the fold held before it.

    PYTHONPATH=src python bench/syndication/copies_memory.py bench/out/scale-10k-max100 [--trace 25]

Reads and cleans the corpus as `newsfold fold` does (`stream_pages` by `clean_chunk_pages`, `clean_all`)
into a `Spill` (articles on disk past `hold_articles`), then runs the copies stage as the fold does
(`spill.keep_groups(stream_origins(spill, ...))`) and prints this process's resident memory before it,
its peak during it (VmHWM, reset before: `clear_refs 5`), the growth per article, its CPU seconds, and an
md5 of the groups (representatives, members, copy links) to compare code versions. `--trace N`: also
the top N allocation sites alive at tracemalloc's peak (slows the run ~3x: its CPU is not the figure).
One JSON line a run is appended to bench/out/copies-memory.jsonl.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import itertools
import json
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parents[1] / "bench" / "out"
sys.path.insert(0, str(HERE.parent))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--trace", type=int, default=0, help="print the top N allocation sites at the peak")
    parser.add_argument(
        "--small-caches",
        action="store_true",
        help="line cache 1,000 lines, passage cache 256 bodies: what grows with the corpus, without the "
        "bounded caches (~110 MB at 10k pages) filling up",
    )
    args = parser.parse_args()

    from newsfold.engine.local import clean_all
    from newsfold.engine.spill import Spill
    from newsfold.read import stream_pages
    from newsfold.settings import Settings
    from newsfold.syndication import stream_origins

    settings = Settings()
    if args.small_caches:
        settings = replace(
            settings, syndication=replace(settings.syndication, line_cache=1000, passage_cache=256)
        )
    pages = args.corpus / "pages" if (args.corpus / "pages").is_dir() else args.corpus
    started = time.perf_counter()
    stream = stream_pages([pages], settings=settings.read)
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        while chunk := list(itertools.islice(stream.pages, settings.engine.clean_chunk_pages)):
            spill.add_articles(clean_all(chunk, settings=settings).articles)
            del chunk
        gc.collect()
        cleaned_s = time.perf_counter() - started
        before_mb = status_kb("VmRSS") / 1024
        peak_mb_then_reset()
        snapshots: list[tracemalloc.Snapshot] = []
        if args.trace:
            import newsfold.syndication as syndication

            make_group = syndication._group

            def first_group(*a, **k):  # every corpus-wide structure is built when the first group is made
                if not snapshots:
                    snapshots.append(tracemalloc.take_snapshot())
                return make_group(*a, **k)

            syndication._group = first_group
            tracemalloc.start(1)
        wall, cpu = time.perf_counter(), time.process_time()
        groups = spill.keep_groups(stream_origins(spill, settings.syndication))
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
        peak_mb = status_kb("VmHWM") / 1024
        after_mb = status_kb("VmRSS") / 1024
        top: list[str] = []
        if args.trace:
            _, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            top.append(f"tracemalloc peak {traced_peak / 2**20:.1f} MB; alive when the first group is made:")
            top += [str(s) for s in snapshots[0].statistics("lineno")[: args.trace]]
        digest = hashlib.md5()
        for k in range(len(groups)):
            digest.update(repr(groups[k]).encode())  # not a pickle: it memoizes shared strings
        count = len(spill)
    row = {
        "corpus": str(args.corpus),
        "articles": count,
        "groups": len(groups),
        "clean_s": round(cleaned_s, 1),
        "copies_wall_s": round(wall, 2),
        "copies_cpu_s": round(cpu, 2),
        "rss_before_mb": round(before_mb, 1),
        "copies_peak_mb": round(peak_mb, 1),
        "rss_after_mb": round(after_mb, 1),
        "kb_per_article_over_start": round((peak_mb - before_mb) * 1024 / max(1, count), 2),
        "groups_md5": digest.hexdigest(),
        "traced": bool(args.trace),
        "small_caches": args.small_caches,
    }
    print("\n".join(top))
    print(json.dumps(row), flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "copies-memory.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
