"""Run the pipeline on Apache Spark: read and clean on the executors, fold on the driver.

Reading and cleaning are per page and dominate the cost (HTML extraction, line classification), so they
are spread over the cluster. Pages are partitioned by site, so each partition holds all the pages of its
sites and the cross-page cleaning context (a site's template lines) is the one a local run sees. The
articles then come back to the driver, where copy detection and clustering run with the same functions as
`engine.local` (both are sub-quadratic and take minutes for 100,000 articles on one core).

PySpark is imported lazily: install the `spark` extra (`pip install 'newsfold[spark]'`; Java 17+).

>>> result = fold_spark(["crawl/"], master="local[2]")      # doctest: +SKIP
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from newsfold.clean import clean_pages
from newsfold.engine.local import fold_articles
from newsfold.errors import InputError
from newsfold.models import Article, FoldResult, InputProblem, Page
from newsfold.read import list_inputs, read_input, unique_ids
from newsfold.settings import ReadSettings, Settings

__all__ = ["fold_spark"]


def fold_spark(
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    spark: Any = None,
    master: str = "local[*]",
    partitions: int | None = None,
) -> FoldResult:
    """Fold files or folders with Spark doing the reading and cleaning.

    Args:
        paths: files or folders, as for `newsfold fold` (they must be readable from every executor).
        spark: a SparkSession; by default one is started with `master`.
        partitions: how many partitions to clean in; Spark's default parallelism by default.
    """
    from pyspark.sql import SparkSession

    # Workers run this interpreter (the one with newsfold installed), not whatever `python3` is on PATH;
    # PySpark reads the variable when the session starts.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = spark or SparkSession.builder.master(master).appName("newsfold").getOrCreate()
    context = session.sparkContext
    listing_problems: list[InputProblem] = []
    inputs = list_inputs(paths, on_problem=lambda e: listing_problems.append(InputProblem(e.path, e.reason)))
    slices = partitions or context.defaultParallelism
    files = [(str(path), page_id, order) for order, (path, page_id) in enumerate(inputs)]

    read_settings, clean_settings = settings.read, settings.clean
    read = context.parallelize(files, max(1, min(slices, len(files) or 1))).flatMap(
        lambda item: _read_one(item, read_settings)
    )
    read.cache()
    # Ids made unique across files as a local read makes them (`unique_ids`): only the ids travel.
    listed = read.filter(lambda row: row[0] == "page").map(lambda row: (row[1], row[2].id, row[2].captured))
    renames = context.broadcast(_renames(sorted(listed.collect())))
    pages = read.map(lambda row: _renamed(row, renames.value))
    by_site = pages.filter(lambda row: row[0] == "page").map(lambda row: (_site_key(row[2]), row))
    cleaned = by_site.partitionBy(slices, lambda site: zlib.crc32(site.encode("utf-8"))).mapPartitions(
        lambda rows: _clean_partition(rows, clean_settings)
    )
    rows = pages.filter(lambda row: row[0] == "problem").union(cleaned).collect()

    articles = [row[2] for row in sorted((r for r in rows if r[0] == "article"), key=_order)]
    problems = listing_problems + [
        row[2] for row in sorted((r for r in rows if r[0] == "problem"), key=_order)
    ]
    stories = fold_articles(articles, settings=settings)
    return FoldResult(articles=articles, stories=stories, problems=problems)


def _read_one(item: tuple[str, str, int], settings: ReadSettings) -> list[tuple[str, tuple[int, int], Any]]:
    """Executor side: the pages of one file, and its problems, tagged with their input order."""
    path, page_id, order = item
    out: list[tuple[str, tuple[int, int], Any]] = []

    def problem(error: InputError) -> None:
        out.append(("problem", (order, len(out)), InputProblem(error.path, error.reason)))

    for page in read_input(Path(path), page_id, on_problem=problem, settings=settings):
        out.append(("page", (order, len(out)), page))
    return out


def _renames(listed: list[tuple[tuple[int, int], str, str | None]]) -> dict[tuple[int, int], str]:
    """Driver side: the new id of each page (by its input order) whose id an earlier page holds."""
    stubs = (Page(id=page_id, kind="text", content="", captured=captured) for _, page_id, captured in listed)
    return {
        order: page.id
        for (order, page_id, _), page in zip(listed, unique_ids(stubs), strict=True)
        if page.id != page_id
    }


def _renamed(row: tuple[str, tuple[int, int], Any], renames: dict[tuple[int, int], str]) -> Any:
    if row[0] == "page" and row[1] in renames:
        return (row[0], row[1], replace(row[2], id=renames[row[1]]))
    return row


def _clean_partition(
    rows: Iterable[tuple[str, tuple[str, tuple[int, int], Page]]], settings: Any
) -> Iterator[tuple[str, tuple[int, int], Article | InputProblem]]:
    """Executor side: clean one partition's pages together (the same function a local run calls)."""
    tagged = [row for _, row in rows]
    order = {row[2].id: row[1] for row in tagged}
    problems: list[InputProblem] = []
    articles = clean_pages([row[2] for row in tagged], settings, problems)
    for article in articles:
        yield "article", order[article.id], article
    for problem in problems:
        yield "problem", order.get(problem.path, (-1, 0)), problem


def _site_key(page: Page) -> str:
    """The site a page belongs to: its source, its URL's host, or its folder for local files."""
    return page.site or str(Path(page.source_path).parent)


def _order(row: tuple[str, tuple[int, int], Any]) -> tuple[int, int]:
    return row[1]
