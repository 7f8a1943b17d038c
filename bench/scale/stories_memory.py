"""The clustering and thread stages of a fold at scale, without copy detection (no origin groups): their
peak RSS, the RSS they leave, seconds and this process's CPU seconds (the profiling workers' apart).

    PYTHONPATH=src python bench/scale/stories_memory.py bench/out/scale-100k-max100

Reads and cleans the corpus into a `Spill` as `fold_paths` does (on disk past `hold_articles`), then
streams the profiles from the workers into `cluster_stories` with a `PackedProfiles` store (in a file
when the articles are), then links the threads of the stories (members only: no event dates, as
`memory.py --until write` cannot reach them in a reasonable time at 100k). Copy detection costs a 100k
fold ~25 min on the loaded machine; its memory is `memory.py`'s. Prints one JSON line.

Run it from a copy of the code that no one edits while it runs: the workers import the stage modules
again from disk, and a changed module then fails to import (BrokenProcessPool).
"""

from __future__ import annotations

import itertools
import json
import resource
import sys
import time
from pathlib import Path


def kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset() -> float:
    """The peak RSS since the last reset (MB), then reset (Linux: clear_refs 5)."""
    peak = kb("VmHWM") / 1024
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")
    return round(peak, 1)


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    from newsfold.cluster import cluster_stories
    from newsfold.cluster.packed import PackedProfiles
    from newsfold.cluster.threads import with_threads
    from newsfold.engine import local
    from newsfold.engine.spill import Spill
    from newsfold.models import Story
    from newsfold.read import stream_pages
    from newsfold.settings import Settings
    corpus = Path(sys.argv[1])
    settings = Settings()
    row: dict[str, object] = {"corpus": str(corpus)}
    started, c0 = time.perf_counter(), cpu()
    local._start_fork_server()
    stream = stream_pages([corpus / "pages"], settings=settings.read)
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        while chunk := list(itertools.islice(stream.pages, settings.engine.clean_chunk_pages)):
            spill.add_articles(local.clean_all(chunk, settings=settings).articles)
            del chunk
        row["articles"] = len(spill)
        row["clean_s"] = round(time.perf_counter() - started, 1)
        row["clean_cpu_main_s"] = round(cpu() - c0, 1)
        row["clean_peak_mb"] = reset()
        row["rss_before_stories_mb"] = round(kb("VmRSS") / 1024, 1)
        print(row, flush=True)
        t, c = time.perf_counter(), cpu()
        on_disk = len(spill) > settings.engine.hold_articles
        profiles = PackedProfiles(hold_bytes=0 if on_disk else None)
        members = cluster_stories(spill, (), settings.cluster, local._profiles(spill, settings), profiles)
        row["stories"] = len(members)
        row["stories_s"], row["stories_cpu_main_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["stories_peak_mb"] = reset()
        row["rss_after_stories_mb"] = round(kb("VmRSS") / 1024, 1)
        print(row, flush=True)
        t, c = time.perf_counter(), cpu()
        outlines = [Story(local.story_id_for(m), None, m) for m in members]
        with_threads(outlines, (), settings, profiles.by_id())
        row["threads_s"], row["threads_cpu_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["threads_peak_mb"] = reset()
        profiles.close()
    print(json.dumps(row), flush=True)

if __name__ == "__main__":
    main()
