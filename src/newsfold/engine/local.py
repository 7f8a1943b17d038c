"""Run the pipeline on this machine: read -> clean -> syndication -> cluster -> story.

The engine only sequences stages, times them and spreads independent work over worker processes; every
decision lives in the stage functions, so the Spark engine and the incremental store run the very same
code. Writing stories is the part that splits: each story reads only its own articles and origin groups,
so stories are written in `EngineSettings.workers` processes, and the result is the same for any number
of workers (the stories come back in member order, whatever order the workers finish in).

What each stage costs a page, and why more than cleaning (~0.25 ms a page; bench/fold, 2,400 pages,
`--timings`): copies ~1 ms (every substantive sentence hashed, candidate pairs aligned); clustering ~3 ms
(each article's names and weighted words profiled once, then the merge model scores every pair inside a
candidate component); writing ~6 ms with two workers, ~12 ms of CPU (each story aligns all its
sentences, solves one or two summary ILPs and reads its quotes: work that grows with a story's size, so a
500-copy story dominates its corpus).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from pathlib import Path

from newsfold.clean import clean_pages
from newsfold.cluster import cluster_stories
from newsfold.cluster.profile import Profile, profiles_of
from newsfold.cluster.threads import with_threads
from newsfold.errors import InputError
from newsfold.export import FoldWriter
from newsfold.models import Article, FoldResult, InputProblem, OriginGroup, Page, Story
from newsfold.read import iter_pages, unique_ids
from newsfold.settings import EngineSettings, Settings
from newsfold.story import write_story
from newsfold.syndication import find_origins

__all__ = [
    "clean_all",
    "fold_articles",
    "fold_pages",
    "fold_paths",
    "stories_for",
    "story_id_for",
    "worker_count",
]

# Called as progress(stage, done, total); the CLI draws Rich progress bars with it.
ProgressFn = Callable[[str, int, int], None]


def fold_paths(
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    out: Path | None = None,
) -> FoldResult:
    """Read, clean and fold every input; rejected inputs are listed in `problems`, the rest folded.

    Pages are read and cleaned `settings.engine.clean_chunk_pages` at a time, so no more raw page text
    than one chunk's is held. With `out`, the articles, stories and problems are also written into that
    folder as they are made (`FoldWriter`).
    """
    timings: dict[str, float] = {}
    read_problems: list[InputProblem] = []
    clean_problems: list[InputProblem] = []
    articles: list[Article] = []
    writer = FoldWriter(out) if out is not None else None

    def rejected(error: InputError) -> None:
        read_problems.append(InputProblem(error.path, error.reason))

    pages = iter_pages(paths, on_problem=rejected, settings=settings.read)
    while True:
        with _timed(timings, "read"):
            chunk = list(itertools.islice(pages, settings.engine.clean_chunk_pages))
        if not chunk:
            break
        with _timed(timings, "clean"):
            cleaned, problems = clean_all(chunk, settings=settings, progress=progress)
        articles += cleaned
        clean_problems += problems
        if writer is not None:
            writer.add_articles(cleaned)
    stories = fold_articles(articles, settings=settings, progress=progress, timings=timings)
    if writer is not None:
        writer.add_stories(stories)
        writer.add_problems(read_problems + clean_problems)
        writer.close()
    return FoldResult(articles, stories, read_problems + clean_problems, timings)


def fold_pages(
    pages: Sequence[Page], *, settings: Settings = Settings(), progress: ProgressFn | None = None
) -> FoldResult:
    """Clean pages and fold the articles into stories (pages sharing an id are renamed: `unique_ids`)."""
    timings: dict[str, float] = {}
    with _timed(timings, "clean"):
        articles, problems = clean_all(list(unique_ids(pages)), settings=settings, progress=progress)
    stories = fold_articles(articles, settings=settings, progress=progress, timings=timings)
    return FoldResult(articles=articles, stories=stories, problems=problems, timings=timings)


def clean_all(
    pages: Sequence[Page],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    context: Sequence[Page] = (),
) -> tuple[list[Article], list[InputProblem]]:
    """Clean every page with the whole batch (and `context`) as context; a page that fails is a problem."""
    problems: list[InputProblem] = []
    articles = clean_pages(pages, settings.clean, problems, progress, context)
    return articles, problems


def fold_articles(
    articles: Sequence[Article],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    timings: dict[str, float] | None = None,
) -> list[Story]:
    """Find the origins, cluster into stories and write each story; stage seconds go into `timings`."""
    report = progress or (lambda stage, done, total: None)
    timings = {} if timings is None else timings
    report("copies", 0, 1)
    with _timed(timings, "copies"):
        groups = find_origins(articles, settings.syndication)
    report("copies", 1, 1)
    report("stories", 0, 1)
    with _timed(timings, "stories"):
        profiles = _profiles(articles, settings)
        members = cluster_stories(articles, groups, settings.cluster, profiles)
    report("stories", 1, 1)
    with _timed(timings, "write"):
        stories = stories_for(members, articles, groups, settings=settings, progress=progress)
    with _timed(timings, "threads"):
        return with_threads(stories, articles, settings, profiles)


def stories_for(
    members: Sequence[Sequence[str]],
    articles: Sequence[Article],
    groups: Sequence[OriginGroup],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> list[Story]:
    """Write one story per member list, handing each only its own articles and origin groups.

    With more than one worker (`settings.engine`), stories are written in worker processes, the biggest
    first; the list returned is in the order of `members` either way.
    """
    by_id = {a.id: a for a in articles}
    group_of = {member: group for group in groups for member in group.members}
    jobs = []
    for ids in members:
        wanted = set(ids)
        story_groups = [
            g for g in dict.fromkeys(group_of[i] for i in ids if i in group_of) if wanted >= set(g.members)
        ]
        jobs.append((story_id_for(ids), [by_id[i] for i in ids], story_groups))
    report = progress or (lambda stage, done, total: None)
    workers = min(worker_count(settings.engine), len(jobs))
    if workers <= 1 or len(jobs) < settings.engine.min_stories_for_pool:
        stories = []
        for done, (story_id, story_articles, story_groups) in enumerate(jobs, start=1):
            stories.append(write_story(story_id, story_articles, story_groups, settings.story))
            report("write", done, len(jobs))
        return stories
    return _write_in_pool(jobs, workers, settings, report)


def _profiles(articles: Sequence[Article], settings: Settings) -> list[Profile]:
    """The clustering profiles of the articles (clustering and threads read them), made in worker
    processes by chunks when there are several: each article's profile is its own."""
    workers = worker_count(settings.engine)
    size = settings.engine.profile_chunk_articles
    if workers <= 1 or len(articles) < 2 * size:
        return profiles_of(articles, settings.cluster)
    chunks = [articles[k : k + size] for k in range(0, len(articles), size)]
    with _pool(workers) as pool:
        done = pool.map(profiles_of, chunks, itertools.repeat(settings.cluster))
        return [profile for chunk in done for profile in chunk]


def _write_in_pool(
    jobs: Sequence[tuple[str, list[Article], list[OriginGroup]]],
    workers: int,
    settings: Settings,
    report: ProgressFn,
) -> list[Story]:
    """`write_story` of every job in `workers` processes; the results in job order."""
    # Biggest first (by article count, then job order), so that no large story starts last and leaves
    # the other workers idle.
    order = sorted(range(len(jobs)), key=lambda k: (-len(jobs[k][1]), k))
    results: dict[int, Story] = {}
    with _pool(workers) as pool:
        futures: dict[Future[Story], int] = {
            pool.submit(write_story, *jobs[k], settings.story): k for k in order
        }
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            report("write", done, len(jobs))
    return [results[k] for k in range(len(jobs))]


def _pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process, even when it is killed (SIGKILL)."""
    return ProcessPoolExecutor(max_workers=workers, initializer=_exit_with_parent, initargs=(os.getpid(),))


def _exit_with_parent(parent: int) -> None:
    """Pool initializer: the kernel kills this worker when its parent dies (Linux PR_SET_PDEATHSIG), so
    a `newsfold` killed mid-run (kill -9, tests/test_crash.py) leaves no worker waiting forever on its
    queue; elsewhere a no-op."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def worker_count(settings: EngineSettings) -> int:
    """The worker processes to use: `settings.workers`, or every core when it is 0."""
    return settings.workers if settings.workers > 0 else (os.cpu_count() or 1)


def story_id_for(member_ids: Sequence[str]) -> str:
    """A story's id: stable across runs, taken from the article that started it (its first member)."""
    return "s-" + hashlib.sha1(member_ids[0].encode("utf-8")).hexdigest()[:12]


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
