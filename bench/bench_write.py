"""The story writer alone: CPU seconds of `write_story` over every story of a folded corpus, in-process.

    python bench/bench_write.py DIR [--save JOBS.pkl | --load JOBS.pkl] [--profile OUT.prof] [--top 8]
                                    [--shares]

The stories' inputs (each story's id, articles and origin groups, recorded as the engine hands them to
`write_story` in a one-worker fold of DIR) are made once; `--save` keeps them in a pickle so that later
runs (`--load`) time the writer alone. CPU seconds (`time.process_time`)
rather than wall: the machine is shared, and wall time measures the neighbours. Prints the total, the
slowest stories, peak RSS, and a digest of the stories' JSON, so that two versions of the writer can be
told apart or shown to agree. `--shares` adds the CPU seconds of each step `write_story` calls (its
functions wrapped with a timer: a few calls a story, so little overhead, unlike cProfile's, which on a
loaded machine also spreads the neighbours' time over the calls). The stories an ingest rewrites:
`bench/bench_ingest_scale.py --jobs JOBS.pkl 30000` records them for `--load`.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pickle
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import newsfold.story
from newsfold.engine import local
from newsfold.engine.local import _for_worker
from newsfold.export import story_to_dict
from newsfold.models import Article, OriginGroup
from newsfold.settings import Settings
from newsfold.story import write_story

Job = tuple[str, list[Article], list[OriginGroup]]

# The steps `write_story` calls (names in newsfold.story), and the summary's solver inside `summarize`.
STEPS = (
    "paragraph_sentences", "story_sentences", "align_sentences", "concept_weights", "summarize", "_adds",
    "story_quotes", "find_discrepancies", "date_the_event", "misdated_flags", "find_changes",
    "truncated_flags", "uncredited_copy_flags", "article_sources", "_headline",
)  # fmt: skip


def time_steps() -> Counter[str]:
    """Wrap each of `STEPS` (and `summary.best_cover`) with a CPU timer; the seconds add up in the result."""
    seconds: Counter[str] = Counter()

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.process_time() - started

        return run

    for name in STEPS:
        setattr(newsfold.story, name, timed(name, getattr(newsfold.story, name)))
    newsfold.story.summary.best_cover = timed("summarize: best_cover", newsfold.story.summary.best_cover)
    return seconds


def story_jobs(folder: Path, settings: Settings) -> list[Job]:
    """Each story's (id, articles, groups) exactly as the engine hands them to `write_story`: a one-worker
    fold of `folder` with the engine's `write_story` wrapped to record its arguments (as a worker gets
    them: without removed lines)."""
    jobs: list[Job] = []

    def recording(story_id: str, articles: list[Article], groups: list[OriginGroup], story_settings):
        jobs.append((story_id, [_for_worker(a) for a in articles], list(groups)))
        return write_story(story_id, articles, groups, story_settings)

    one_worker = replace(settings, engine=replace(settings.engine, workers=1))
    original = local.write_story
    local.write_story = recording
    try:
        local.fold_paths([folder], settings=one_worker, keep=False, out=Path(tempfile.mkdtemp()))
    finally:
        local.write_story = original
    return jobs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--load", type=Path)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--dump", type=Path, help="write the stories' JSON here")
    parser.add_argument("--shares", action="store_true", help="print each step's CPU seconds")
    args = parser.parse_args()
    settings = Settings()
    if args.load:
        jobs: list[Job] = pickle.loads(args.load.read_bytes())
    elif args.folder:
        jobs = story_jobs(args.folder, settings)
        if args.save:
            args.save.write_bytes(pickle.dumps(jobs))
    else:
        sys.exit("bench_write: give a corpus folder or --load JOBS.pkl")
    profiler = cProfile.Profile() if args.profile else None
    steps = time_steps() if args.shares else None
    seconds: list[tuple[float, str, int]] = []
    stories = []
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for story_id, articles, groups in jobs:
        started = time.process_time()
        if profiler:
            profiler.enable()
        stories.append(write_story(story_id, articles, groups, settings.story))
        if profiler:
            profiler.disable()
        seconds.append((time.process_time() - started, story_id, len(articles)))
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
    text = json.dumps([story_to_dict(s) for s in stories], ensure_ascii=False, sort_keys=True)
    if args.dump:
        args.dump.write_text(text, encoding="utf-8")
    total = sum(s for s, _, _ in seconds)
    print(f"write_story: {len(jobs)} stories, {total:.2f} s CPU")
    for cpu, story_id, n in sorted(seconds, reverse=True)[: args.top]:
        print(f"  {cpu:7.3f} s  {n:4d} articles  {story_id}")
    for name, cpu in (steps or Counter()).most_common():
        print(f"  {cpu:7.3f} s  {100 * cpu / total:5.1f}%  {name}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS {rss / 1024:.0f} MB (before writing {rss_before / 1024:.0f} MB)")
    print(f"stories sha256 {hashlib.sha256(text.encode()).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
