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

Where a two-worker fold's wall time goes (bench/fold/stage_cpu.py --workers 2 on fold-corpus-2400, CPU
seconds, loaded machine): this process runs the stages one after another and is busy all along; workers
run only beside "copies" (the profiles: 1.2-1.5 s of CPU over this process's 0.7-1.0 s, both cores busy)
and in "write" (2.2-2.5 s, with 0.25-0.3 s of this process's pickling and unpickling). Elsewhere the wall
time is this process's CPU: import 0.23-0.26 (bytecode compiled), read 0.1, clean 1.0-1.2, clustering
0.7-0.85 ("stories"), threads 0.1, output 0.35-0.5; the other core idles through them but for the fork
server's imports (0.48 s, during cleaning): ~2 s of a core. The pools' own costs (starting, pickling
tasks) are under 0.1 s a stage; what would shorten the fold is work split inside cleaning (its batch-wide
line classification, ~0.5 s, and each page's finish, ~0.27 s) or the clustering (placing, then
re-clustering the components, about half each), or stories written while the clustering re-clusters.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsfold.clean import clean_pages
from newsfold.cluster import cluster_stories
from newsfold.cluster.packed import PackedProfiles
from newsfold.cluster.profile import Profile, profiles_of
from newsfold.cluster.threads import with_threads
from newsfold.engine.spill import STATE_FILE, Spill, SpilledGroups, group_members
from newsfold.engine.worker import StageCall, start_worker
from newsfold.errors import InputError
from newsfold.export import FoldWriter
from newsfold.models import Article, Cleaned, FoldCounts, FoldResult, OriginGroup, Page, Story
from newsfold.read import stream_pages, unique_ids
from newsfold.settings import EngineSettings, Settings
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

# `newsfold.story.write_story`, imported when a story is written here: with workers, this process never
# imports the story writer (`StageCall`).
write_story: Callable[..., Story] = StageCall("newsfold.story", "write_story")
# `profiles_of` with the word list the fork server read before forking the worker (`engine.wordlist`).
profiles_with_list: Callable[..., list[Profile]] = StageCall("newsfold.engine.wordlist", "profiles_with_list")

# Tasks handed to a worker at once: two keep it busy while the next one's arguments are pickled; more
# only hold more articles in the queue (all of a corpus's, when every task was submitted at once).
_TASKS_PER_WORKER = 2

# Articles read back from a resumed state at a time to write the folder's files again (the spill's own
# fetch size: a few MB of text).
_FETCH_ARTICLES = 500


# The attribute a MemoryError or a dead worker's error gets when it leaves a stage (`_timed`): the stage's
# name, so the command line says which stage ran out.
STAGE_ATTRIBUTE = "newsfold_stage"


def fold_paths(
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
    out: Path | None = None,
    keep: bool = True,
    resume: bool = False,
    keep_state: bool = False,
) -> FoldResult:
    """Read, clean and fold every input; rejected inputs are listed in `problems`, the rest folded.

    Pages are read and cleaned `settings.engine.clean_chunk_pages` at a time, so no more raw page text
    than one chunk's is held; past `settings.engine.hold_articles` the articles wait on disk (`Spill`),
    and only what the later stages need of the whole corpus stays in memory (ids, origin groups, clustering
    profiles, story members). With `out`, the articles, stories and problems are written into that folder
    as they are made (`FoldWriter`).
    With `keep=False` (only with `out`: a corpus too big to hold), the result's `articles` and `stories`
    are left empty and its `counts` say how many were written.

    With `out`, the run's state is kept in `out/.newsfold-run.db` (`Spill(state=...)`: each chunk of
    articles, the origin groups, the story members, each written story, the threads) and deleted when the
    fold ends (kept with `keep_state`); a new fold replaces an old state. `resume=True` continues the
    recorded fold (the files in `out` rewritten from the start, byte for byte those of an uninterrupted
    run) when it was made of the same inputs, settings and code, else raises `InputError` naming what
    differs; the `timings` then sum every run's seconds. A fold of at most
    `settings.engine.resumable_after_articles` articles is held in memory and records nothing.
    """
    if not keep and out is None:
        raise ValueError("fold_paths(keep=False) needs `out`: the folder the articles and stories go to")
    paths = list(paths)
    timings = _Timings()
    if worker_count(settings.engine) > 1:
        _start_fork_server()  # its imports overlap reading and cleaning
    spill = _spill_for(paths, settings, out, resume, timings)
    finished = False
    try:
        result = _fold_into(spill, paths, settings, progress, out, keep, timings)
        finished = True
    except sqlite3.DatabaseError as exc:  # a state damaged under the run (a full disk, a broken file)
        raise InputError(str(spill.state), f"the fold state failed ({str(exc)[:120]})") from None
    finally:
        spill.close(finished=finished, keep=keep_state)  # a stopped fold's state stays, to resume
    return result


def _spill_for(
    paths: list[str | Path], settings: Settings, out: Path | None, resume: bool, timings: _Timings
) -> Spill:
    """The fold's spill: a temporary one, or, with `out`, its state there (resumed or new)."""
    if out is None:
        return Spill(hold_articles=settings.engine.hold_articles)
    from newsfold.engine.runstate import made_of

    try:
        spill = Spill(
            hold_articles=min(settings.engine.hold_articles, settings.engine.resumable_after_articles),
            state=out / STATE_FILE,
            made_of=made_of(paths, settings),
            resume=resume,
            clock=timings.so_far,
        )
    except sqlite3.DatabaseError as exc:  # cannot be made there (a read-only folder, a full disk)
        raise InputError(str(out / STATE_FILE), f"cannot keep the fold's state ({str(exc)[:120]})") from None
    timings.update(spill.recorded_timings())
    return spill


def _fold_into(
    spill: Spill,
    paths: list[str | Path],
    settings: Settings,
    progress: ProgressFn | None,
    out: Path | None,
    keep: bool,
    timings: _Timings,
) -> FoldResult:
    """`fold_paths` with its spill (a resumed one skips what it recorded)."""
    writer = FoldWriter(out) if out is not None else None
    try:
        return _fold_written(spill, paths, settings, progress, writer, keep, timings)
    finally:
        if writer is not None:
            writer.close()  # a stopped fold's files are written again when it resumes


def _fold_written(
    spill: Spill,
    paths: list[str | Path],
    settings: Settings,
    progress: ProgressFn | None,
    writer: FoldWriter | None,
    keep: bool,
    timings: _Timings,
) -> FoldResult:
    """`_fold_into` with its writer."""
    kept_articles: list[Article] = []
    kept_stories: list[Story] = []
    pages, read_done, read_problems, clean_problems = spill.recorded_read()
    if len(spill):  # resumed: the folder's files are written again from the start
        with _timed(timings, "out"):
            for start in range(0, len(spill), _FETCH_ARTICLES):
                recorded = spill[start : start + _FETCH_ARTICLES]
                if writer is not None:
                    writer.add_articles(recorded)
                if keep:
                    kept_articles += recorded
    if not read_done:
        stream = stream_pages(paths, settings=settings.read)
        with _timed(timings, "read"):
            for _ in itertools.islice(stream.pages, pages):  # read and cleaned before the stop
                pass
        while True:
            with _timed(timings, "read"):
                chunk = list(itertools.islice(stream.pages, settings.engine.clean_chunk_pages))
            if not chunk:
                break
            pages += len(chunk)
            with _timed(timings, "clean"):
                cleaned = clean_all(chunk, settings=settings, progress=progress)
                clean_problems += cleaned.problems
            with _timed(timings, "spill"):
                spill.add_articles(cleaned.articles, problems=cleaned.problems, pages=pages)
                if writer is not None:
                    writer.add_articles(cleaned.articles)
            if keep:
                kept_articles += cleaned.articles
            del chunk, cleaned
        read_problems = stream.problems
        spill.record_read(pages, read_problems)
    stories = 0
    for story in folded_stories(spill, spill, settings=settings, progress=progress, timings=timings):
        with _timed(timings, "out"):
            stories += 1
            if writer is not None:
                writer.add_stories([story])
            if keep:
                kept_stories.append(story)
    problems = read_problems + clean_problems
    if writer is not None:
        with _timed(timings, "out"):
            writer.add_problems(problems)
            writer.close()  # inside the fold's seconds (Parquet's last batches)
    counts = FoldCounts(len(spill), stories)
    return FoldResult(kept_articles, kept_stories, problems, dict(timings), counts=counts)


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
    threaded = spill.recorded_threads()  # a resumed fold's, when it got that far
    if threaded is None:
        threaded = _threaded(articles, spill, settings, report, timings)
    for story, threads in zip(spill.stories(), threaded, strict=True):
        yield replace(story, thread=threads.thread, related=threads.related)


def _threaded(
    articles: Sequence[Article],
    spill: Spill,
    settings: Settings,
    report: ProgressFn,
    timings: dict[str, float],
) -> list[Story]:
    """Find the origins, cluster, write each story into `spill`, link the threads: each story's outline
    with its thread and related stories, in story order. A step `spill` recorded (a resumed fold's) is
    read back, not done again."""
    # Packed, and on disk when the articles are (`Spill`): the profiles are held for the threads. Held as
    # they are when the articles are held and no state is recorded (packed.py says what it saves).
    on_disk = len(articles) > settings.engine.hold_articles
    profiles = PackedProfiles(hold_bytes=0 if on_disk else None, pack=on_disk or spill.recording)
    try:
        return _stages_after_cleaning(articles, spill, profiles, settings, report, timings)
    finally:
        profiles.close()


def _stages_after_cleaning(
    articles: Sequence[Article],
    spill: Spill,
    profiles: PackedProfiles,
    settings: Settings,
    report: ProgressFn,
    timings: dict[str, float],
) -> list[Story]:
    """`_threaded` with the profiles' store."""
    report("copies", 0, 1)
    with _timed(timings, "copies"):
        # The profiles depend on no origin: their workers run while this process finds the copies.
        profiling = _profiling(articles, settings)
        recorded = spill.recorded_groups()
        groups = (
            recorded
            if recorded is not None
            else spill.keep_groups(stream_origins(articles, settings.syndication))
        )
    report("copies", 1, 1)
    report("stories", 0, 1)
    with _timed(timings, "stories"):
        members = spill.recorded_members(profiles)
        if members is None:
            outlines = groups.outlines() if isinstance(groups, SpilledGroups) else groups
            members = cluster_stories(articles, outlines, settings.cluster, profiling(), profiles)
            del outlines
            spill.keep_members(members, profiles)
    report("stories", 1, 1)
    with _timed(timings, "write"):
        # Only what the threads read of a story (its id, articles and event date) stays in memory.
        story_outlines = [Story("", None, ())] * len(members)
        for k, story in spill.written().items():
            story_outlines[k] = story
        for k, story in _stories_into(spill, members, articles, groups, settings, report):
            story_outlines[k] = Story(story.id, None, story.articles, event_date=story.event_date)
    del groups
    report("threads", 0, 1)
    with _timed(timings, "threads"):
        threaded = with_threads(story_outlines, (), settings, profiles.by_id())
        spill.keep_threads(threaded)
    report("threads", 1, 1)
    return threaded


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

    written = spill.written()  # a resumed fold's stories, written before it stopped
    left = [k for k in range(len(members)) if k not in written]
    workers = min(worker_count(settings.engine), len(left))
    if workers <= 1 or len(left) < settings.engine.min_stories_for_pool:
        for done, k in enumerate(left, start=len(written) + 1):
            story = write_story(*job(members[k]), settings.story)
            spill.put_story(k, story)
            report("write", done, len(members))
            yield k, story
        return
    # Biggest first (by article count, then member order), so that no large story starts last and leaves
    # the other workers idle.
    order = sorted(left, key=lambda k: (-len(members[k]), k))
    with _pool(workers) as pool:
        tasks = ((k, (write_story, *worker_job(members[k]), settings.story)) for k in order)
        for done, (k, story) in enumerate(_bounded(pool, tasks, workers), start=len(written) + 1):
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
            (k, (profiles_with_list, [_for_worker(a) for a in articles[k : k + size]], settings.cluster))
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
            (t, (profiles_with_list, [_for_worker(articles[k]) for k in task], settings.cluster))
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


# What a worker runs: imported once by the fork server, shared by every worker forked from it (the
# clustering's word list too, read as `engine.wordlist` is imported, while this process cleans).
_WORKER_MODULES = ["newsfold.engine.worker", "newsfold.story", "newsfold.engine.wordlist"]
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


class _Timings(dict[str, float]):
    """Seconds per stage, which also knows the stages running (`_timed`): a fold's state records the
    seconds so far with each step (`so_far`), so a resumed fold's timings sum every run's."""

    def __init__(self) -> None:
        super().__init__()
        self.running: dict[str, float] = {}

    def so_far(self) -> dict[str, float]:
        now = time.perf_counter()
        seconds = dict(self)
        for stage, started in self.running.items():
            seconds[stage] = seconds.get(stage, 0.0) + now - started
        return seconds


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    started = time.perf_counter()
    running = timings.running if isinstance(timings, _Timings) else {}
    running.setdefault(stage, started)  # nested blocks of one stage count once
    try:
        yield
    except (MemoryError, BrokenProcessPool) as exc:
        if not hasattr(exc, STAGE_ATTRIBUTE):  # the innermost stage: the one that ran out
            setattr(exc, STAGE_ATTRIBUTE, stage)
        raise
    finally:
        if running.get(stage) == started:
            del running[stage]
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
