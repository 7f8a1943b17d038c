"""Incremental folding into a store: new articles join their story or start one, nothing is refolded.

The clustering state (`cluster.StoryIndex`) lives in the store; each ingest loads it, places only the new
articles, rewrites only the stories that changed, and saves everything in one transaction. Because the
batch fold is the same index run over the articles in input order, ingesting in chunks gives the batch
result (tests/engine/test_incremental.py checks it).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from newsfold.cluster import StoryIndex
from newsfold.engine.local import ProgressFn, clean_all, stories_for, story_id_for
from newsfold.export import story_to_dict
from newsfold.models import Article, Page
from newsfold.read import read_many
from newsfold.settings import Settings
from newsfold.store import IngestReport, Store
from newsfold.syndication import find_origins

__all__ = ["ingest_articles", "ingest_pages", "ingest_paths"]


def ingest_paths(
    db: str | Path,
    paths: Iterable[str | Path],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Read `paths` and ingest them into the store at `db` (created when missing)."""
    pages, problems = read_many(paths, settings=settings.read)
    with Store(db, settings) as store:
        report = ingest_pages(store, pages, settings=settings, progress=progress)
    report.problems[:0] = problems
    return report


def ingest_pages(
    store: Store,
    pages: Sequence[Page],
    *,
    settings: Settings = Settings(),
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Clean the pages the store lacks, place them in stories and store the changed stories."""
    new_pages, unchanged, problems = store.new_pages(pages)
    # The store's latest pages (of the new pages' sites, and of any) stand in for the rest of a batch, so
    # template lines and link lists are found as a batch fold of everything would find them.
    context = (
        store.recent_pages(
            {site for page in new_pages if (site := page.site)},
            settings.clean.context_pages_per_site,
            settings.clean.context_pages_recent,
        )
        if new_pages
        else []
    )
    articles, clean_problems = clean_all(new_pages, settings=settings, progress=progress, context=context)
    report = IngestReport(unchanged=unchanged, problems=problems + clean_problems)
    if not articles:
        return report
    cleaned = {a.id for a in articles}
    new_pages = [p for p in new_pages if p.id in cleaned]
    return ingest_articles(store, new_pages, articles, settings=settings, report=report)


def ingest_articles(
    store: Store,
    pages: Sequence[Page],
    articles: Sequence[Article],
    *,
    settings: Settings = Settings(),
    report: IngestReport | None = None,
    stages: dict[str, float] | None = None,
) -> IngestReport:
    """Store `pages` with their cleaned `articles` (one per page, same ids), place the articles in stories
    and rewrite the stories that changed. `stages` (when given) gathers seconds per stage, for bench/."""
    report = report if report is not None else IngestReport()
    timer = _Timer(stages)
    with timer("load articles"):
        everything = store.articles() + list(articles)
    order = {a.id: n for n, a in enumerate(everything)}
    with timer("origins"):
        groups = find_origins(everything, settings.syndication)
    with timer("cluster state load"):
        state = store.get_state("cluster_state")
        index = StoryIndex.from_state(state, settings.cluster) if state else StoryIndex(settings.cluster)
    with timer("cluster"):
        before = {key: _in_order(members, order) for key, members in index.stories()}
        index.add(articles, groups)
        after = {key: _in_order(members, order) for key, members in index.stories()}
    changed = [key for key, members in after.items() if before.get(key) != members]
    gone = [story_id_for(members) for key, members in before.items() if after.get(key) != members]
    with timer("stories"):
        stories = stories_for([after[key] for key in changed], everything, groups, settings=settings)
    memberships = {article_id: story_id_for(after[key]) for key in changed for article_id in after[key]}
    with timer("cluster state save"):
        new_state = index.to_state()
    with timer("write"):
        store.write(
            pages,
            articles,
            memberships,
            [(story, story_to_dict(story)) for story in stories],
            gone,
            new_state,
        )
    report.added = [a.id for a in articles]
    report.stories_touched = [story.id for story in stories]
    return report


class _Timer:
    """Adds the wall seconds of each `with timer(stage):` block to `stages` (nothing when None)."""

    def __init__(self, stages: dict[str, float] | None) -> None:
        self.stages = stages

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            if self.stages is not None:
                self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - start


def _in_order(members: Sequence[str], order: dict[str, int]) -> tuple[str, ...]:
    return tuple(sorted(members, key=order.__getitem__))
