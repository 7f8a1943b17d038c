"""Run the pipeline on this machine: read -> clean -> syndication -> cluster -> story.

The engine only sequences stages, times them and spreads independent work over worker processes; every
decision lives in the stage functions, so the Spark engine and the incremental store run the very same
code. Writing stories is the part that splits: each story reads only its own articles and origin groups,
so stories are written in `EngineSettings.workers` processes, and the result is the same for any number
of workers (the stories come back in member order, whatever order the workers finish in). The clustering
profiles are made in the workers too, one task a worker, while this process finds the copies.

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
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsfold.clean import clean_pages
from newsfold.cluster import cluster_stories
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Profile, profiles_of
from newsfold.cluster.threads import with_threads
from newsfold.engine.spill import Spill, SpilledGroups, group_members
from newsfold.engine.worker import start_worker
from newsfold.export import FoldWriter
from newsfold.models import Article, Cleaned, FoldCounts, FoldResult, InputProblem, OriginGroup, Page, Story
from newsfold.read import stream_pages, unique_ids
from newsfold.settings import EngineSettings, Settings
from newsfold.story import write_story
from newsfold.syndication import stream_origins

__all__ = [
    "clean_all",
    "fold_articles",
    "fold_pages",
    "fold_paths",
    "folded_stories",
    "stories_for",
    "story_id_for",
    "worker_count",
]

# Called as progress(stage, done, total); the CLI draws Rich progress bars with it.
ProgressFn = Callable[[str, int, int], None]

# Tasks handed to a worker at once: two keep it busy while the next one's arguments are pickled; more
# only hold more articles in the queue (all of a corpus's, when every task was submitted at once).
_TASKS_PER_WORKER = 2


def fold_paths(
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    out: Path | None = None,
    keep: bool = True,
) -> FoldResult:
    """Read, clean and fold every input; rejected inputs are listed in `problems`, the rest folded.

    Pages are read and cleaned `settings.engine.clean_chunk_pages` at a time, so no more raw page text
    than one chunk's is held; past `settings.engine.hold_articles` the articles wait on disk (`Spill`),
    and only what the later stages need of the whole corpus stays in memory (ids, origin groups, clustering
    profiles, story members). With `out`, the articles, stories and problems are written into that folder
    as they are made (`FoldWriter`).
    With `keep=False` (only with `out`: a corpus too big to hold), the result's `articles` and `stories`
    are left empty and its `counts` say how many were written.
    """
    if not keep and out is None:
        raise ValueError("fold_paths(keep=False) needs `out`: the folder the articles and stories go to")
    timings: dict[str, float] = {}
    clean_problems: list[InputProblem] = []
    kept_articles: list[Article] = []
    kept_stories: list[Story] = []
    writer = FoldWriter(out) if out is not None else None
    if worker_count(settings.engine) > 1:
        _start_fork_server()  # its imports overlap reading and cleaning
    stream = stream_pages(paths, settings=settings.read)
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        while True:
            with _timed(timings, "read"):
                chunk = list(itertools.islice(stream.pages, settings.engine.clean_chunk_pages))
            if not chunk:
                break
            with _timed(timings, "clean"):
                cleaned = clean_all(chunk, settings=settings, progress=progress)
                clean_problems += cleaned.problems
            with _timed(timings, "spill"):
                spill.add_articles(cleaned.articles)
                if writer is not None:
                    writer.add_articles(cleaned.articles)
            if keep:
                kept_articles += cleaned.articles
            del chunk, cleaned
        stories = 0
        for story in folded_stories(spill, spill, settings=settings, progress=progress, timings=timings):
            with _timed(timings, "out"):
                stories += 1
                if writer is not None:
                    writer.add_stories([story])
                if keep:
                    kept_stories.append(story)
        articles = len(spill)
    problems = stream.problems + clean_problems
    if writer is not None:
        with _timed(timings, "out"):
            writer.add_problems(problems)
            writer.close()
    return FoldResult(kept_articles, kept_stories, problems, timings, counts=FoldCounts(articles, stories))


def fold_pages(
    pages: Sequence[Page], *, settings: Settings = Settings(), progress: ProgressFn | None = None
) -> FoldResult:
    """Clean pages and fold the articles into stories (pages sharing an id are renamed: `unique_ids`)."""
    timings: dict[str, float] = {}
    with _timed(timings, "clean"):
        cleaned = clean_all(list(unique_ids(pages)), settings=settings, progress=progress)
    stories = fold_articles(cleaned.articles, settings=settings, progress=progress, timings=timings)
    return FoldResult(
        articles=cleaned.articles,
        stories=stories,
        problems=cleaned.problems,
        timings=timings,
        counts=FoldCounts(len(cleaned.articles), len(stories)),
    )


def clean_all(
    pages: Sequence[Page],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    context: Sequence[Page] = (),
) -> Cleaned:
    """Clean every page with the whole batch (and `context`) as context; a page that fails is a problem."""
    return clean_pages(pages, settings.clean, progress=progress, context=context, read=settings.read)


def fold_articles(
    articles: Sequence[Article],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    timings: dict[str, float] | None = None,
) -> list[Story]:
    """Find the origins, cluster into stories and write each story; stage seconds go into `timings`."""
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        return list(folded_stories(articles, spill, settings=settings, progress=progress, timings=timings))


def folded_stories(
    articles: Sequence[Article],
    spill: Spill,
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    timings: dict[str, float] | None = None,
) -> Iterator[Story]:
    """`fold_articles`, the stories yielded one by one in order; `spill` keeps them until threaded.

    `articles` may be the spill itself (read from disk as each stage needs them): the stages hold ids,
    origin groups, profiles and story members for the whole corpus, and one story's articles at a time.
    """
    report = progress or (lambda stage, done, total: None)
    timings = {} if timings is None else timings
    report("copies", 0, 1)
    with _timed(timings, "copies"):
        # The profiles depend on no origin: their workers run while this process finds the copies.
        profiling = _profiling(articles, settings)
        groups = spill.keep_groups(stream_origins(articles, settings.syndication))
    report("copies", 1, 1)
    report("stories", 0, 1)
    with _timed(timings, "stories"):
        # Packed, and on disk when the articles are (`Spill`): the profiles are held for the threads.
        on_disk = len(articles) > settings.engine.hold_articles
        profiles = PackedProfiles(hold_bytes=0 if on_disk else None)
        outlines = groups.outlines() if isinstance(groups, SpilledGroups) else groups
        members = cluster_stories(articles, outlines, settings.cluster, profiling(), profiles)
        del outlines
    report("stories", 1, 1)
    with _timed(timings, "write"):
        # Only what the threads read of a story (its id, articles and event date) stays in memory.
        story_outlines = [Story("", None, ())] * len(members)
        for k, story in _stories_into(spill, members, articles, groups, settings, report):
            story_outlines[k] = Story(story.id, None, story.articles, event_date=story.event_date)
    del groups
    with _timed(timings, "threads"):
        threaded = with_threads(story_outlines, (), settings, profiles.by_id())
    profiles.close()
    del profiles, story_outlines
    for story, threads in zip(spill.stories(), threaded, strict=True):
        yield replace(story, thread=threads.thread, related=threads.related)


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
    report = progress or (lambda stage, done, total: None)
    with Spill(hold_articles=settings.engine.hold_articles) as spill:
        for _ in _stories_into(spill, members, articles, groups, settings, report):
            pass
        return list(spill.stories())


def _stories_into(
    spill: Spill,
    members: Sequence[Sequence[str]],
    articles: Sequence[Article],
    groups: Sequence[OriginGroup],
    settings: Settings,
    report: ProgressFn,
) -> Iterator[tuple[int, Story]]:
    """Write each story, keep it in `spill` at its position in `members`, and yield (its position, it) in
    the order written. Each story's articles are read when its turn comes, so only the stories being
    written hold their articles."""
    position = {a: k for k, a in enumerate(_ids(articles))}
    members_of = group_members(groups)
    group_of = {member: g for g, members in enumerate(members_of) for member in members}

    def job(ids: Sequence[str]) -> tuple[str, list[Article], list[OriginGroup]]:
        wanted = set(ids)
        numbers = dict.fromkeys(group_of[i] for i in ids if i in group_of)
        story_groups = [groups[g] for g in numbers if wanted >= set(members_of[g])]
        return story_id_for(ids), [articles[position[i]] for i in ids], story_groups

    def worker_job(ids: Sequence[str]) -> tuple[str, list[Article], list[OriginGroup]]:
        story_id, story_articles, story_groups = job(ids)
        return story_id, [_for_worker(a) for a in story_articles], story_groups

    workers = min(worker_count(settings.engine), len(members))
    if workers <= 1 or len(members) < settings.engine.min_stories_for_pool:
        for done, ids in enumerate(members, start=1):
            story = write_story(*job(ids), settings.story)
            spill.put_story(done - 1, story)
            report("write", done, len(members))
            yield done - 1, story
        return
    # Biggest first (by article count, then member order), so that no large story starts last and leaves
    # the other workers idle.
    order = sorted(range(len(members)), key=lambda k: (-len(members[k]), k))
    with _pool(workers) as pool:
        tasks = ((k, (write_story, *worker_job(members[k]), settings.story)) for k in order)
        for done, (k, story) in enumerate(_bounded(pool, tasks, workers), start=1):
            spill.put_story(k, story)
            report("write", done, len(members))
            yield k, story


def _bounded(pool: ProcessPoolExecutor, tasks: Iterable[tuple[int, tuple]], workers: int) -> Iterator[tuple]:
    """(key, result) of each (key, (function, *arguments)) task run in `pool`, in the order they finish,
    with at most `_TASKS_PER_WORKER` tasks a worker submitted at once: a task's arguments (a story's
    articles, a chunk to profile) are made only when it is about to run, not all at once."""
    pending: dict[Future[Any], int] = {}
    tasks = iter(tasks)
    while True:
        room = workers * _TASKS_PER_WORKER - len(pending)
        for key, (function, *arguments) in itertools.islice(tasks, room):
            pending[pool.submit(function, *arguments)] = key
        if not pending:
            return
        finished, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: pending[f]):
            yield pending.pop(future), future.result()


def _ids(articles: Sequence[Article]) -> list[str]:
    """The articles' ids in order (a spill knows them without reading its articles)."""
    return articles.ids if isinstance(articles, Spill) else [a.id for a in articles]


def _profiling(articles: Sequence[Article], settings: Settings) -> Callable[[], Iterable[Profile]]:
    """The clustering profiles of the articles in order (clustering places them as they come), started:
    a function that returns them. Each article's profile is its own, so with workers they are made in
    worker processes by chunks, one task a worker where the chunk bound allows (lines and words shared by
    copies are then read once).

    Articles held in memory are profiled from a thread while this process does other work (the copies:
    `folded_stories`); the profiles then cost the fold the copies' time less (bench/fold, 2,400 pages: the
    copies' ~0.9 s of wall). Their tasks group the articles that open with the same line (`_by_first_line`:
    copies, which share most lines, read them in one worker). Articles a spill keeps on disk are read by its
    connection, which serves one thread only: their profiles stream from the workers when asked for, by
    chunks of consecutive articles, a chunk held here only until the chunks before it are done, so a few
    chunks are held, never the corpus's.
    """
    workers = worker_count(settings.engine)
    engine = settings.engine
    if workers <= 1 or len(articles) < 2 * engine.profile_chunk_articles:
        size = engine.profile_chunk_max_articles  # one lexicon reads a chunk's shared words once
        return lambda: (
            p
            for k in range(0, len(articles), size)
            for p in profiles_of(articles[k : k + size], settings.cluster)
        )
    even = -(-len(articles) // workers)
    size = min(max(engine.profile_chunk_articles, even), engine.profile_chunk_max_articles)

    def streamed() -> Iterator[Profile]:
        chunks = (
            (k, (profiles_of, [_for_worker(a) for a in articles[k : k + size]], settings.cluster))
            for k in range(0, len(articles), size)
        )
        with _pool(workers) as pool:
            done: dict[int, list[Profile]] = {}
            following = 0
            for k, chunk in _bounded(pool, chunks, workers):
                done[k] = chunk
                while following in done:
                    yield from done.pop(following)
                    following += size

    if isinstance(articles, Spill) and articles.on_disk:
        return streamed
    tasks = _by_first_line(articles, -(-len(articles) // size))

    def gathered() -> list[Profile]:
        chunks = (
            (t, (profiles_of, [_for_worker(articles[k]) for k in task], settings.cluster))
            for t, task in enumerate(tasks)
        )
        profiles: list[Any] = [None] * len(articles)
        with _pool(workers) as pool:
            for t, chunk in _bounded(pool, chunks, workers):
                for k, profile in zip(tasks[t], chunk, strict=True):
                    profiles[k] = profile
        return profiles

    background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsfold-profiles")
    started = background.submit(gathered)
    background.shutdown(wait=False)
    return started.result


def _by_first_line(articles: Sequence[Article], tasks: int) -> list[list[int]]:
    """The articles' positions in `tasks` tasks of about equal size, the articles whose text opens with
    the same line in one task: copies share most of their lines and words, which a task's lexicon reads
    once (bench/fold, 2,400 articles in two tasks: consecutive halves cost 3.6 s of CPU, one task 3.0 s;
    two tasks grouped so 3.55-3.93 s against halves' 4.06 s, the same process alternating, loaded machine).
    The biggest sets go first, each to the task with the fewest articles; positions in order in a task."""
    alike: dict[str, list[int]] = {}
    for k, article in enumerate(articles):
        alike.setdefault(article.text.partition("\n")[0], []).append(k)
    chosen: list[list[int]] = [[] for _ in range(tasks)]
    for positions in sorted(alike.values(), key=lambda ps: (-len(ps), ps[0])):
        min(chosen, key=len).extend(positions)
    return [sorted(task) for task in chosen if task]


def _for_worker(article: Article) -> Article:
    """The article as a worker gets it: without its removed lines, which no worker's stage reads (a third
    of an article's pickle before removed lines were columns: 10.5 -> 6.9 MB for bench/fold's 2,400
    articles, pickled and unpickled 0.26 -> 0.04 s of CPU)."""
    return replace(article, removed=())


def _pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers start clean and die with this process, even when it is killed.

    Clean: the workers are forked from a fork server that has imported only the stage modules, never from
    this process, which holds the corpus-wide state of a fold (ids, origin groups, profiles: hundreds of
    MB at 100,000 pages); a worker forked from it would count all that again (its garbage collector
    touches every object, so the pages are soon copied, not shared). A worker holds only its own task.
    """
    context = _start_fork_server()
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)
    )


# What a worker runs: imported once by the fork server, shared by every worker forked from it.
_WORKER_MODULES = ["newsfold.engine.worker", "newsfold.story", "newsfold.cluster.profile"]
# A worker runs the main module again as `__mp_main__` (multiprocessing's spawn preparation); the
# command line's main module imports the CLI (typer, rich): preloaded too when the CLI runs, so a worker
# finds it imported (~0.1 s of CPU a worker otherwise; four workers a fold).
_MAIN_MODULES = ["newsfold.cli"]


def _start_fork_server() -> Any:
    """The fork server's context, the server started (once a process) if it is not running yet."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_WORKER_MODULES + [m for m in _MAIN_MODULES if m in sys.modules])
    forkserver.ensure_running()
    return context


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
