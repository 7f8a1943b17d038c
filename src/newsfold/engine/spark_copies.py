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
from operator import add
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
    fanout = settings.max_sentence_fanout
    keyed = articles.flatMap(lambda row: _key_rows(row[0], row[1], settings))  # (key, (position, bucket))
    counts = keyed.map(lambda row: (row[0], 1)).reduceByKey(add, partitions)
    held = keyed.join(counts, partitions)  # (key, ((position, bucket), count))
    held.cache()
    whole = settings.near_candidates or _boilerplate_only(held, fanout, partitions) > 0
    if whole:
        groups = (
            articles.map(lambda row: (0, row))
            .groupByKey(1)
            .flatMap(lambda item: _origins(list(item[1]), {}, settings, corpus=False))
        )
        held.unpersist()
        return groups
    rare = held.filter(lambda row: row[1][1] <= fanout)
    by_key = rare.map(lambda row: (row[0], row[1][0][0])).groupByKey(partitions).flatMap(_star)
    by_bucket = (
        rare.filter(lambda row: row[0][0] == "l")
        .map(lambda row: (row[1][0][1], row[1][0][0]))
        .groupByKey(partitions)
        .flatMap(_star)
    )
    labels = connected_components(by_key.union(by_bucket), partitions)
    counts_of = held.map(lambda row: (row[1][0][0], (row[0], row[1][1]))).groupByKey(partitions)
    components = (
        articles.join(counts_of, partitions)  # an article without keys is alone: no counts needed
        .leftOuterJoin(labels, partitions)
        .map(lambda row: (row[0] if row[1][1] is None else row[1][1], (row[0], row[1][0][0], row[1][0][1])))
        .groupByKey(partitions)
    )
    keyless = articles.subtractByKey(counts_of, partitions).map(lambda row: ((row[0],), _alone(row[1])))
    groups = components.flatMap(lambda item: _component_origins(list(item[1]), settings)).union(keyless)
    return groups


def _key_rows(position: int, article: Article, settings: SyndicationSettings) -> list[tuple[Key, tuple[int, int]]]:
    """An article's evidence keys, each with the article's position and (page-lead keys) its lede bucket."""
    keys = evidence_keys(article, settings)
    rows: list[tuple[Key, tuple[int, int]]] = [(("s", stable_hash(k)), (position, 0)) for k in keys.sentences]
    if keys.headline:
        rows.append((("h", stable_hash(keys.headline)), (position, 0)))
    rows.extend(
        (("l", stable_hash(k)), (position, stable_hash(lede_bucket(k, settings)))) for k in keys.leads
    )
    return rows


def _boilerplate_only(held: Any, fanout: int, partitions: int) -> int:
    """How many articles hold sentences, every one of them boilerplate (held by more than `fanout`)."""
    sentences = held.filter(lambda row: row[0][0] == "s").map(lambda row: (row[1][0][0], row[1][1] > fanout))
    return int(sentences.reduceByKey(lambda a, b: a and b, partitions).filter(lambda row: row[1]).count())


def _star(item: tuple[Any, Iterable[int]]) -> Iterator[tuple[int, int]]:
    """Links from the first holder of a key to every other one (enough for the components)."""
    holders = sorted(set(item[1]))
    for other in holders[1:]:
        yield holders[0], other


def _alone(article: Article) -> OriginGroup:
    return OriginGroup(representative=article.id, members=(article.id,))


def _component_origins(
    rows: list[tuple[int, Article, Iterable[tuple[Key, int]]]], settings: SyndicationSettings
) -> list[tuple[tuple[int, ...], OriginGroup]]:
    """Executor side: the origin groups of one component, with the corpus-wide counts of its keys."""
    if len(rows) == 1:
        return [((rows[0][0],), _alone(rows[0][1]))]
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
