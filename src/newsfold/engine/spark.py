"""Run the pipeline on Apache Spark, every stage on the executors; the driver holds counts and ids.

The stages are the local engine's functions, run where their data lives:

- read and clean: files are listed and read in parallel (local folders walked a sub-folder a task,
  Hadoop-style URIs listed and fetched by Spark, ordered and named on the executors: `spark_input`);
  pages are cleaned in the local engine's chunks (input order, `clean_chunk_pages` at a time, one task a
  chunk), so the cross-page cleaning context (template lines, other pages' headlines) is the one a local
  run sees; only page ids and input positions come to the driver (to rename repeated ids as
  `unique_ids` does);
- copies (`spark_copies`): evidence keys counted by key, components of the rare keys, `find_origins` on
  each component with the corpus-wide counts;
- stories (`spark_stories`): candidates by the clustering's index keys, edges scored on the executors,
  components (`spark_graph`) split by `cluster_component`; each story written in one task;
- threads (`spark_threads`): story facts by story, candidate pairs by the threads' index keys (capped
  buckets), pairs scored in their bucket, threads the components of the links (`spark_graph`).

An article's position is its input order (file, then record), an integer, so every stage orders as the
local engine does and the result equals `engine.local`'s (tests/engine/test_spark.py).
`fold_spark` brings the articles and stories back to the driver (for `--json` and the HTML report);
`fold_spark_to` writes them as Parquet from the executors and brings back counts only.

PySpark is imported lazily: install the `spark` extra (`pip install 'newsfold[spark]'`; Java 17+).

>>> result = fold_spark(["crawl/"], master="local[2]")      # doctest: +SKIP
>>> summary = fold_spark_to(["hdfs://nn/crawl/"], "hdfs://nn/out/", master="yarn")      # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from newsfold.clean import clean_pages
from newsfold.engine.spark_copies import origin_groups
from newsfold.engine.spark_input import clashing, spark_inputs
from newsfold.engine.spark_stories import article_profiles, story_members, written_stories
from newsfold.engine.spark_threads import threaded
from newsfold.errors import InputError
from newsfold.export import article_to_dict, story_to_dict
from newsfold.models import Article, FoldResult, InputProblem, OriginGroup, Page, Story, article_record
from newsfold.read import InputFile, read_input, unique_ids
from newsfold.settings import ReadSettings, Settings

__all__ = ["SparkFold", "fold_spark", "fold_spark_to", "spark_session"]

# A file's records are numbered below 2**24 (16.7 million: a WARC holds at most 1,000,000 records,
# ReadSettings.max_warc_records, plus one problem each), so file order * 2**24 + record is input order.
_RECORD_BITS = 24


@dataclass
class SparkFold:
    """What `fold_spark_to` brings back to the driver: counts, problems and stage seconds, no text."""

    articles: int = 0
    stories: int = 0
    problems: list[InputProblem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def spark_session(master: str = "local[*]", config: dict[str, str] | None = None) -> Any:
    """A SparkSession for newsfold (its workers run this interpreter, the one with newsfold installed)."""
    from pyspark.sql import SparkSession

    # PySpark reads the variable when the session starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(master).appName("newsfold")
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    for key, value in (config or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def fold_spark(
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    spark: Any = None,
    master: str = "local[*]",
    partitions: int | None = None,
) -> FoldResult:
    """Fold files or folders on Spark and bring the articles and stories back (for small corpora: use
    `fold_spark_to` when they would not fit in the driver's memory).

    Args:
        paths: files or folders, as for `newsfold fold` (local paths must be readable from every
            executor), or URIs of the cluster's Hadoop filesystem (`hdfs://`, `s3a://`, `file://`).
        spark: a SparkSession; by default one is started with `master`.
        partitions: how many partitions each stage uses; Spark's default parallelism by default.
    """
    run = _Run(paths, settings, spark or spark_session(master), partitions)
    articles = [a for _, a in sorted(run.articles.collect(), key=lambda pa: pa[0])]
    stories = [s for _, s in sorted(run.stories.collect(), key=lambda ps: ps[0])]
    run.close()
    return FoldResult(articles=articles, stories=stories, problems=run.problems, timings=run.timings)


def fold_spark_to(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    settings: Settings = Settings(),
    spark: Any = None,
    master: str = "local[*]",
    partitions: int | None = None,
) -> SparkFold:
    """Fold on Spark and write Parquet datasets into `out` (a local or Hadoop-style path) from the
    executors: `articles`, `copy_links`, `origin_groups`, `stories`, `problems`. `newsfold load` puts
    them into a store."""
    run = _Run(paths, settings, spark or spark_session(master), partitions)
    with run.timed("output"):
        _write_parquet(run, str(out))
    summary = SparkFold(run.counts["articles"], run.counts["stories"], run.problems, run.timings)
    run.close()
    return summary


class _Run:
    """One fold's RDDs, each stage materialised (cached, counted) in turn so its seconds are its own."""

    def __init__(self, paths: Iterable[str | Path], settings: Settings, session: Any, partitions: int | None):
        from pyspark import StorageLevel

        keep = StorageLevel.MEMORY_AND_DISK
        self.session = session
        self.timings: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.cached: list[Any] = []
        listing: list[InputProblem] = []
        slices = partitions or session.sparkContext.defaultParallelism
        with self.timed("read"):
            read = self._read(paths, settings, slices, listing)
        with self.timed("clean"):
            self._clean(read, settings, slices, listing)
        with self.timed("copies"):
            self.groups = self.keep(origin_groups(self.articles, settings.syndication, slices).persist(keep))
            self.counts["origin_groups"] = self.groups.count()
        with self.timed("stories"):
            self.profiles = self.keep(article_profiles(self.articles, settings.cluster).persist(keep))
            members = story_members(self.profiles, self.groups, settings.cluster, slices)
            self.members = self.keep(members.persist(keep))
            self.counts["stories"] = self.members.count()
        with self.timed("write"):
            written = written_stories(self.articles, self.groups, self.members, settings, slices)
            written = self.keep(written.persist(keep))
            written.count()
        with self.timed("threads"):
            stories = threaded(written, self.members, self.profiles, settings, slices)
            self.stories = self.keep(stories.persist(keep))
            self.stories.count()

    def _read(
        self, paths: Iterable[str | Path], settings: Settings, slices: int, listing: list[InputProblem]
    ) -> Any:
        """Every file's pages and problems (cached; `self.pages` the pages, their ids made unique).

        The functions sent to the executors close over plain settings, never over `self` (the session)."""
        from pyspark import StorageLevel

        context = self.session.sparkContext
        read_settings = settings.read
        # Listed on the executors in input order, ids unique: the driver holds no list of files.
        inputs = spark_inputs(
            self.session,
            paths,
            settings.read.max_file_bytes,
            lambda e: listing.append(InputProblem(e.path, e.reason)),
            slices,
        )
        self.counts["files"] = inputs.count
        self.cached.extend(inputs.cached)
        read = inputs.files.flatMap(lambda item: _read_one(item, read_settings))
        read = self.keep(read.persist(StorageLevel.MEMORY_AND_DISK))
        # Ids made unique across files as a local read makes them (`unique_ids`): only ids travel.
        read_pages = read.filter(lambda row: row[0] == "page")
        listed = read_pages.map(lambda row: (row[1], row[2].id, row[2].captured))
        renames = context.broadcast(_renames(_clashing(listed, slices)))
        self.pages = read_pages.map(lambda row: _renamed(row, renames.value))
        return read

    def _clean(self, read: Any, settings: Settings, slices: int, listing: list[InputProblem]) -> None:
        """`self.articles` (cached, counted) and `self.problems`, the read's and the cleaner's."""
        from pyspark import StorageLevel

        keep = StorageLevel.MEMORY_AND_DISK
        read_settings, clean_settings = settings.read, settings.clean
        # The local engine's chunks: pages in input order, `clean_chunk_pages` at a time, each chunk
        # cleaned together (its pages are one another's context), so each page is cleaned as there.
        chunk = settings.engine.clean_chunk_pages
        ranked = self.pages.sortByKey(numPartitions=slices).zipWithIndex()  # ((order, page), rank)
        chunks = ranked.map(lambda row: (row[1] // chunk, row[0])).groupByKey(slices)
        cleaned = chunks.flatMap(lambda item: _clean_chunk(item[1], clean_settings, read_settings))
        cleaned = self.keep(cleaned.persist(keep))
        self.articles = self.keep(cleaned.filter(lambda row: row[0] == "article").map(lambda r: r[1:]))
        self.articles.persist(keep)
        self.counts["articles"] = self.articles.count()
        # As the local engine lists them: the rejected files, then the pages the cleaner rejected.
        unread = read.filter(lambda row: row[0] == "problem").map(lambda row: (_position(row[1]), row[2]))
        unclean = cleaned.filter(lambda row: row[0] == "problem").map(lambda row: row[1:])
        self.problems = listing + [
            p for found in (unread, unclean) for _, p in sorted(found.collect(), key=_first)
        ]

    def keep(self, rdd: Any) -> Any:
        self.cached.append(rdd)
        return rdd

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        # Names the stage on its Spark jobs (event log, UI), so shuffle volume can be told per stage.
        self.session.sparkContext.setLocalProperty("spark.newsfold.stage", stage)
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - started

    def close(self) -> None:
        for rdd in self.cached:
            rdd.unpersist()


def _write_parquet(run: _Run, out: str) -> None:
    """The fold's datasets, written by the executors (each a folder of Parquet parts; `position` is the
    input order of an article, or of a story's first article)."""
    for name, (rows, shape) in _parquet_frames(run).items():
        run.session.createDataFrame(rows, shape).write.mode("overwrite").parquet(f"{out.rstrip('/')}/{name}")


def _parquet_frames(run: _Run) -> dict[str, tuple[Any, Any]]:
    """Each dataset's name -> (its rows as an RDD, its Parquet schema)."""
    from pyspark.sql.types import ArrayType, DoubleType, LongType, StringType, StructField, StructType

    def schema(*fields: tuple[str, Any]) -> StructType:
        return StructType([StructField(name, kind, True) for name, kind in fields])

    text, texts, number = StringType(), ArrayType(StringType()), LongType()
    pages = run.pages.map(lambda row: (_position(row[0]), row[1]))
    copy_schema = schema(
        ("article", text),
        ("of", text),
        ("relation", text),
        ("shared", DoubleType()),
        ("adds", texts),
        ("lacks", texts),
    )
    return {
        "articles": (
            run.articles.join(pages).map(_article_row),
            schema(("position", number), ("id", text), ("article", text), ("data", text), ("page", text)),
        ),
        "stories": (
            run.stories.map(_story_row),
            schema(("position", number), ("id", text), ("articles", texts), ("story", text)),
        ),
        "origin_groups": (
            run.groups.map(lambda row: (row[0][0], row[1].representative, list(row[1].members))),
            schema(("position", number), ("representative", text), ("members", texts)),
        ),
        "copy_links": (run.groups.flatMap(_copy_rows), copy_schema),
        "problems": (
            run.session.sparkContext.parallelize([(p.path, p.reason) for p in run.problems], 1),
            schema(("path", text), ("reason", text)),
        ),
    }


def _article_row(row: tuple[int, tuple[Article, Page]]) -> tuple[int, str, str, str, str]:
    """Executor side: (position, id, the article's JSON, its stored record, its page's fields)."""
    position, (article, page) = row
    return (
        position,
        article.id,
        json.dumps(article_to_dict(article), ensure_ascii=False),
        json.dumps(article_record(article), ensure_ascii=False),
        json.dumps(asdict(page), ensure_ascii=False),
    )


def _story_row(row: tuple[int, Story]) -> tuple[int, str, list[str], str]:
    """Executor side: (position, id, its articles, the story's JSON)."""
    position, story = row
    return position, story.id, list(story.articles), json.dumps(story_to_dict(story), ensure_ascii=False)


def _copy_rows(row: tuple[Any, OriginGroup]) -> list[tuple[str, str, str, float, list[str], list[str]]]:
    """Executor side: one row per copy link of an origin group."""
    return [
        (c.article, c.of, c.relation, float(c.shared), list(c.adds), list(c.lacks)) for c in row[1].copies
    ]


def _read_one(
    item: tuple[str | InputFile, str, int], settings: ReadSettings
) -> list[tuple[str, tuple[int, int], Any]]:
    """Executor side: the pages of one file (a local path, or one fetched from a URI), and its problems,
    tagged with their input order."""
    path, page_id, order = item
    out: list[tuple[str, tuple[int, int], Any]] = []

    def problem(error: InputError) -> None:
        out.append(("problem", (order, len(out)), InputProblem(error.path, error.reason)))

    for page in read_input(
        Path(path) if isinstance(path, str) else path, page_id, on_problem=problem, settings=settings
    ):
        out.append(("page", (order, len(out)), page))
    return out


def _clashing(listed: Any, partitions: int) -> list[tuple[tuple[int, int], str, str | None]]:
    """The (input order, id, capture time) of the pages whose name `unique_ids` may change, in input
    order (`clashing`), chosen on the executors: the driver holds the repeated ids only."""
    shared = listed.map(lambda row: (row[1], 1)).reduceByKey(lambda a, b: a + b, partitions)
    repeated = set(shared.filter(lambda row: row[1] > 1).keys().collect())

    def select(prefixes: set[str]) -> list[tuple[tuple[int, int], str, str | None]]:
        wanted = listed.context.broadcast(prefixes)
        return list(listed.filter(lambda row: _named_after(row[1], wanted.value)).collect())

    return clashing(repeated, select)


def _named_after(page_id: str, prefixes: set[str]) -> bool:
    """Whether an id is one of `prefixes`, or one of them followed by `@` or `#` and more."""
    if page_id in prefixes:
        return True
    return any(page_id[:at] in prefixes for at, ch in enumerate(page_id) if ch in "@#")


def _renames(listed: list[tuple[tuple[int, int], str, str | None]]) -> dict[tuple[int, int], str]:
    """Driver side: the new id of each page (by its input order) whose id an earlier page holds."""
    stubs = (Page(id=page_id, kind="text", content="", captured=captured) for _, page_id, captured in listed)
    return {
        order: page.id
        for (order, page_id, _), page in zip(listed, unique_ids(stubs), strict=True)
        if page.id != page_id
    }


def _renamed(row: tuple[str, tuple[int, int], Page], renames: dict[tuple[int, int], str]) -> tuple[Any, Page]:
    """(input order, page) with the page's id made unique."""
    page = row[2]
    return row[1], replace(page, id=renames[row[1]]) if row[1] in renames else page


def _clean_chunk(
    rows: Iterable[tuple[tuple[int, int], Page]], settings: Any, read: ReadSettings
) -> Iterator[tuple[str, int, Article | InputProblem]]:
    """Executor side: clean one chunk's pages together, in input order (the function a local run calls)."""
    tagged = sorted(rows, key=_first)
    order = {page.id: _position(at) for at, page in tagged}
    cleaned = clean_pages([page for _, page in tagged], settings, read=read)
    for article in cleaned.articles:
        yield "article", order[article.id], article
    for problem in cleaned.problems:
        yield "problem", order.get(problem.path, -1), problem


def _position(order: tuple[int, int]) -> int:
    """An input order (file, record) as one integer that sorts the same way."""
    return (order[0] << _RECORD_BITS) + order[1]


def _first(row: tuple[Any, ...]) -> Any:
    return row[0]
