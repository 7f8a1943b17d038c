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
`--profiles FILE`: the clustering profiles as pickled lists (what `--save-profiles FILE` wrote), read
instead of cleaning and profiling: the clustering and threads alone, as the main process runs them
(`--profiles-on-disk`: the packed profiles in a file, as a fold past `hold_articles` keeps them).

`--dump FILE` writes every story's id, members, thread and related stories, one JSON line a story:
two versions' files compared byte for byte say whether they give the same stories and threads.

`--count` adds the work the clustering and threads do per article and per story (candidate hits summed,
candidate pairs scored, components re-clustered and their pairs; thread pairs compared): the growth
from 10k to 100k pages without timing either (the counting itself costs CPU: time without it).
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
from dataclasses import replace
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


def saved_profiles(saved: Path) -> Iterator[Any]:
    """The profiles `--save-profiles` wrote, in order."""
    with open(saved, "rb") as handle:
        while True:
            try:
                yield from pickle.load(handle)  # noqa: S301 (this benchmark's own file)
            except EOFError:
                return


def saving(profiles: Iterator[Any], save: Path, chunk: int = 2_000) -> Iterator[Any]:
    """`profiles` as they come, also pickled to `save` by chunks."""
    with open(save, "wb") as out:
        while batch := list(itertools.islice(profiles, chunk)):
            pickle.dump(batch, out, protocol=5)
            yield from batch


def counting(row: dict[str, object], settings: Any = None) -> None:
    """Count, into `row`, the work per article of `StoryIndex` and per story of `thread_pairs` (wraps
    their methods for this process)."""
    from collections import Counter

    from newsfold.cluster import index as index_module
    from newsfold.cluster import threads as threads_module
    from newsfold.settings import ClusterSettings

    counts: Counter[str] = Counter()
    index_class = index_module.StoryIndex
    candidates, recluster = index_class.candidates, index_class._recluster_group
    scores = index_class._edge_probabilities

    scanned = (settings or ClusterSettings()).postings_scanned
    seconds: Counter[str] = Counter()

    def counted_candidates(self: Any, profile: Any, keys: Any = None) -> list[int]:
        counts["articles"] += 1
        keys = self._keys(profile) if keys is None else keys
        counts["hits"] += sum(min(scanned, len(self._postings.get(key, ()))) for key in keys)
        c = cpu()
        found = candidates(self, profile, keys)
        seconds["candidates"] += cpu() - c
        return found

    def counted_scores(self: Any, pairs: Any, fresh: Any = None) -> list[float]:
        counts["candidate_pairs"] += len(pairs)
        counts["scored_profiles"] += len({p for pair in pairs for p in pair})
        c = cpu()
        found = scores(self, pairs, fresh)
        seconds["edges"] += cpu() - c
        return found

    def counted_recluster(self: Any, roots: list[int]) -> None:
        sizes = [len(self._members[root]) for root in roots]
        counts["reclustered"] += sum(sizes)
        counts["recluster_pairs"] += sum(n * (n - 1) // 2 for n in sizes)
        counts["largest_component"] = max(counts["largest_component"], *sizes)
        c = cpu()
        recluster(self, roots)
        seconds["recluster"] += cpu() - c

    index_class.candidates = counted_candidates  # type: ignore[method-assign]
    index_class._edge_probabilities = counted_scores  # type: ignore[method-assign]
    index_class._recluster_group = counted_recluster  # type: ignore[method-assign]
    compared = threads_module.compared_pair

    def counted_pair(a: Any, b: Any, settings: Any) -> Any:
        counts["thread_pairs"] += 1
        return compared(a, b, settings)

    threads_module.compared_pair = counted_pair  # type: ignore[assignment]

    def report() -> None:
        n = max(counts["articles"], 1)
        row["hits_per_article"] = round(counts["hits"] / n, 1)
        row["candidate_pairs_per_article"] = round(counts["candidate_pairs"] / n, 1)
        row["scored_profiles_per_article"] = round(counts["scored_profiles"] / n, 2)
        row.update({f"{phase}_cpu_s": round(s, 1) for phase, s in sorted(seconds.items())})
        row["reclustered_per_article"] = round(counts["reclustered"] / n, 2)
        row["recluster_pairs_per_article"] = round(counts["recluster_pairs"] / n, 1)
        row["largest_component"] = counts["largest_component"]
        stories = row.get("stories")
        if isinstance(stories, int) and stories:
            row["thread_pairs_per_story"] = round(counts["thread_pairs"] / stories, 1)

    row["_report"] = report


def dumped(stories: list[Any], path: Path) -> None:
    """Write each story's id, members, thread and related stories, one JSON line a story (to compare two
    versions' outputs: identical files, identical stories and threads)."""
    with open(path, "w", encoding="utf-8") as out:
        for story in stories:
            out.write(json.dumps([story.id, story.articles, story.thread, story.related]) + "\n")


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
    parser.add_argument("--profiles", type=Path, help="clustering profiles saved by --save-profiles")
    parser.add_argument("--save-profiles", type=Path, help="also save the clustering profiles here")
    parser.add_argument("--profiles-on-disk", action="store_true",
                        help="with --profiles: keep them packed in a file, as a fold past hold_articles does")
    parser.add_argument("--count", action="store_true", help="count the work per article and story")
    parser.add_argument("--postings-scanned", type=int, help="ClusterSettings.postings_scanned instead")
    parser.add_argument("--key-stories", type=int, help="ThreadSettings.key_stories instead")
    parser.add_argument("--candidates", type=int, help="ClusterSettings.candidates instead")
    parser.add_argument("--dump", type=Path, help="write each story's members, thread and related here")
    args = parser.parse_args()
    corpus = args.corpus
    settings = Settings()
    if args.postings_scanned is not None:
        cluster = replace(settings.cluster, postings_scanned=args.postings_scanned)
        settings = replace(settings, cluster=cluster)
    if args.candidates is not None:
        settings = replace(settings, cluster=replace(settings.cluster, candidates=args.candidates))
    if args.key_stories is not None:
        settings = replace(settings, threads=replace(settings.threads, key_stories=args.key_stories))
    row: dict[str, object] = {"corpus": str(corpus), "postings_scanned": settings.cluster.postings_scanned,
                              "key_stories": settings.threads.key_stories}
    if args.count:
        counting(row, settings.cluster)
    report = row.pop("_report", None)
    if args.profiles is not None:
        t, c = time.perf_counter(), cpu()
        profiles = PackedProfiles(hold_bytes=0 if args.profiles_on_disk else None)
        row["rss_before_stories_mb"] = round(status_kb("VmRSS") / 1024, 1)
        members = cluster_stories((), (), settings.cluster, saved_profiles(args.profiles), profiles)
        row["articles"] = len(profiles)
        row["stories"] = len(members)
        row["stories_s"], row["stories_cpu_main_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["stories_peak_mb"] = peak_mb_then_reset()
        row["rss_after_stories_mb"] = round(status_kb("VmRSS") / 1024, 1)
        t, c = time.perf_counter(), cpu()
        outlines = [Story(local.story_id_for(m), None, m) for m in members]
        threaded = with_threads(outlines, (), settings, profiles.by_id())
        row["threads_s"], row["threads_cpu_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["threads_peak_mb"] = peak_mb_then_reset()
        if args.dump is not None:
            dumped(threaded, args.dump)
        profiles.close()
        if callable(report):
            report()
        print(json.dumps(row), flush=True)
        return
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
        made = local._profiling(spill, settings)()
        if args.save_profiles is not None:
            made = saving(iter(made), args.save_profiles)
        members = cluster_stories(spill, (), settings.cluster, made, profiles)
        row["stories"] = len(members)
        row["stories_s"], row["stories_cpu_main_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["stories_peak_mb"] = peak_mb_then_reset()
        row["rss_after_stories_mb"] = round(status_kb("VmRSS") / 1024, 1)
        print(row, flush=True)
        t, c = time.perf_counter(), cpu()
        outlines = [Story(local.story_id_for(m), None, m) for m in members]
        threaded = with_threads(outlines, (), settings, profiles.by_id())
        row["threads_s"], row["threads_cpu_s"] = round(time.perf_counter() - t, 1), round(cpu() - c, 1)
        row["threads_peak_mb"] = peak_mb_then_reset()
        if args.dump is not None:
            dumped(threaded, args.dump)
        profiles.close()
    if callable(report):
        report()
    print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
