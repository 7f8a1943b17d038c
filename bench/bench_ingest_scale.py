"""Cost of one `newsfold ingest` into a store of N articles: 1 new page, then a batch of 100.

usage: python bench/bench_ingest_scale.py [N ...]      (default: 1000 10000)
       python bench/bench_ingest_scale.py --jobs JOBS.pkl N   (the batch's story jobs, for bench_write --load)
       python bench/bench_ingest_scale.py --measure STORE N FIRST COUNT   (one measurement on a copy of STORE)
       python bench/bench_ingest_scale.py --upgrade STORE OUT   (STORE copied to OUT and opened: what
              upgrading a store of an older version costs once)
       add `--keep OUT` to --measure: the store after the ingest is kept as OUT (not deleted)
       python bench/bench_ingest_scale.py --compare A B   (whether two stores hold the same rows, table by
              table: the same ingest run by two versions of the code)

Articles: the event stream of bench/bench_cluster_scale.py (10 articles per event, each in its own
words), where 30% of the articles are instead a copy, excerpt or version of an earlier one (under its
headline), 10% end with one of 20 boilerplate paragraphs and 5% carry one of 20 site names as headline,
as in bench/syndication/scale.py; so new articles join stored stories and copy families as real ones do.
Cleaning is left out (its context is bounded by settings, not by N): articles go straight to
`ingest_articles`.

The store of N articles is built once per N (cached under /tmp by code version); each measurement runs in
a fresh process on a copy of it and prints wall and CPU seconds (with the worker processes that wrote
stories, read from /proc while the fork server that started them runs, and of this process alone), CPU
seconds per ingest stage (nested:
'origins' holds 'affected set', 'find origins' and part of 'load articles') and peak RSS.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster_scale import synthetic as events  # noqa: E402
from newsfold.engine.incremental import ingest_articles  # noqa: E402
from newsfold.models import Article, Page  # noqa: E402
from newsfold.store import Store  # noqa: E402
from proc_cpu import tree_cpu_seconds  # noqa: E402

CACHE = Path("/tmp/newsfold-bench-ingest")
# Modules an ingest imports when it first needs them: the story writer with PyStemmer (named by module
# since 50d480f, imported by engine/local.py before) and scipy.sparse (the clustering's pair features).
# Imported before the measurement, their CPU printed apart as "imports_cpu_s": a process's fixed cost, paid
# once whatever it ingests, which made a one-page ingest 0.25-0.30 s of CPU (twelfth session, 3 runs).
LAZY_IMPORTS = ("newsfold.story", "scipy.sparse")
BATCH = 100  # the second measurement: a batch of this many new pages


def synthetic(n: int, seed: int = 3) -> list[Article]:
    """n articles: event reports, copy families, boilerplate endings, site names as headlines."""
    rng = random.Random(seed)
    boilerplate = [
        f"Boilerplate notice number {k}: sign up for our newsletter and get the day's top stories in your "
        f"inbox every morning. We use cookies to improve your experience on site {k}."
        for k in range(20)
    ]
    site_names = [f"The Daily Example Gazette Edition {k}" for k in range(20)]
    out: list[Article] = []
    for i, (report, _) in enumerate(events(n)):
        sentences = report.paragraphs[0].split(". ")
        paragraphs = [". ".join(sentences[k : k + 3]).rstrip(".") + "." for k in range(0, len(sentences), 3)]
        title = " ".join(sentences[0].split()[:7])
        published = report.published
        if out and rng.random() < 0.3:
            base = out[rng.randrange(max(0, len(out) - 2_000), len(out))]
            paragraphs, title, published = list(base.paragraphs), base.title or title, base.published
            kind = rng.choice(["copy", "excerpt", "version"])
            if kind == "excerpt":
                paragraphs = paragraphs[:1]
            elif kind == "version":
                paragraphs.append(f"{report.paragraphs[0].split('. ')[1]}.")
        if rng.random() < 0.05:
            title = rng.choice(site_names)
        if rng.random() < 0.1:
            paragraphs = [*paragraphs, rng.choice(boilerplate)]
        out.append(Article(f"a{i}", title, tuple(paragraphs), published=published))
    return out


def rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page_of(article: Article) -> Page:
    return Page(id=article.id, kind="text", content="\n".join(article.paragraphs))


def code_version() -> str:
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True)
    dirty = subprocess.run(["git", "-C", str(root), "diff", "--quiet", "HEAD", "--", "src"]).returncode
    return out.stdout.decode().strip() + ("-dirty" if dirty else "")


def build(n: int) -> Path:
    """A store holding the first n synthetic articles (ingested in chunks of 5,000), cached."""
    path = CACHE / f"store-{n}-{code_version()}.db"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    articles = synthetic(n + 1 + BATCH)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    start = time.perf_counter()
    with Store(tmp) as store:
        for at in range(0, n, 5_000):
            chunk = articles[at : min(n, at + 5_000)]
            ingest_articles(store, [page_of(a) for a in chunk], chunk)
    print(f"built a store of {n} articles in {time.perf_counter() - start:.0f}s", flush=True)
    shutil.move(tmp, path)
    return path


def _cpu() -> float:
    """CPU seconds of this process and every process it started, waited for or not: the stories are
    written in workers forked by a fork server (grandchildren this process never waits for, so not in
    its RUSAGE_CHILDREN), which `tree_cpu_seconds` reads from /proc while the server still runs."""
    return tree_cpu_seconds(os.getpid())


def measure(
    n: int, path: Path, first: int, count: int, jobs: Path | None = None, keep: Path | None = None
) -> None:
    """(In a fresh process.) Ingest articles first..first+count into a copy of the store; print stages.
    `jobs`: where to pickle each rewritten story's (id, articles, groups), as `bench/bench_write.py
    --load` reads them (the stories this ingest writes, then timed by the writer alone)."""
    if jobs is not None:
        _record_jobs(jobs)
    articles = synthetic(n + 1 + BATCH)
    new = articles[first : first + count]
    work = path.with_name(f"work-{n}-{os.getpid()}.db")  # this run's own copy: runs may overlap
    shutil.copy(path, work)
    for suffix in ("-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    imports = time.process_time()
    for module in LAZY_IMPORTS:
        importlib.import_module(module)
    imports = time.process_time() - imports
    baseline = rss_mb()
    stages: dict[str, float] = {}
    start, cpu, own = time.perf_counter(), _cpu(), time.process_time()
    with Store(work) as store:
        report = ingest_articles(store, [page_of(a) for a in new], new, stages=stages)
    wall, own = time.perf_counter() - start, time.process_time() - own
    time.sleep(0.2)  # the fork server reaps its workers as they end (their CPU then is its cutime)
    cpu = _cpu() - cpu
    if keep is not None:
        shutil.move(work, keep)  # closed: its write-ahead log is checkpointed into it
    for suffix in ("", "-wal", "-shm"):
        Path(str(work) + suffix).unlink(missing_ok=True)
    print(
        json.dumps(
            {
                "n": n,
                "new": count,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "cpu_s_this_process": round(own, 2),
                "imports_cpu_s": round(imports, 2),
                "rss_before_mb": round(baseline),
                "peak_rss_mb": round(rss_mb()),
                "stories_touched": len(report.stories_touched),
                "stages_cpu_s": {k: round(v, 3) for k, v in stages.items()},
            }
        ),
        flush=True,
    )


def upgrade(path: Path, out: Path) -> None:
    """Copy the store at `path` to `out` and open it (upgrading it in place when it is of an older version);
    print the CPU and wall seconds of the opening, and both files' sizes. `out` is kept, to measure on."""
    shutil.copy(path, out)
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    start, cpu = time.perf_counter(), time.process_time()
    with Store(out) as store:
        version = store.get_state("schema_version")
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        json.dumps(
            {
                "schema_version": version,
                "wall_s": round(wall, 2),
                "cpu_s": round(cpu, 2),
                "size_before_mb": round(path.stat().st_size / 2**20, 1),
                "size_after_mb": round(out.stat().st_size / 2**20, 1),
                "peak_rss_mb": round(rss_mb()),
            }
        ),
        flush=True,
    )


def _record_jobs(path: Path) -> None:
    """Make this process's ingest pickle its story-writing jobs into `path` (bench_write's format), the
    stories written in this process."""
    import pickle
    from collections.abc import Sequence

    from newsfold.engine import incremental, local
    from newsfold.models import OriginGroup, Story
    from newsfold.settings import Settings, StorySettings

    original = incremental.stories_for
    writer = local.write_story

    def recording(
        members: Sequence[Sequence[str]],
        articles: Sequence[Article],
        groups: Sequence[OriginGroup],
        *,
        settings: Settings = Settings(),
        progress: local.ProgressFn | None = None,
    ) -> list[Story]:
        recorded: list[tuple[str, list[Article], list[OriginGroup]]] = []

        def record(
            story_id: str,
            articles: Sequence[Article],
            groups: Sequence[OriginGroup] = (),
            settings: StorySettings = StorySettings(),
        ) -> Story:
            recorded.append((story_id, [local._for_worker(a) for a in articles], list(groups)))
            return writer(story_id, articles, groups, settings)

        one = replace(settings, engine=replace(settings.engine, workers=1))
        local.write_story = record
        try:
            return original(members, articles, groups, settings=one, progress=progress)
        finally:
            local.write_story = writer
            path.write_bytes(pickle.dumps(recorded))

    incremental.stories_for = recording


def compare(a: Path, b: Path) -> bool:
    """Print, table by table, the rows of stores `a` and `b` and whether they are the same (the full-text
    index's tables left out: it is derived from the articles); True when every table is."""
    same = True
    with sqlite3.connect(a) as left, sqlite3.connect(b) as right:
        tables = [
            name
            for (name,) in left.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not name.startswith("articles_fts")
        ]
        for table in tables:
            digests = []
            for db in (left, right):
                columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                order = ", ".join(f'"{c}"' for c in columns)
                digest = hashlib.sha256()
                rows = 0
                for row in db.execute(f'SELECT {order} FROM "{table}" ORDER BY {order}'):
                    digest.update(repr(row).encode())
                    rows += 1
                digests.append((rows, digest.hexdigest()[:16]))
            same &= digests[0] == digests[1]
            (rows_a, digest_a), (rows_b, digest_b) = digests
            verdict = "same" if digests[0] == digests[1] else "DIFFERENT"
            print(f"{table:20} {rows_a:>9} rows {digest_a}  {rows_b:>9} rows {digest_b}  {verdict}")
    print("identical" if same else "DIFFERENT")
    return same


def main() -> None:
    if sys.argv[1:2] == ["--compare"]:
        sys.exit(0 if compare(Path(sys.argv[2]), Path(sys.argv[3])) else 1)
    keep = None
    if "--keep" in sys.argv:
        at = sys.argv.index("--keep")
        keep = Path(sys.argv[at + 1])
        del sys.argv[at : at + 2]
    if sys.argv[1:2] == ["--measure"]:
        n, first, count = (int(x) for x in sys.argv[3:6])
        jobs = Path(sys.argv[6]) if len(sys.argv) > 6 else None
        measure(n, Path(sys.argv[2]), first, count, jobs, keep)
        return
    if sys.argv[1:2] == ["--upgrade"]:
        upgrade(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--jobs"]:
        n = int(sys.argv[3])
        path = build(n)
        arguments = [str(path), str(n), str(n + 1), str(BATCH), sys.argv[2]]
        subprocess.run([sys.executable, __file__, "--measure", *arguments])
        return
    sizes = [int(x) for x in sys.argv[1:]] or [1_000, 10_000]
    for n in sizes:
        path = build(n)
        for first, count in ((n, 1), (n + 1, BATCH)):
            subprocess.run([sys.executable, __file__, "--measure", str(path), str(n), str(first), str(count)])


if __name__ == "__main__":
    main()
