"""Copy detection on Spark: evidence keys counted by key, components of rare keys, `find_origins` on each.

`find_origins` relates two articles only through a key both hold (a substantive sentence, a headline, a
page-lead sentence by its lede bucket), and a key held by more than `max_sentence_fanout` articles relates
nothing but its count (`syndication.evidence`; engine/incremental.py gives the argument). So:

1. each article's keys (stable hashes) are counted by key (`reduceByKey`), and every key held by at most
   `max_sentence_fanout` articles links its holders (a bucket capped by that fanout: a star of at most
   20 ids); a lede bucket links the holders of its rare page-lead keys;
2. the links' connected components (`spark_graph`) are closed under that relation, so `find_origins` of
   one component, given the corpus-wide key counts (`EvidenceCounts`), is what a run over the whole
   corpus gives its articles: each component is verified, grouped and linked in one executor task;
3. an article on no link is an origin group of its own (no pair could be verified).

Not covered by the argument, so one task runs `find_origins` over the whole corpus instead (as
engine/incremental.py does over the whole store): an article whose every sentence is boilerplate (such
sentences then relate it to articles anywhere), and MinHash near candidates (`near_candidates`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newsfold.engine.spark_graph import connected_components
from newsfold.models import Article, OriginGroup
from newsfold.settings import SyndicationSettings
from newsfold.syndication import find_origins
from newsfold.syndication.evidence import EvidenceCounts, evidence_keys, lede_bucket, stable_hash

__all__ = ["origin_groups"]

# (kind, stable hash): "s" sentence, "h" headline, "l" page-lead sentence (one string can be two kinds).
Key = tuple[str, int]


def origin_groups(articles: Any, settings: SyndicationSettings, partitions: int) -> Any:
    """The origin groups of `articles` (an RDD of (position, Article), positions in input order), as an
    RDD of (member positions, OriginGroup): `find_origins` of the whole corpus, computed by component."""
    from pyspark import StorageLevel

    fanout = settings.max_sentence_fanout
    by_key = (
        articles.flatMap(lambda row: _key_rows(row[0], row[1], settings))  # (key, (position, bucket))
        .groupByKey(partitions)
        .flatMap(lambda item: _holders(item[0], list(item[1]), fanout))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    counts = by_key.filter(lambda row: row[0] == "count").map(lambda row: row[1])  # (position, (key, n))
    bucketed = by_key.filter(lambda row: row[0] == "bucket").map(lambda row: row[1]).groupByKey(partitions)
    links = by_key.filter(lambda row: row[0] == "link").map(lambda row: row[1]).union(bucketed.flatMap(_star))
    labels = connected_components(links, partitions)
    # One row per article: (its component's label, (position, article, its keys' corpus-wide counts)).
    placed = (
        articles.cogroup(counts, partitions)
        .cogroup(labels, partitions)
        .flatMap(lambda item: _placed(item[0], item[1], fanout))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    whole = settings.near_candidates or not placed.filter(lambda row: row[1][3]).isEmpty()
    by_key.unpersist()
    if whole:
        rows = placed.map(lambda row: (0, row[1][:2])).groupByKey(1)
        return rows.flatMap(lambda item: _origins(list(item[1]), {}, settings, corpus=False))
    components = placed.map(lambda row: (row[0], row[1][:3])).groupByKey(partitions)
    return components.flatMap(lambda item: _component_origins(list(item[1]), settings))


def _holders(key: Key, rows: list[tuple[int, int]], fanout: int) -> Iterator[tuple[str, tuple[Any, Any]]]:
    """Executor side, one key: ("count", (holder, (key, holders))) for each holder; when the key is rare
    (at most `fanout` holders), the links that relate them: ("link", (first, other)), and for a page-lead
    key ("bucket", (lede bucket, holder))."""
    for position, _ in rows:
        yield "count", (position, (key, len(rows)))
    if len(rows) <= fanout:
        first = min(position for position, _ in rows)
        for position, bucket in rows:
            if position != first:
                yield "link", (first, position)
            if key[0] == "l":
                yield "bucket", (bucket, position)


def _placed(
    position: int, found: tuple[Iterable[Any], Iterable[int]], fanout: int
) -> Iterator[tuple[int, tuple[int, Article, list[tuple[Key, int]], bool]]]:
    """Executor side: an article with its keys' counts, keyed by its component's label (its own position
    when it is on no link), and whether its every sentence is boilerplate."""
    (articles_and_counts,), labels = found
    articles, counts = articles_and_counts
    label = min(labels, default=position)
    held = list(counts)
    sentences = [n for key, n in held if key[0] == "s"]
    boilerplate_only = bool(sentences) and all(n > fanout for n in sentences)
    for article in articles:
        yield label, (position, article, held, boilerplate_only)


def _key_rows(
    position: int, article: Article, settings: SyndicationSettings
) -> list[tuple[Key, tuple[int, int]]]:
    """An article's evidence keys, each with the article's position and (page-lead keys) its lede bucket."""
    keys = evidence_keys(article, settings)
    rows: list[tuple[Key, tuple[int, int]]] = [(("s", stable_hash(k)), (position, 0)) for k in keys.sentences]
    if keys.headline:
        rows.append((("h", stable_hash(keys.headline)), (position, 0)))
    rows.extend(
        (("l", stable_hash(k)), (position, stable_hash(lede_bucket(k, settings)))) for k in keys.leads
    )
    return rows


def _star(item: tuple[Any, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """Links from the first holder of a key to every other one (enough for the components)."""
    holders = sorted(set(item[1]))
    for other in holders[1:]:
        yield holders[0], other


def _component_origins(
    rows: list[tuple[int, Article, Iterable[tuple[Key, int]]]], settings: SyndicationSettings
) -> list[tuple[tuple[int, ...], OriginGroup]]:
    """Executor side: the origin groups of one component, with the corpus-wide counts of its keys."""
    if len(rows) == 1:  # on no link: an origin of its own
        only = rows[0][1].id
        return [((rows[0][0],), OriginGroup(representative=only, members=(only,)))]
    counts: dict[Key, int] = {}
    for _, _, held in rows:
        counts.update(held)
    return _origins([(position, article) for position, article, _ in rows], counts, settings, corpus=True)


def _origins(
    rows: list[tuple[int, Article]], counts: dict[Key, int], settings: SyndicationSettings, corpus: bool
) -> list[tuple[tuple[int, ...], OriginGroup]]:
    """`find_origins` of these articles in input order; with `corpus`, given the key counts of the whole
    corpus (`counts`, by stable hash)."""
    rows = sorted(rows, key=lambda row: row[0])
    articles = [article for _, article in rows]
    evidence = None
    if corpus:
        sentences: dict[str, int] = {}
        headlines: dict[str, int] = {}
        leads: dict[str, int] = {}
        for article in articles:
            keys = evidence_keys(article, settings)
            sentences.update((k, counts["s", stable_hash(k)]) for k in keys.sentences)
            leads.update((k, counts["l", stable_hash(k)]) for k in keys.leads)
            if keys.headline:
                headlines[keys.headline] = counts["h", stable_hash(keys.headline)]
        evidence = EvidenceCounts(sentences, headlines, leads)
    position_of = {article.id: position for position, article in rows}
    groups = find_origins(articles, settings, evidence)
    return [(tuple(position_of[m] for m in group.members), group) for group in groups]
