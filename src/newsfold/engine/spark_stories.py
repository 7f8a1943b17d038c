"""Clustering, story writing and threads on Spark: the batch `StoryIndex` decomposed by key and component.

`cluster_stories` places articles in input order; what each placement reads is local, so it splits:

1. Profiles (`profile_of`) per partition, one `Lexicon` each.
2. Candidates: each article's candidates are the earlier articles in the last `postings_scanned` of each
   of its index keys' postings (`index_keys`), ranked by how many keys they share. Grouped by key
   (`groupByKey`), each posting list gives every article the window of holders before it; hits are
   summed by pair (`reduceByKey`) and the best `candidates` kept per article.
3. Edges: the pair features and the edge model's probability, scored on the executors (a row's score
   does not depend on its batch: `PairModel.probability`); the `edges_per_article` strongest passing
   `edge_probability`, with the origin groups' must-links.
4. Components of those links (`spark_graph`). A component within `max_component` articles is one
   component of the batch index (no union was refused); a bigger one replays its unions in input order
   with the cap, in its task, as `StoryIndex.add_profiles` makes them. Each is split into stories by
   `cluster_component` (the topic then merge models, average link) in one executor task.
5. Writing: each story's articles and origin groups meet in one task (`write_story`).
6. Threads: `spark_threads`.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from newsfold.cluster.features import GLOBAL_FEATURES, PairModel, pair_features, shipped_models
from newsfold.cluster.index import cluster_component, index_keys
from newsfold.cluster.profile import Lexicon, Profile, profile_of
from newsfold.engine.local import story_id_for
from newsfold.engine.spark_graph import connected_components
from newsfold.models import Article, OriginGroup, Story
from newsfold.settings import ClusterSettings, Settings
from newsfold.story import write_story
from newsfold.unionfind import UnionFind

__all__ = ["article_profiles", "story_members", "written_stories"]


def article_profiles(articles: Any, settings: ClusterSettings) -> Any:
    """(position, Profile) of every article, one lexicon per partition."""

    def profiles(rows: Iterable[tuple[int, Article]]) -> Iterator[tuple[int, Profile]]:
        lexicon: Lexicon | None = None
        for position, article in rows:
            lexicon = lexicon or Lexicon(settings)
            yield position, profile_of(article, lexicon, settings)

    return articles.mapPartitions(profiles)


def story_members(profiles: Any, groups: Any, settings: ClusterSettings, partitions: int) -> Any:
    """The stories as an RDD of (first member's position, (story id, member ids, member positions)),
    members in input order: `cluster_stories` of the whole corpus, computed by component."""
    from pyspark import StorageLevel

    scanned, wanted = settings.postings_scanned, settings.candidates
    pairs = (
        profiles.flatMap(lambda row: [(key, row[0]) for key in index_keys(row[1], settings)])
        .groupByKey(partitions)
        .flatMap(lambda item: _windows(item[1], scanned))  # (position, earlier holders of a key)
        .groupByKey(partitions)
        .flatMap(lambda item: [(c, item[0]) for c in _best(item[1], wanted)])  # (candidate, position)
    )
    scored = (
        pairs.join(profiles, partitions)
        .map(lambda row: (row[1][0], (row[0], row[1][1])))
        .join(profiles, partitions)  # (position, ((candidate, its profile), profile)), a position's together
        .mapPartitions(lambda rows: _edges(rows, settings))  # (position, (rank, candidate))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    links = groups.filter(lambda row: len(row[0]) > 1).flatMap(
        lambda row: [(m, row[0][0]) for m in row[0][1:]]
    )  # (member, the group's first member): made when the member is placed
    labels = connected_components(scored.mapValues(lambda rc: rc[1]).union(links), partitions)
    components = (
        profiles.cogroup(scored, partitions)
        .cogroup(links.cogroup(labels, partitions), partitions)
        .map(lambda item: _component_row(item[0], item[1]))
        .groupByKey(partitions)
    )
    return components.mapPartitions(lambda items: _stories_of_components(items, settings))


def _windows(holders: Iterable[int], scanned: int) -> Iterator[tuple[int, list[int]]]:
    """(position, the `scanned` holders of a key before it) for each holder of the key: one record a
    holder and key, not one a pair (a common key's windows are most of the candidates' shuffle)."""
    ordered = sorted(holders)
    for r, position in enumerate(ordered):
        if r:
            yield position, ordered[max(0, r - scanned) : r]


def _best(windows: Iterable[list[int]], wanted: int) -> list[int]:
    """The candidates sharing the most keys, the later first on ties (as `StoryIndex.candidates`)."""
    hits: Counter[int] = Counter()
    for earlier in windows:
        hits.update(earlier)
    return [c for c, _ in sorted(hits.items(), key=lambda ch: (-ch[1], -ch[0]))[:wanted]]


# Candidate pairs (each with both profiles, ~10 KB) scored a batch at a time: a partition's rows are
# never all held (at 100,000 pages and local[2], two partitions held ~1M pairs each: a worker reached
# 13.5 GB and was killed). A pair's probability does not depend on its batch.
_SCORED_BATCH = 2048


def _edges(rows: Iterable[Any], settings: ClusterSettings) -> Iterator[tuple[int, tuple[int, int]]]:
    """Executor side: each article's edges (`edges_per_article` strongest candidates passing
    `edge_probability`, strongest first), the edge model called on batches of a partition's pairs."""
    edge, _, _ = shipped_models()
    model = PairModel(edge, GLOBAL_FEATURES)
    scored: dict[int, list[tuple[float, int]]] = {}
    pending = iter(rows)
    while batch := list(itertools.islice(pending, _SCORED_BATCH)):
        x = np.array([pair_features(mine, theirs) for _, ((_, theirs), mine) in batch])
        for (position, ((candidate, _), _)), p in zip(batch, model.probability(x).tolist(), strict=True):
            scored.setdefault(position, []).append((float(p), candidate))
    for position, found in scored.items():
        strongest = sorted(found, key=lambda pc: (-pc[0], pc[1]))[: settings.edges_per_article]
        passing = [c for p, c in strongest if p >= settings.edge_probability]
        for rank, c in enumerate(passing):
            yield position, (rank, c)


def _component_row(position: int, found: Any) -> tuple[int, tuple[int, Any, list[Any], list[int]]]:
    """(component label, (position, profile, its edges, its must-link)) of one article."""
    (mine,), linked = found
    profiles, edges = mine
    links, labels = next(iter(linked), ((), ()))  # an article on no edge and in no group has neither
    profile = next(iter(profiles))
    return min(labels, default=position), (position, profile, list(edges), list(links))


def _stories_of_components(
    items: Iterable[tuple[int, Iterable[tuple[int, Profile, list[tuple[int, int]], list[int]]]]],
    settings: ClusterSettings,
) -> Iterator[tuple[int, tuple[str, tuple[str, ...], tuple[int, ...]]]]:
    """Executor side: the stories of each component of a partition."""
    models = shipped_models()
    for _, rows in items:
        profiles: dict[int, Profile] = {}
        edges: list[tuple[int, int, int]] = []  # (position, rank, candidate)
        links: list[tuple[int, int]] = []  # (member, first member of its group)
        for position, profile, made, linked in rows:
            profiles[position] = profile
            edges.extend((position, rank, c) for rank, c in made)
            links.extend((position, first) for first in linked)
        for members in _capped_components(
            sorted(profiles), edges, links, settings.max_component, settings.max_linked_component
        ):
            row_of = {m: r for r, m in enumerate(members)}
            inside = [(row_of[a], row_of[b]) for a, b in links if a in row_of and b in row_of]
            for story in cluster_component([profiles[m] for m in members], inside, settings, models):
                positions = tuple(members[r] for r in story)
                ids = tuple(profiles[m].id for m in positions)
                yield positions[0], (story_id_for(ids), ids, positions)


def _capped_components(
    members: list[int],
    edges: list[tuple[int, int, int]],
    links: list[tuple[int, int]],
    cap: int,
    linked_cap: int | None = None,
) -> list[list[int]]:
    """The components `StoryIndex.add_profiles` makes of these articles: in input order, each article's
    edges (refused when the join would pass `cap` articles), then its must-link (refused past
    `linked_cap`, when given)."""
    if len(members) <= cap:
        return [members]
    row_of = {m: r for r, m in enumerate(members)}
    union = UnionFind(len(members))
    sizes = [1] * len(members)
    events = sorted([(p, 0, rank, c) for p, rank, c in edges] + [(m, 1, 0, first) for m, first in links])
    for position, must, _, other in events:
        a, b = union.find(row_of[position]), union.find(row_of[other])
        limit = (linked_cap if linked_cap is not None else sizes[a] + sizes[b]) if must else cap
        if a == b or sizes[a] + sizes[b] > limit:
            continue
        union.union(a, b)
        sizes[union.find(a)] = sizes[a] + sizes[b]
    parts: dict[int, list[int]] = {}
    for r, m in enumerate(members):
        parts.setdefault(union.find(r), []).append(m)
    return list(parts.values())


def written_stories(articles: Any, groups: Any, members: Any, settings: Settings, partitions: int) -> Any:
    """(first member's position, Story) of every story, each written in one task with its own articles
    and origin groups (`write_story`)."""
    story_of = members.flatMap(lambda row: [(p, row[0]) for p in row[1][2]])  # position -> story
    by_first = groups.map(lambda row: (row[0][0], row[1]))  # a group by its first member
    by_story = (
        articles.cogroup(by_first, partitions)
        .cogroup(story_of, partitions)
        .flatMap(lambda item: _to_story(item[0], item[1]))
        .union(members.map(lambda row: (row[0], ("s", row[1]))))
        .groupByKey(partitions)
    )
    return by_story.map(lambda item: (item[0], _write(item[1], settings)))


def _to_story(position: int, found: Any) -> Iterator[tuple[int, tuple[str, Any]]]:
    """An article and the group it leads (if any), keyed by their story."""
    (mine,), stories = found
    articles, groups = mine
    story = next(iter(stories))
    for article in articles:
        yield story, ("a", (position, article))
    for group in groups:
        yield story, ("g", (position, group))


def _write(rows: Iterable[tuple[str, Any]], settings: Settings) -> Story:
    """Executor side: one story, its articles and groups in input order (as `stories_for` hands them)."""
    articles: list[tuple[int, Article]] = []
    groups: list[tuple[int, OriginGroup]] = []
    story_id = ""
    for kind, value in rows:
        if kind == "a":
            articles.append(value)
        elif kind == "g":
            groups.append(value)
        else:
            story_id = value[0]
    ordered = [a for _, a in sorted(articles, key=lambda pa: pa[0])]
    story_groups = [g for _, g in sorted(groups, key=lambda pg: pg[0])]
    return write_story(story_id, ordered, story_groups, settings.story)
