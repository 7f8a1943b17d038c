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
6. Threads: one task over the stories' ids, dates and the articles' profiles (`with_threads`, as the
   incremental engine calls it): threads link stories anywhere in the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from operator import add
from typing import Any

import numpy as np

from newsfold.cluster.features import GLOBAL_FEATURES, PairModel, pair_features, shipped_models
from newsfold.cluster.index import cluster_component, index_keys
from newsfold.cluster.profile import Lexicon, Profile, profile_of
from newsfold.cluster.threads import with_threads
from newsfold.engine.local import story_id_for
from newsfold.engine.spark_graph import connected_components
from newsfold.models import Article, OriginGroup, Story
from newsfold.settings import ClusterSettings, Settings
from newsfold.story import write_story
from newsfold.unionfind import UnionFind

__all__ = ["article_profiles", "story_members", "threaded", "written_stories"]


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
    scanned, wanted = settings.postings_scanned, settings.candidates
    pairs = (
        profiles.flatMap(lambda row: [(key, row[0]) for key in index_keys(row[1], settings)])
        .groupByKey(partitions)
        .flatMap(lambda item: _windows(item[1], scanned))
        .reduceByKey(add, partitions)
        .map(lambda row: (row[0][0], (row[0][1], row[1])))
        .groupByKey(partitions)
        .flatMap(lambda item: [(c, item[0]) for c in _best(item[1], wanted)])  # (candidate, position)
    )
    scored = (
        pairs.join(profiles, partitions)
        .map(lambda row: (row[1][0], (row[0], row[1][1])))
        .join(profiles, partitions)  # (position, ((candidate, its profile), profile))
        .mapPartitions(lambda rows: _edge_probabilities(rows))
        .groupByKey(partitions)
        .flatMap(lambda item: _strongest(item[0], item[1], settings))  # (position, (rank, candidate))
    )
    links = groups.filter(lambda row: len(row[0]) > 1).flatMap(
        lambda row: [(m, row[0][0]) for m in row[0][1:]]
    )  # (member, the group's first member): made when the member is placed
    scored.cache()
    edges = scored.map(lambda row: (row[0], row[1][1])).union(links)
    labels = connected_components(edges, partitions)
    tagged = (
        profiles.map(lambda row: (row[0], ("p", row[1])))
        .union(scored.map(lambda row: (row[0], ("e", row[1]))))
        .union(links.map(lambda row: (row[0], ("l", row[1]))))
        .leftOuterJoin(labels, partitions)
        .map(lambda row: (row[0] if row[1][1] is None else row[1][1], (row[0], row[1][0])))
        .groupByKey(partitions)
    )
    return tagged.mapPartitions(lambda items: _stories_of_components(items, settings))


def _windows(holders: Iterable[int], scanned: int) -> Iterator[tuple[tuple[int, int], int]]:
    """((position, earlier holder), 1) for the `scanned` holders of a key before each holder."""
    ordered = sorted(holders)
    for r, position in enumerate(ordered):
        for earlier in ordered[max(0, r - scanned) : r]:
            yield (position, earlier), 1


def _best(hits: Iterable[tuple[int, int]], wanted: int) -> list[int]:
    """The candidates sharing the most keys, the later first on ties (as `StoryIndex.candidates`)."""
    return [c for c, _ in sorted(hits, key=lambda ch: (-ch[1], -ch[0]))[:wanted]]


def _edge_probabilities(rows: Iterable[Any]) -> Iterator[tuple[int, tuple[float, int]]]:
    """Executor side: (position, (edge probability, candidate)) of a partition's pairs, one model call."""
    batch = list(rows)
    if not batch:
        return
    edge, _, _ = shipped_models()
    model = PairModel(edge, GLOBAL_FEATURES)
    x = np.array([pair_features(mine, theirs) for _, ((_, theirs), mine) in batch])
    for (position, ((candidate, _), _)), p in zip(batch, model.probability(x).tolist(), strict=True):
        yield position, (float(p), candidate)


def _strongest(
    position: int, scored: Iterable[tuple[float, int]], settings: ClusterSettings
) -> list[tuple[int, tuple[int, int]]]:
    """The edges an article makes: its strongest candidates passing the bar, in the order they are made."""
    strongest = sorted(scored, key=lambda pc: (-pc[0], pc[1]))[: settings.edges_per_article]
    passing = [c for p, c in strongest if p >= settings.edge_probability]
    return [(position, (rank, c)) for rank, c in enumerate(passing)]


def _stories_of_components(
    items: Iterable[tuple[int, Iterable[tuple[int, tuple[str, Any]]]]], settings: ClusterSettings
) -> Iterator[tuple[int, tuple[str, tuple[str, ...], tuple[int, ...]]]]:
    """Executor side: the stories of each component of a partition."""
    models = shipped_models()
    for _, rows in items:
        profiles: dict[int, Profile] = {}
        edges: list[tuple[int, int, int]] = []  # (position, rank, candidate)
        links: list[tuple[int, int]] = []  # (member, first member of its group)
        for position, (kind, value) in rows:
            if kind == "p":
                profiles[position] = value
            elif kind == "e":
                edges.append((position, value[0], value[1]))
            else:
                links.append((position, value))
        for members in _capped_components(sorted(profiles), edges, links, settings.max_component):
            row_of = {m: r for r, m in enumerate(members)}
            inside = [(row_of[a], row_of[b]) for a, b in links if a in row_of and b in row_of]
            for story in cluster_component([profiles[m] for m in members], inside, settings, models):
                positions = tuple(members[r] for r in story)
                ids = tuple(profiles[m].id for m in positions)
                yield positions[0], (story_id_for(ids), ids, positions)


def _capped_components(
    members: list[int], edges: list[tuple[int, int, int]], links: list[tuple[int, int]], cap: int
) -> list[list[int]]:
    """The components `StoryIndex.add_profiles` makes of these articles: in input order, each article's
    edges (refused when the join would pass `cap` articles), then its must-link (never refused)."""
    if len(members) <= cap:
        return [members]
    row_of = {m: r for r, m in enumerate(members)}
    union = UnionFind(len(members))
    sizes = [1] * len(members)
    events = sorted([(p, 0, rank, c) for p, rank, c in edges] + [(m, 1, 0, first) for m, first in links])
    for position, must, _, other in events:
        a, b = union.find(row_of[position]), union.find(row_of[other])
        if a == b or (not must and sizes[a] + sizes[b] > cap):
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
    by_story = (
        articles.join(story_of, partitions)
        .map(lambda row: (row[1][1], ("a", (row[0], row[1][0]))))
        .union(
            groups.map(lambda row: (row[0][0], row[1]))
            .join(story_of, partitions)
            .map(lambda row: (row[1][1], ("g", (row[0], row[1][0]))))
        )
        .union(members.map(lambda row: (row[0], ("s", row[1]))))
        .groupByKey(partitions)
    )
    return by_story.map(lambda item: (item[0], _write(item[1], settings)))


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


def threaded(stories: Any, profiles: Any, settings: Settings) -> Any:
    """(first member's position, Story) with `thread` and `related` filled: one task links the threads
    over the stories' ids, headlines and dates and the articles' profiles (never their text)."""
    stubs = stories.map(
        lambda row: (0, ("s", (row[0], Story(row[1].id, row[1].headline, row[1].articles, event_date=row[1].event_date))))
    )
    every = stubs.union(profiles.map(lambda row: (0, ("p", row[1])))).groupByKey(1)
    links = every.flatMap(lambda item: _threads(item[1], settings))  # (story id, (thread, related))
    return (
        stories.map(lambda row: (row[1].id, row))
        .join(links)
        .map(lambda row: (row[1][0][0], replace(row[1][0][1], thread=row[1][1][0], related=row[1][1][1])))
    )


def _threads(rows: Iterable[tuple[str, Any]], settings: Settings) -> Iterator[tuple[str, tuple[Any, Any]]]:
    stubs: list[tuple[int, Story]] = []
    profiles: list[Profile] = []
    for kind, value in rows:
        if kind == "s":
            stubs.append(value)
        else:
            profiles.append(value)
    ordered = [story for _, story in sorted(stubs, key=lambda ps: ps[0])]
    for story in with_threads(ordered, [], settings, profiles):
        yield story.id, (story.thread, story.related)


def _counter(hits: Iterable[int]) -> Counter[int]:
    return Counter(hits)
