"""The clustering and thread stages of a fold at scale, without copy detection (no origin groups): their
peak RSS, the RSS they leave, seconds and this process's CPU seconds (the profiling workers' apart).

    PYTHONPATH=src python bench/scale/stories_memory.py bench/out/scale-100k-max100 [--articles FILE]

Reads and cleans the corpus into a `Spill` as `fold_paths` does (on disk past `hold_articles`), then
streams the profiles from the workers into `cluster_stories` with a `PackedProfiles` store (in a file
when the articles are), then links the threads of the stories (members only: no event dates, as
`memory.py --until write` cannot reach them in a reasonable time at 100k). Copy detection costs a 100k
fold ~25 min on the loaded machine; its memory is `memory.py`'s. Prints one JSON line.

Run it from a copy of the code that no one edits while it runs: the workers import the stage modules
again from disk, and a changed module then fails to import (BrokenProcessPool).

`--articles FILE`: the cleaned articles as pickled lists, one a chunk (what `--save-articles FILE`
wrote), read instead of cleaning the corpus again: the clustering and threads figures do not depend
on where the articles came from, and cleaning 100k pages costs most of the run's wall time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from proc_cpu import peak_mb_then_reset, status_kb  # noqa: E402


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cleaned(corpus: Path, settings: Any, saved: Path | None, save: Path | None) -> Iterator[list[Any]]:
    """The corpus's cleaned articles by chunks: cleaned here (saved to `save` if given) or read back from
    `saved`."""
    from newsfold.engine import local
    from newsfold.read import stream_pages

    if saved is not None:
        with open(saved, "rb") as handle:
            while True:
                try:
                    yield pickle.load(handle)  # noqa: S301 (this benchmark's own file)
                except EOFError:
                    return
    out = open(save, "wb") if save is not None else None  # noqa: SIM115
    stream = stream_pages([corpus / "pages"], settings=settings.read)
    while chunk := list(itertools.islice(stream.pages, settings.engine.clean_chunk_pages)):
        articles = local.clean_all(chunk, settings=settings).articles
        if out is not None:
            pickle.dump(articles, out, protocol=5)
        yield articles
    if out is not None:
        out.close()


def main() -> None:
    from newsfold.cluster import cluster_stories
    from newsfold.cluster.packed import PackedProfiles
    from newsfold.cluster.threads import with_threads
    from newsfold.engine import local
    from newsfold.engine.spill import Spill
    from newsfold.models import Story
    from newsfold.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--articles", type=Path, help="cleaned articles saved by --save-articles")
    parser.add_argument("--save-articles", type=Path, help="also save the cleaned articles here")
    args = parser.parse_args()
    corpus = args.corpus
    settings = Settings()
    row: dict[str, object] = {"corpus": str(corpus)}
    started, c0 = time.perf_counter(), cpu()
    local._start_fork_server()
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        for articles in cleaned(corpus, settings, args.articles, args.save_articles):
            spill.add_articles(articles)
            del articles
        row["articles"] = len(spill)
        row["clean_s"] = round(time.perf_counter() - started, 1)
        row["clean_cpu_main_s"] = round(cpu() - c0, 1)
        row["clean_peak_mb"] = peak_mb_then_reset()
        row["rss_before_stories_mb"] = round(status_kb("VmRSS") / 1024, 1)
        print(row, flush=True)
        t, c = time.perf_counter(), cpu()
        on_disk = len(spill) > settings.engine.hold_articles
        profiles = PackedProfiles(hold_bytes=0 if on_disk else None)
        members = cluster_stories(spill, (), settings.cluster, local._profiling(spill, settings)(), profiles)
        row["stories"] = len(members)
        row["stories_s"], row["stories_cpu_main_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["stories_peak_mb"] = peak_mb_then_reset()
        row["rss_after_stories_mb"] = round(status_kb("VmRSS") / 1024, 1)
        print(row, flush=True)
        t, c = time.perf_counter(), cpu()
        outlines = [Story(local.story_id_for(m), None, m) for m in members]
        with_threads(outlines, (), settings, profiles.by_id())
        row["threads_s"], row["threads_cpu_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["threads_peak_mb"] = peak_mb_then_reset()
        profiles.close()
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
