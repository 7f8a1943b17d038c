"""`newsfold load`: the Parquet folder a Spark fold wrote (`fold_spark_to`) into a store.

The articles (with their pages) are ingested in input order, `StoreSettings.ingest_batch_pages` a
transaction, through the incremental engine (`ingest_articles`): the store derives its own indexes
(copy-detection keys, the clustering state, stories), so later `newsfold ingest` runs continue from it,
and a store loaded from a fold holds the stories a batch fold of the same articles gives (the incremental
engine's promise). Loading the same folder twice stores nothing new. Needs pyarrow (the `spark` extra).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from newsfold.engine.incremental import ingest_articles
from newsfold.errors import InputError
from newsfold.models import Article, Page
from newsfold.settings import Settings
from newsfold.store import IngestReport, Store, article_from_dict

__all__ = ["load_folder"]


def load_folder(folder: str | Path, db: str | Path, *, settings: Settings = Settings()) -> IngestReport:
    """Put the articles of a Spark fold's `folder` (its `articles` Parquet dataset) into the store at
    `db` (created when missing); the report lists the articles added and the stories touched.

    >>> load_folder("out/", "newsfold.db")      # doctest: +SKIP
    """
    report = IngestReport()
    size = max(1, settings.store.ingest_batch_pages)
    rows = _rows(Path(folder) / "articles")  # the folder is checked before the store is made
    with Store(db, settings) as store:
        batch: list[tuple[Page, Article]] = []
        for pair in rows:
            batch.append(pair)
            if len(batch) == size:
                _load(store, batch, settings, report)
                batch = []
        if batch:
            _load(store, batch, settings, report)
    return report


def _load(store: Store, batch: list[tuple[Page, Article]], settings: Settings, report: IngestReport) -> None:
    new_pages, unchanged = store.new_pages([page for page, _ in batch])
    # New pages come back in order; one whose id the store holds with other content is renamed (a new
    # capture), and its article takes the new name.
    articles: list[Article] = []
    remaining = iter(new_pages)
    upcoming = next(remaining, None)
    for page, article in batch:
        same = upcoming is not None and upcoming.content == page.content
        if upcoming is not None and same and upcoming.source_path == page.source_path:
            articles.append(replace(article, id=upcoming.id))
            upcoming = next(remaining, None)
    report.unchanged += unchanged
    if articles:
        part = ingest_articles(store, new_pages, articles, settings=settings)
        report.added += part.added
        report.stories_touched = list(dict.fromkeys(report.stories_touched + part.stories_touched))


def _rows(dataset: Path) -> Iterator[tuple[Page, Article]]:
    """(page, article) of every row, in input order (`position`); raises InputError at once (not at
    the first row) when the dataset cannot be read."""
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        advice = "loading Parquet needs pyarrow: pip install 'newsfold[spark]'"
        raise InputError(str(dataset), advice) from exc
    if not dataset.is_dir() and (dataset.parent / "articles.jsonl").is_file():
        # The local engine's `--out` holds the articles, not the pages a store keeps with them.
        advice = "a local fold's folder (no pages to store): `newsfold ingest` its inputs instead"
        raise InputError(str(dataset.parent), advice)
    if not dataset.is_dir():
        raise InputError(str(dataset), "no articles dataset here: give the folder `fold --out` wrote")
    try:
        order = pq.read_table(dataset, columns=["position"]).column("position").to_pylist()
        table = pq.read_table(dataset, columns=["position", "data", "page"])
    except (OSError, ValueError, KeyError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(str(dataset), f"not a newsfold articles dataset ({str(exc)[:120]})") from exc
    ranks = sorted(range(len(order)), key=order.__getitem__)
    data, pages = table.column("data"), table.column("page")
    return (
        (Page(**json.loads(pages[k].as_py())), article_from_dict(json.loads(data[k].as_py()))) for k in ranks
    )
